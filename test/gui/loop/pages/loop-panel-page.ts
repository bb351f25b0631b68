/**
 * Browser test page for the loop GUI: mounts `<di-loop-panel>` with a stub
 * host (a unit test of the GUI: the stub records every call and counts its
 * listeners), and counts the page's live animation frames and intervals so a
 * test can prove the panel releases them.
 */
import { defaultParameterValues, PARAMETERS } from '../../../../protocol/parameters.ts';
import type { LoopHost, LoopHostAnchor, LoopHostMidiPort, LoopHostState, ParameterEntries, PhraseReport, PlannedReport } from '../../../../gui/loop/loop-host.ts';
import { LOOP_PANEL_TAG, type DiLoopPanel } from '../../../../gui/loop/loop-panel.ts';
import { LOOP_COLOURS } from '../../../../gui/loop/theme.ts';

// Live animation frames and intervals, counted by wrapping the globals.
const liveFrames = new Set<number>();
const liveIntervals = new Set<number>();
const rawRaf = window.requestAnimationFrame.bind(window);
const rawCancel = window.cancelAnimationFrame.bind(window);
window.requestAnimationFrame = (callback) => {
  const id = rawRaf((t) => { liveFrames.delete(id); callback(t); });
  liveFrames.add(id);
  return id;
};
window.cancelAnimationFrame = (id) => { liveFrames.delete(id); rawCancel(id); };
const rawSetInterval = window.setInterval.bind(window);
const rawClearInterval = window.clearInterval.bind(window);
window.setInterval = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
  const id = rawSetInterval(handler, ms, ...args);
  liveIntervals.add(id);
  return id;
}) as typeof window.setInterval;
window.clearInterval = ((id?: number) => { if (id !== undefined) liveIntervals.delete(id); rawClearInterval(id); }) as typeof window.clearInterval;

/** A host that records what the GUI does. */
class StubHost implements LoopHost {
  readonly clock = { currentTime: 0, sampleRate: 48_000 };
  readonly context = this.clock as unknown as BaseAudioContext;
  values: Record<string, number> = defaultParameterValues();
  readonly writes: ParameterEntries[] = [];
  reads = 0;
  /** performance.now() of every parameter read, ms. */
  readonly readTimesMs: number[] = [];
  panics = 0;
  readonly captures: number[] = [];
  captureError: string | null = null;
  midiOutputCalls = 0;
  midiError: string | null = null;
  readonly chosenOutputs: (string | null)[] = [];
  ports: LoopHostMidiPort[] = [{ id: 'out-1', name: 'Synth One' }, { id: 'out-2', name: 'Drum Box' }];
  anchors: LoopHostAnchor[] = ['A', 'B', 'C', 'D'].map((label) => ({ label, latent: null }));
  readonly planned = new Set<(r: PlannedReport) => void>();
  readonly phrase = new Set<(r: PhraseReport) => void>();
  readonly cancel = new Set<() => void>();

  get activeListeners(): number {
    return this.planned.size + this.phrase.size + this.cancel.size;
  }

  async getParameterValues(normalized: boolean, ...ids: string[]): Promise<ParameterEntries> {
    this.reads++;
    this.readTimesMs.push(performance.now());
    const out: ParameterEntries = {};
    for (const p of PARAMETERS) if (ids.length === 0 || ids.includes(p.id)) out[p.id] = { id: p.id, value: this.values[p.id], normalized };
    return out;
  }

  async setParameterValues(values: ParameterEntries): Promise<void> {
    this.writes.push(structuredClone(values));
    for (const entry of Object.values(values)) this.values[entry.id] = entry.value;
  }

  onPlanned(l: (r: PlannedReport) => void) { this.planned.add(l); return () => { this.planned.delete(l); }; }
  onPhrase(l: (r: PhraseReport) => void) { this.phrase.add(l); return () => { this.phrase.delete(l); }; }
  onCancel(l: () => void) { this.cancel.add(l); return () => { this.cancel.delete(l); }; }
  panic(): void { this.panics++; }

  async captureAnchor(index: number): Promise<void> {
    this.captures.push(index);
    if (this.captureError) throw new Error(this.captureError);
    this.anchors[index] = { ...this.anchors[index], latent: [0.1, 0.2] };
  }

  async getState(): Promise<LoopHostState> {
    return { anchors: this.anchors.map((a) => ({ ...a })), devices: { midiOutputId: null, midiInputIds: [] } };
  }

  async midiOutputs(): Promise<LoopHostMidiPort[]> {
    this.midiOutputCalls++;
    if (this.midiError) throw new Error(this.midiError);
    return this.ports;
  }

  async setMidiOutput(id: string | null): Promise<void> { this.chosenOutputs.push(id); }
  async midiInputs(): Promise<LoopHostMidiPort[]> { return []; }
  async setMidiInputs(): Promise<void> {}

  emitPhrase(r: PhraseReport): void { for (const l of this.phrase) l(r); }
  emitPlanned(r: PlannedReport): void { for (const l of this.planned) l(r); }
  emitCancel(): void { for (const l of this.cancel) l(); }
}

/** Mounts a panel bound to a new stub; returns both. */
function mount(): { host: StubHost; panel: DiLoopPanel } {
  const host = new StubHost();
  const panel = document.createElement(LOOP_PANEL_TAG) as DiLoopPanel;
  panel.node = host;
  panel.style.width = '820px';
  document.body.append(panel);
  return { host, panel };
}

/** Resolves after `n` animation frames. */
function frames(n: number): Promise<number> {
  return new Promise((resolve) => {
    let left = n;
    const step = (t: number) => (--left <= 0 ? resolve(t) : rawRaf(step));
    rawRaf(step);
  });
}

/** Calls `fn` in each of the next `n` animation frames; resolves with the number of frames. */
function everyFrame(n: number, fn: () => void): Promise<number> {
  return new Promise((resolve) => {
    let done = 0;
    const step = () => {
      fn();
      if (++done < n) rawRaf(step);
      else resolve(done);
    };
    rawRaf(step);
  });
}

/** The element at a path of selectors, each inside the previous one's shadow root. */
function deep<T extends Element>(...selectors: string[]): T {
  let root: ParentNode = document;
  let found: Element | null = null;
  for (const s of selectors) {
    found = root.querySelector(s);
    if (!found) throw new Error(`no element '${s}' in the path ${selectors.join(' > ')}`);
    root = found.shadowRoot ?? found;
  }
  return found as T;
}

/** Counts the canvas pixels exactly of `hex`, with the leftmost and rightmost x where they occur. */
function countColour(canvas: HTMLCanvasElement, hex: string): { count: number; minX: number; maxX: number } {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) {
      count++;
      const x = (i / 4) % canvas.width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
  }
  return { count, minX, maxX };
}

Object.assign(window, {
  loopTest: { mount, frames, everyFrame, deep, countColour, colours: LOOP_COLOURS, liveFrames: () => liveFrames.size, liveIntervals: () => liveIntervals.size },
  loopReady: true,
});
