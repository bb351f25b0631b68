/**
 * The piano roll's notes on the audio clock (seconds of
 * `BaseAudioContext.currentTime`), built from the node's reports:
 * performer phrases (`PhraseReport`, notes in beats from the phrase start,
 * converted with the phrase's tempo) and planned responses (`PlannedReport`,
 * events at audio frames, converted with the report's sample rate).
 * Pure data, no drawing, so it is easy to reason about.
 */
import type { PhraseReport, PlannedReport } from './loop-host.ts';

/** Who played a note. */
export type RollSource = 'performer' | 'response';

/** One note on the roll. */
export interface RollNote {
  source: RollSource;
  /** MIDI pitch, 0–127. */
  pitch: number;
  /** MIDI velocity, 1–127. */
  velocity: number;
  /** Audio-clock seconds. */
  startS: number;
  endS: number;
}

/** Where the beat grid sits: `beat` falls at audio-clock `timeS`, at `tempoBpm`. */
export interface BeatAnchor {
  beat: number;
  timeS: number;
  tempoBpm: number;
}

/** Options of {@link RollNotes}. */
export interface RollNotesOptions {
  /** Bars kept behind the present (older notes are dropped). Default 16. */
  keepBars: number;
  /** Beats per bar until the first phrase report gives the transport's metre. Default 4. */
  beatsPerBar: number;
  /** Most notes kept, oldest dropped first. Default 4096. */
  maxNotes: number;
}

const DEFAULTS: RollNotesOptions = { keepBars: 16, beatsPerBar: 4, maxNotes: 4096 };
/** Shortest drawn note, beats (a zero-length note would be invisible). */
const MIN_NOTE_BEATS = 1 / 32;

export class RollNotes {
  /** Notes, in arrival order. */
  notes: RollNote[] = [];
  /** The latest beat grid a report gave, or null before the first phrase. */
  anchor: BeatAnchor | null = null;
  /** The tempo of the latest report, BPM, or null before the first one. */
  tempoBpm: number | null = null;
  /** Beats per bar of the latest phrase's transport (3 in 3/4), for bar lines and bar lengths. */
  beatsPerBar: number;
  readonly options: RollNotesOptions;

  constructor(options: Partial<RollNotesOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.beatsPerBar = this.options.beatsPerBar;
  }

  /** Adds a performer phrase. */
  addPhrase(report: PhraseReport): void {
    const secondsPerBeat = 60 / report.tempoBpm;
    const packed = report.notes;
    for (let i = 0; i + 3 < packed.length; i += 4) {
      const startS = report.startTimeS + packed[i + 2] * secondsPerBeat;
      const lengthBeats = Math.max(MIN_NOTE_BEATS, packed[i + 3]);
      this.notes.push({ source: 'performer', pitch: packed[i], velocity: packed[i + 1], startS, endS: startS + lengthBeats * secondsPerBeat });
    }
    this.anchor = { beat: report.startBeat, timeS: report.startTimeS, tempoBpm: report.tempoBpm };
    this.tempoBpm = report.tempoBpm;
    if (Number.isInteger(report.beatsPerBar) && report.beatsPerBar >= 1 && report.beatsPerBar <= 32) this.beatsPerBar = report.beatsPerBar;
    this.trimCount();
  }

  /**
   * Adds a planned response: note-ons paired with their note-offs per channel
   * and pitch; a note-on left open ends one beat later (or at the next
   * note-on of the same key).
   */
  addPlanned(report: PlannedReport): void {
    const secondsPerBeat = 60 / report.tempoBpm;
    const open = new Map<number, RollNote>();
    const packed = report.events;
    for (let i = 0; i + 3 < packed.length; i += 4) {
      const timeS = packed[i] / report.sampleRate;
      const status = packed[i + 1] & 0xf0;
      const key = ((packed[i + 1] & 0x0f) << 7) | (packed[i + 2] & 0x7f);
      const isOn = status === 0x90 && packed[i + 3] > 0;
      const isOff = status === 0x80 || (status === 0x90 && packed[i + 3] === 0);
      if (!isOn && !isOff) continue;
      const sounding = open.get(key);
      if (sounding) {
        sounding.endS = Math.max(timeS, sounding.startS + MIN_NOTE_BEATS * secondsPerBeat);
        open.delete(key);
      }
      if (isOn) {
        const note: RollNote = { source: 'response', pitch: packed[i + 2], velocity: packed[i + 3], startS: timeS, endS: timeS + secondsPerBeat };
        this.notes.push(note);
        open.set(key, note);
      }
    }
    this.tempoBpm = report.tempoBpm;
    this.trimCount();
  }

  /** Output was cancelled at `nowS`: responses not yet started go, sounding ones end now. */
  cancel(nowS: number): void {
    this.notes = this.notes.filter((n) => n.source !== 'response' || n.startS < nowS);
    for (const n of this.notes) if (n.source === 'response' && n.endS > nowS) n.endS = nowS;
  }

  /** Seconds in one bar at the latest tempo (or `fallbackBpm` before any report). */
  barSeconds(fallbackBpm: number): number {
    return (60 / (this.tempoBpm ?? fallbackBpm)) * this.beatsPerBar;
  }

  /** Drops notes that ended more than `keepBars` bars before `nowS`. Returns true when any went. */
  prune(nowS: number, fallbackBpm: number): boolean {
    const oldestS = nowS - this.options.keepBars * this.barSeconds(fallbackBpm);
    const before = this.notes.length;
    this.notes = this.notes.filter((n) => n.endS >= oldestS);
    return this.notes.length !== before;
  }

  /** Removes every note (the grid anchor stays). */
  clear(): void {
    this.notes = [];
  }

  private trimCount(): void {
    if (this.notes.length > this.options.maxNotes) this.notes.splice(0, this.notes.length - this.options.maxNotes);
  }
}
