/**
 * Canvas helpers the GUI's drawn views share.
 */

/** A 2D context sized to its canvas's CSS box, in device pixels. */
export interface FittedCanvas {
  g: CanvasRenderingContext2D;
  /** Backing-store size, device pixels. */
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  ratio: number;
}

/**
 * Resizes `canvas`'s backing store to its CSS box at the device pixel ratio
 * (only when it changed, since resizing clears the canvas) and returns its
 * 2D context, or null when there is no context.
 */
export function fitCanvas(canvas: HTMLCanvasElement): FittedCanvas | null {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const g = canvas.getContext('2d');
  return g ? { g, width, height, ratio } : null;
}
