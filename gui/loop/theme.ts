/**
 * The loop GUI's colours, in one place: the canvas code reads the constants,
 * the styles read the same values as CSS custom properties. They extend the
 * root element's palette (`gui/root/root.styles.ts`).
 */
import { css, unsafeCSS } from 'lit';

/** Colours as CSS colour strings. */
export const LOOP_COLOURS = {
  /** Panel background (the root's). */
  surface: '#1b1d24',
  /** Inset areas: pad, piano roll, inputs. */
  well: '#13151a',
  /** Buttons and raised controls (the root's). */
  raised: '#2c2f3a',
  raisedHover: '#373b49',
  /** Borders (the root's) and faint grid lines. */
  border: '#454a5a',
  line: '#262a35',
  text: '#e8e8ee',
  muted: '#b8b8c4',
  faint: '#7d8194',
  /** Selection, focus rings, the pad's puck. */
  accent: '#6d8bff',
  /** The performer's notes. */
  performer: '#4fc3f7',
  /** Deep Improv's planned response, and the pad's trail (the pad steers the response). */
  response: '#ffa94d',
  /** Armed output (a record-arm red) and panic. */
  armed: '#ee5d5d',
  ok: '#4cd787',
  warn: '#e3c14b',
} as const;

/** Name of a colour in {@link LOOP_COLOURS}. */
export type LoopColour = keyof typeof LOOP_COLOURS;

/** The colours as `--di-<name>` custom properties on `:host`, plus the shared font. Include it first in each component's styles. */
export const loopTheme = css`
  :host {
    ${unsafeCSS(Object.entries(LOOP_COLOURS).map(([name, value]) => `--di-${name}: ${value};`).join('\n'))}
    font: 12px/1.35 system-ui, sans-serif;
    color: var(--di-text);
    box-sizing: border-box;
  }
  *, *::before, *::after { box-sizing: inherit; }
  :focus-visible { outline: 2px solid var(--di-accent); outline-offset: 1px; }
  button {
    font: inherit; color: inherit; background: var(--di-raised); border: 1px solid var(--di-border);
    border-radius: 4px; padding: 2px 8px; cursor: pointer;
  }
  button:hover:not(:disabled) { background: var(--di-raisedHover); }
  button:disabled { opacity: 0.45; cursor: default; }
  select {
    font: inherit; color: var(--di-text); background: var(--di-well); border: 1px solid var(--di-border);
    border-radius: 4px; padding: 1px 4px; min-width: 0;
  }
`;

/**
 * Parses a `#rrggbb` colour into [r, g, b] (0–255).
 * @throws Error when the string is not `#rrggbb`.
 */
export function rgbOf(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`expected a colour like #rrggbb, got '${hex}'`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}
