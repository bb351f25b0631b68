/**
 * Browser test page for what the loop panel shows while a musician plays:
 * mounts `<di-loop-panel>` with a stub host that, besides the calls the
 * panel makes, emits every stream the real node does (the performer's notes
 * as played, phrases, music requests, planned music, cancels) and lets the
 * test move the audio clock by hand. Parses `.mid` bytes with @tonejs/midi
 * so the test can read a dragged or saved clip.
 */
import * as tonejsMidi from '@tonejs/midi';
import { defaultParameterValues, PARAMETERS } from '../../../../protocol/parameters.ts';
import type {
  LoopHost, LoopHostAnchor, LoopHostMidiPort, LoopHostState, MusicRequestedReport, MusicUnansweredReport, ParameterEntries,
  PerformerNotesReport, PhraseReport, PlannedReport,
} from '../../../../gui/loop/loop-host.ts';
import { LOOP_PANEL_TAG, type DiLoopPanel } from '../../../../gui/loop/loop-panel.ts';

const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;

/** A host that emits the node's streams on demand, with a clock the test sets. */
class StreamingStub implements LoopHost {
  readonly clock = { currentTime: 0, sampleRate: 48_000 };
  readonly context = this.clock as unknown as BaseAudioContext;
  values: Record<string, number> = defaultParameterValues();
  anchors: LoopHostAnchor[] = ['A', 'B', 'C', 'D'].map((label) => ({ label, latent: null, phrase: null }));
  private readonly listeners = {
    planned: new Set<(r: PlannedReport) => void>(),
    phrase: new Set<(r: PhraseReport) => void>(),
    cancel: new Set<() => void>(),
    performer: new Set<(r: PerformerNotesReport) => void>(),
    request: new Set<(r: MusicRequestedReport | MusicUnansweredReport) => void>(),
  };

  get activeListeners(): number {
    return Object.values(this.listeners).reduce((n, set) => n + set.size, 0);
  }

  async getParameterValues(normalized: boolean, ...ids: string[]): Promise<ParameterEntries> {
    const out: ParameterEntries = {};
    for (const p of PARAMETERS) if (ids.length === 0 || ids.includes(p.id)) out[p.id] = { id: p.id, value: this.values[p.id], normalized };
    return out;
  }

  async setParameterValues(values: ParameterEntries): Promise<void> {
    for (const entry of Object.values(values)) this.values[entry.id] = entry.value;
  }

  onPlanned(l: (r: PlannedReport) => void) { this.listeners.planned.add(l); return () => { this.listeners.planned.delete(l); }; }
  onPhrase(l: (r: PhraseReport) => void) { this.listeners.phrase.add(l); return () => { this.listeners.phrase.delete(l); }; }
  onCancel(l: () => void) { this.listeners.cancel.add(l); return () => { this.listeners.cancel.delete(l); }; }
  onPerformerNotes(l: (r: PerformerNotesReport) => void) { this.listeners.performer.add(l); return () => { this.listeners.performer.delete(l); }; }
  onMusicRequest(l: (r: MusicRequestedReport | MusicUnansweredReport) => void) { this.listeners.request.add(l); return () => { this.listeners.request.delete(l); }; }
  panic(): void {}
  async captureAnchor(): Promise<void> {}
  async getState(): Promise<LoopHostState> {
    return { anchors: structuredClone(this.anchors), devices: { midiOutputId: null, midiInputIds: [] } };
  }
  async midiOutputs(): Promise<LoopHostMidiPort[]> { return []; }
  async setMidiOutput(): Promise<void> {}
  async midiInputs(): Promise<LoopHostMidiPort[]> { return []; }
  async setMidiInputs(): Promise<void> {}

  /** Performer note events `[timeS, pitch, velocity]` (velocity 0: note-off), as the processor batches them. */
  emitPerformer(events: [number, number, number][]): void {
    const packed = new Float64Array(events.length * 3);
    events.forEach(([t, p, v], i) => packed.set([t * this.clock.sampleRate, p, v], i * 3));
    const report: PerformerNotesReport = { type: 'performer-notes', events: packed, count: events.length, sampleRate: this.clock.sampleRate };
    for (const l of this.listeners.performer) l(report);
  }
  emitPhrase(r: PhraseReport): void { for (const l of this.listeners.phrase) l(r); }
  emitRequest(r: MusicRequestedReport | MusicUnansweredReport): void { for (const l of this.listeners.request) l(r); }
  emitPlanned(r: PlannedReport): void { for (const l of this.listeners.planned) l(r); }
  emitCancel(): void { for (const l of this.listeners.cancel) l(); }
}

/** Mounts a panel bound to a new stub; returns both. */
function mount(prepare?: (host: StreamingStub) => void): { host: StreamingStub; panel: DiLoopPanel } {
  const host = new StreamingStub();
  prepare?.(host);
  const panel = document.createElement(LOOP_PANEL_TAG) as DiLoopPanel;
  panel.node = host;
  panel.style.width = '820px';
  document.body.append(panel);
  return { host, panel };
}

/** Resolves after `n` animation frames. */
function frames(n: number): Promise<void> {
  return new Promise((resolve) => {
    let left = n;
    const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
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

/** The notes of `.mid` bytes: pitch, start and length in beats, velocity 1–127, channel 1–16; the tempo and metre. */
function readMidi(bytes: Uint8Array) {
  const midi = new Midi(bytes);
  const ppq = midi.header.ppq;
  return {
    bpm: midi.header.tempos[0]?.bpm ?? null,
    timeSignature: midi.header.timeSignatures[0]?.timeSignature ?? null,
    notes: midi.tracks.flatMap((t) => t.notes.map((n) => ({
      pitch: n.midi, startBeats: n.ticks / ppq, lengthBeats: n.durationTicks / ppq, velocity: Math.round(n.velocity * 127), channel: t.channel + 1,
    }))),
  };
}

Object.assign(window, { rollTest: { mount, frames, deep, readMidi }, rollReady: true });
