/**
 * The piano roll's notes on the audio clock (seconds of
 * `BaseAudioContext.currentTime`), built from the node's reports: the
 * performer's notes as they are played (`PerformerNotesReport`, frames, a
 * held note grows until its note-off), performer phrases (`PhraseReport`,
 * notes in beats from the phrase start, converted with the phrase's tempo;
 * they replace the live notes they cover) and planned responses
 * (`PlannedReport`, events at audio frames, converted with the report's
 * sample rate), each response kept as one answer that can be exported as a
 * phrase. Pure data, no drawing, so it is easy to reason about.
 */
import { PERFORMER_EVENT_STRIDE, type PerformerNotesReport, type Phrase, type PhraseReport, type PlannedReport } from './loop-host.ts';

/** Who played a note. */
export type RollSource = 'performer' | 'response';

/** One note on the roll. */
export interface RollNote {
  source: RollSource;
  /** MIDI pitch, 0–127. */
  pitch: number;
  /** MIDI velocity, 1–127. */
  velocity: number;
  /** Audio-clock seconds; `endS` is Infinity while a live note is held. */
  startS: number;
  endS: number;
  /** Performer notes drawn as they were played (before their phrase report). */
  live?: boolean;
  /** Responses: the id of the {@link RollAnswer} the note belongs to. */
  answerId?: number;
}

