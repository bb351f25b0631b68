/**
 * Monophonic audio → note events. Each frame brings (through the frame
 * state) the YIN pitch and voicing, the level and, when the onset picker
 * fired, the refined onset sample. A small state machine segments notes:
 *
 * - a note starts after 2 consecutive voiced frames, at the latest onset if one
 *   came within the last 140 ms, else at the first voiced frame's pitch time;
 * - it ends at the next onset (re-articulation), after 3 unvoiced frames (at
 *   the first of them), or when the pitch leaves the note by more than 0.8
 *   semitone for 3 frames (a legato change: the new note starts there);
 * - an onset within 60 ms of a just-started note (≤ 3 voiced frames) moves
 *   that note's start instead of splitting it (the pitch locked first);
 * - its pitch is the most frequent rounded MIDI pitch over its voiced frames;
 *   its velocity comes from its peak RMS level in the first 100 ms
 *   (see velocity.ts).
 *
 * Notes with fewer than 2 voiced frames are dropped. Events are delivered when
 * the note ends, with primitives only.
 */
import type { FeatureSink } from '../features/feature-sink.ts';
import { Slot } from '../features/frame-state.ts';
import { levelToVelocity } from './velocity.ts';

const START_FRAMES = 2;
const END_FRAMES = 3;
const DEVIATION_SEMITONES = 0.8;
const NO_LEVEL = -200;

/** Positions (in input samples) kept in a typed array so they are never boxed. */
const START = 0;
const FIRST_VOICED = 1;
const UNVOICED_START = 2;
const DEVIATION_START = 3;
const PENDING_ONSET = 4;
const END = 5;

/**
 * Segments a monophonic pitch track into notes. Allocates only in the
 * constructor. All the work happens inside `update()`, which runs every
 * frame (so the JIT keeps it optimised): the rare branches that end a note
 * only set a flag, and one block at the end emits it.
 */
export class NoteTracker {
  private readonly state: Float64Array;
  private readonly onsetMemorySamples: number;
  private readonly velocityWindowSamples: number;
  private readonly mergeSamples: number;
  private readonly histogram = new Float64Array(128);
  private readonly at = new Float64Array(6);
  /** Peak level of the current note, dBFS, at [0]. */
  private readonly peak = new Float64Array(1);
  private active = false;
  private voicedFrames = 0;
  private voicedRun = 0;
  private unvoicedRun = 0;
  private deviationRun = 0;
  private pitch = 0;
  private velocity = 1;

  /** @param state the engine's frame state. @param sampleRate Hz. */
  constructor(state: Float64Array, sampleRate: number) {
    this.state = state;
    this.onsetMemorySamples = Math.round(0.14 * sampleRate);
    this.velocityWindowSamples = Math.round(0.1 * sampleRate);
    this.mergeSamples = Math.round(0.06 * sampleRate);
    this.reset();
  }