/** One planned response (one `PlannedReport`): what a drag or the save button exports. */
export interface RollAnswer {
  /** 1, 2, … in arrival order. */
  id: number;
  /** Audio-clock time of the response's start beat (its bar line or beat), seconds. */
  startS: number;
  /** Audio-clock end of its last note, seconds (cut at a cancel). */
  endS: number;
  tempoBpm: number;
  beatsPerBar: number;
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
/** Beats rounded to 1/960 (half a tick at 480 per beat), so clock arithmetic does not leave 0.49999. */
const roundBeats = (beats: number): number => Math.round(beats * 960) / 960;
/** Shortest drawn note, beats (a zero-length note would be invisible). */
const MIN_NOTE_BEATS = 1 / 32;

export class RollNotes {
  /** Notes, in arrival order. */
  notes: RollNote[] = [];
  /** The responses that still have notes on the roll, oldest first. */
  answers: RollAnswer[] = [];
  private nextAnswerId = 1;
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
    // The phrase is what the model heard: it replaces the live notes played in its window.
    const windowEndS = report.startTimeS + report.lengthBeats * secondsPerBeat;
    const slackS = 0.02;
    this.notes = this.notes.filter((n) => !n.live || n.endS === Number.POSITIVE_INFINITY || n.startS < report.startTimeS - slackS || n.startS >= windowEndS + slackS);
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
   * Adds the performer's note-ons and note-offs as they were played: a
   * note-on starts a held note, its note-off (or the next note-on of the
   * same pitch) ends it.
   */
  addPerformerNotes(report: PerformerNotesReport): void {
    const events = report.events;
    for (let i = 0; i < report.count; i++) {
      const o = i * PERFORMER_EVENT_STRIDE;
      const timeS = events[o] / report.sampleRate;
      const pitch = events[o + 1];
      const velocity = events[o + 2];
      for (let j = this.notes.length - 1; j >= 0; j--) {
        const held = this.notes[j];
        if (!held.live || held.pitch !== pitch || held.endS !== Number.POSITIVE_INFINITY) continue;
        held.endS = Math.max(timeS, held.startS + 0.01);
        break;
      }
      if (velocity > 0) this.notes.push({ source: 'performer', pitch, velocity, startS: timeS, endS: Number.POSITIVE_INFINITY, live: true });
    }
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
    const answer: RollAnswer = {
      id: this.nextAnswerId++, startS: this.timeOfBeat(report.startBeat, report.tempoBpm) ?? Number.POSITIVE_INFINITY, endS: Number.NEGATIVE_INFINITY,
      tempoBpm: report.tempoBpm, beatsPerBar: this.beatsPerBar,
    };
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
        const note: RollNote = { source: 'response', pitch: packed[i + 2], velocity: packed[i + 3], startS: timeS, endS: timeS + secondsPerBeat, answerId: answer.id };
        this.notes.push(note);
        open.set(key, note);
      }
    }
    this.tempoBpm = report.tempoBpm;
    this.trimCount();
    const own = this.notes.filter((n) => n.answerId === answer.id);
    if (own.length === 0) return;
    // Without a beat grid (no phrase yet) or a grid that disagrees, the answer starts at its first note.
    const firstS = Math.min(...own.map((n) => n.startS));
    const gridLeadS = firstS - answer.startS;
    if (!(gridLeadS >= -1e-6 && gridLeadS <= 4 * answer.beatsPerBar * secondsPerBeat)) answer.startS = firstS;
    answer.endS = Math.max(...own.map((n) => n.endS));
    this.answers.push(answer);
  }

  /** The answer playing at audio-clock `timeS` (the latest one when two overlap), or null. */
  answerAt(timeS: number): RollAnswer | null {
    for (let i = this.answers.length - 1; i >= 0; i--) {
      const a = this.answers[i];
      if (a.startS <= timeS && timeS <= a.endS) return a;
    }
    return null;
  }

  /** The answer with id `id`, or null when it was dropped. */
  answer(id: number): RollAnswer | null {
    return this.answers.find((a) => a.id === id) ?? null;
  }

  /** An answer as a phrase (notes in beats from its start), e.g. for a `.mid`. */
  answerPhrase(answer: RollAnswer): Phrase {
    const secondsPerBeat = 60 / answer.tempoBpm;
    const notes = this.notes
      .filter((n) => n.answerId === answer.id)
      .sort((a, b) => a.startS - b.startS || a.pitch - b.pitch)
      .map((n) => ({
        pitch: n.pitch, velocity: n.velocity,
        startBeats: roundBeats((n.startS - answer.startS) / secondsPerBeat),
        durationBeats: Math.max(MIN_NOTE_BEATS, roundBeats((n.endS - n.startS) / secondsPerBeat)),
      }));
    const lastBeat = notes.reduce((end, n) => Math.max(end, n.startBeats + n.durationBeats), 0);
    return {
      source: 'generated', notes, tempoBpm: answer.tempoBpm, beatsPerBar: answer.beatsPerBar,
      lengthBeats: Math.max(answer.beatsPerBar, Math.ceil(lastBeat / answer.beatsPerBar) * answer.beatsPerBar),
    };
  }

  /** Audio-clock time of `beat` on the latest grid at `tempoBpm`, or null before any phrase. */
  private timeOfBeat(beat: number, tempoBpm: number): number | null {
    const a = this.anchor;
    return a ? a.timeS + ((beat - a.beat) * 60) / tempoBpm : null;
  }

  /** Output was cancelled at `nowS`: responses not yet started go, sounding ones end now. */
  cancel(nowS: number): void {
    this.notes = this.notes.filter((n) => n.source !== 'response' || n.startS < nowS);
    for (const n of this.notes) if (n.source === 'response' && n.endS > nowS) n.endS = nowS;
    this.syncAnswers();
  }

  /** Seconds in one bar at the latest tempo (or `fallbackBpm` before any report). */
  barSeconds(fallbackBpm: number): number {
    return (60 / (this.tempoBpm ?? fallbackBpm)) * this.beatsPerBar;
  }

  /** Drops notes that ended (held ones: started) more than `keepBars` bars before `nowS`. Returns true when any went. */
  prune(nowS: number, fallbackBpm: number): boolean {
    const oldestS = nowS - this.options.keepBars * this.barSeconds(fallbackBpm);
    const before = this.notes.length;
    // A held note counts from its start: one whose note-off never came (input channel changed under it) goes too.
    this.notes = this.notes.filter((n) => (n.endS === Number.POSITIVE_INFINITY ? n.startS : n.endS) >= oldestS);
    if (this.notes.length === before) return false;
    this.syncAnswers();
    return true;
  }

  /** Removes every note and answer (the grid anchor stays). */
  clear(): void {
    this.notes = [];
    this.answers = [];
  }

  private trimCount(): void {
    if (this.notes.length <= this.options.maxNotes) return;
    this.notes.splice(0, this.notes.length - this.options.maxNotes);
    this.syncAnswers();
  }

  /** Drops answers left without notes; an answer cut by a cancel ends at its last note. */
  private syncAnswers(): void {
    const ends = new Map<number, number>();
    for (const n of this.notes) if (n.answerId !== undefined) ends.set(n.answerId, Math.max(ends.get(n.answerId) ?? Number.NEGATIVE_INFINITY, n.endS));
    this.answers = this.answers.filter((a) => ends.has(a.id));
    for (const a of this.answers) a.endS = ends.get(a.id)!;
  }
}