  /**
   * Feeds one frame (reads `voiced`, `midi`, `levelDbfs`, `pitchSample`,
   * `onsetSample` from the frame state); may call `sink.onNote` once.
   * With `endOfStream`, ends a sounding note at the frame state's `frameEnd`.
   */
  update(sink: FeatureSink, endOfStream = false): void {
    const s = this.state;
    const at = this.at;
    const h = this.histogram;
    const pitchSample = s[Slot.pitchSample];
    const onsetSample = s[Slot.onsetSample];
    // A note to emit: its end sample goes to at[END]; then `restart` says whether a new one begins.
    let finish = false;
    let restartAt = -1;
    let addFrame = false;
    if (endOfStream) {
      if (this.active) {
        finish = true;
        at[END] = s[Slot.frameEnd];
      }
    } else {
      if (onsetSample >= 0) {
        if (this.active && this.voicedFrames <= END_FRAMES && Math.abs(onsetSample - at[START]) < this.mergeSamples) {
          // The same attack seen twice (pitch locked before the onset peak): move the start.
          at[START] = onsetSample;
        } else {
          if (this.active) {
            finish = true;
            at[END] = onsetSample;
          }
          at[PENDING_ONSET] = onsetSample;
        }
      }
      if (s[Slot.voiced] > 0) {
        this.unvoicedRun = 0;
        if (!this.active || finish) {
          if (this.voicedRun === 0) at[FIRST_VOICED] = pitchSample;
          this.voicedRun++;
          if (this.voicedRun >= START_FRAMES) {
            const recent = at[PENDING_ONSET] >= 0 && pitchSample - at[PENDING_ONSET] <= this.onsetMemorySamples;
            restartAt = recent ? at[PENDING_ONSET] : at[FIRST_VOICED];
            at[PENDING_ONSET] = -1;
          }
          addFrame = true;
        } else if (Math.abs(s[Slot.midi] - this.pitch) > DEVIATION_SEMITONES) {
          if (this.deviationRun === 0) at[DEVIATION_START] = pitchSample;
          this.deviationRun++;
          if (this.deviationRun >= END_FRAMES) {
            // A legato change: the new note starts where the pitch left the old one.
            finish = true;
            at[END] = at[DEVIATION_START];
            restartAt = at[DEVIATION_START];
            this.voicedRun = START_FRAMES;
            addFrame = true;
          }
        } else {
          this.deviationRun = 0;
          addFrame = true;
        }
      } else {
        this.voicedRun = 0;
        this.deviationRun = 0;
        if (this.active && !finish) {
          if (this.unvoicedRun === 0) at[UNVOICED_START] = pitchSample;
          this.unvoicedRun++;
          if (this.unvoicedRun >= END_FRAMES) {
            finish = true;
            at[END] = at[UNVOICED_START];
          }
        }
      }
      if (at[PENDING_ONSET] >= 0 && pitchSample - at[PENDING_ONSET] > this.onsetMemorySamples) at[PENDING_ONSET] = -1;
    }

    if (finish || (!this.active && this.voicedRun === 0)) {
      if (finish && this.voicedFrames >= START_FRAMES && at[END] > at[START] && sink.onNote !== undefined) {
        sink.onNote(this.pitch, this.velocity, at[START], at[END]);
      }
      this.active = false;
      h.fill(0);
      this.voicedFrames = 0;
      this.pitch = 0;
      this.peak[0] = NO_LEVEL;
      this.unvoicedRun = 0;
      this.deviationRun = 0;
    }
    if (restartAt >= 0 && !endOfStream) {
      this.active = true;
      at[START] = restartAt;
    }
    if (addFrame) {
      const m = Math.round(s[Slot.midi]);
      if (m >= 0 && m < 128) h[m] += 1;
      this.voicedFrames++;
      if (!this.active || pitchSample - at[START] <= this.velocityWindowSamples) {
        if (s[Slot.levelDbfs] > this.peak[0]) this.peak[0] = s[Slot.levelDbfs];
      }
      s[Slot.scratchDbfs] = this.peak[0];
      this.velocity = levelToVelocity(s, Slot.scratchDbfs);
      // The note's pitch: the most frequent rounded MIDI pitch so far.
      let best = 0;
      for (let i = 1; i < 128; i++) if (h[i] > h[best]) best = i;
      this.pitch = best;
    }
    if (endOfStream) {
      this.voicedRun = 0;
      at[PENDING_ONSET] = -1;
    }
  }

  /** Forgets everything without emitting. */
  reset(): void {
    this.active = false;
    this.histogram.fill(0);
    this.at.fill(0);
    this.at[PENDING_ONSET] = -1;
    this.peak[0] = NO_LEVEL;
    this.voicedFrames = 0;
    this.voicedRun = 0;
    this.unvoicedRun = 0;
    this.deviationRun = 0;
    this.pitch = 0;
    this.velocity = 1;
  }
}
