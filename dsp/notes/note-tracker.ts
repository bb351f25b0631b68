/**
 * Monophonic audio → note events. Each frame brings (through the frame
 * state) the YIN pitch and voicing, the level and, when the onset picker
 * fired, the refined onset sample. A small state machine segments notes:
 *
 * - a note starts after 2 consecutive voiced frames, at the latest onset if one
 *   came within the last 140 ms, else at the first voiced frame's pitch time;
 * - it ends at the next onset that comes with a level rise of ≥ 1.5 dB over
 *   the quietest of the 3 frames before it (a re-articulation; an onset
 *   without a rise, such as a release's spectral splatter, is only
 *   remembered), after 3 unvoiced frames (at the first of them), or when the
 *   pitch leaves the note by more than 0.8 semitone and 2 frames agree
 *   (within 1 semitone) on the new pitch (a legato change: the new note
 *   starts at a remembered onset within 80 ms, else where the pitch first
 *   left; if that would leave the old note shorter than 60 ms, the old
 *   note's frames were the transition and only its pitch is re-estimated);
 * - an onset within 60 ms of a just-started note (≤ 3 voiced frames) moves
 *   that note's start instead of splitting it (the pitch locked first);
 * - after a note starts at an onset, pitch frames whose analysis window still
 *   reaches back before the onset are ignored (they hear the previous note);
 * - its pitch is the most frequent rounded MIDI pitch over its voiced frames
 *   (the first 4 frames only vote: a transition frame cannot start a change);
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
/** Pitch frames before this sample hear the previous note. */
const SETTLED = 6;
/** Latest onset that came without a level rise (−1: none). */
const SOFT_ONSET = 7;
/** Fractional MIDI pitch of the latest frame away from the note. */
const DEVIATION_PITCH = 8;
/** Voiced frames before a note's pitch is established (until then its frames only vote). */
const ESTABLISHED_FRAMES = 4;
/** Frames that must agree (within 1 semitone) on a new pitch for a legato change. */
const CONSISTENT_FRAMES = 2;
/** Level rise that makes an onset inside a note a re-articulation, dB. */
const RISE_DB = 1.5;
/** Levels remembered, frames. */
const LEVEL_HISTORY = 4;

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
  private readonly at = new Float64Array(9);
  /** The last LEVEL_HISTORY frame levels, dBFS (ring). */
  private readonly levels = new Float64Array(LEVEL_HISTORY);
  private readonly pitchHalfSpanSamples: number;
  private readonly softOnsetSamples: number;
  private readonly minNoteSamples: number;
  private frame = 0;
  /** Peak level of the current note, dBFS, at [0]. */
  private readonly peak = new Float64Array(1);
  private active = false;
  private voicedFrames = 0;
  private voicedRun = 0;
  private unvoicedRun = 0;
  private deviationRun = 0;
  private consistentRun = 0;
  private pitch = 0;
  private velocity = 1;

  /**
   * @param state the engine's frame state. @param sampleRate Hz.
   * @param pitchHalfSpanSamples half the pitch analysis window, in input samples.
   */
  constructor(state: Float64Array, sampleRate: number, pitchHalfSpanSamples: number) {
    this.state = state;
    this.pitchHalfSpanSamples = pitchHalfSpanSamples;
    this.softOnsetSamples = Math.round(0.08 * sampleRate);
    this.minNoteSamples = Math.round(0.06 * sampleRate);
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
    let reestimate = false;
    if (endOfStream) {
      if (this.active) {
        finish = true;
        at[END] = s[Slot.frameEnd];
      }
    } else {
      // Level now versus the quietest of the frames before the onset's peak frame.
      const lv = this.levels;
      const f = this.frame;
      let quietest = lv[(f + LEVEL_HISTORY - 2) % LEVEL_HISTORY];
      for (let j = 3; j <= LEVEL_HISTORY; j++) quietest = Math.min(quietest, lv[(f + LEVEL_HISTORY - j) % LEVEL_HISTORY]);
      const rises = s[Slot.levelDbfs] >= quietest + RISE_DB;
      lv[f % LEVEL_HISTORY] = s[Slot.levelDbfs];
      this.frame = f + 1;
      if (onsetSample >= 0) {
        if (this.active && this.voicedFrames <= END_FRAMES && Math.abs(onsetSample - at[START]) < this.mergeSamples) {
          // The same attack seen twice (pitch locked before the onset peak): move the start.
          at[START] = onsetSample;
          at[SETTLED] = onsetSample + this.pitchHalfSpanSamples;
        } else if (this.active && !rises) {
          at[SOFT_ONSET] = onsetSample;
        } else {
          if (this.active) {
            finish = true;
            at[END] = onsetSample;
          }
          at[PENDING_ONSET] = onsetSample;
        }
      }
      const settled = pitchSample >= at[SETTLED];
      if (s[Slot.voiced] > 0 && !settled && this.active && !finish) {
        // Still hearing the previous note: neither evidence for nor against this one.
      } else if (s[Slot.voiced] > 0) {
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
        } else if (this.voicedFrames >= ESTABLISHED_FRAMES && Math.abs(s[Slot.midi] - this.pitch) > DEVIATION_SEMITONES) {
          // Away from the note: a legato change once CONSISTENT_FRAMES frames agree on a new pitch
          // (a transition's first frames can hear both notes and report a common sub-harmonic).
          if (this.deviationRun === 0 || Math.abs(s[Slot.midi] - at[DEVIATION_PITCH]) > 1) {
            if (this.deviationRun === 0) at[DEVIATION_START] = pitchSample;
            this.consistentRun = 1;
          } else {
            this.consistentRun++;
          }
          at[DEVIATION_PITCH] = s[Slot.midi];
          this.deviationRun++;
          if (this.consistentRun >= CONSISTENT_FRAMES) {
            // The new note starts at a nearby soft onset, else where the pitch first left.
            const soft = at[SOFT_ONSET] >= 0 && Math.abs(at[SOFT_ONSET] - at[DEVIATION_START]) <= this.softOnsetSamples;
            const change = soft ? at[SOFT_ONSET] : at[DEVIATION_START];
            if (change - at[START] < this.minNoteSamples) {
              // Too short to be a note of its own: its frames were the transition. Re-estimate, keep the start.
              reestimate = true;
            } else {
              finish = true;
              at[END] = change;
              restartAt = change;
              this.voicedRun = START_FRAMES;
            }
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
    if (reestimate) {
      h.fill(0);
      this.voicedFrames = 0;
      this.deviationRun = 0;
    }
    if (restartAt >= 0 && !endOfStream) {
      this.active = true;
      at[START] = restartAt;
      at[SETTLED] = restartAt + this.pitchHalfSpanSamples;
      at[SOFT_ONSET] = -1;
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
    this.at[SOFT_ONSET] = -1;
    this.levels.fill(-200);
    this.frame = 0;
    this.peak[0] = NO_LEVEL;
    this.voicedFrames = 0;
    this.voicedRun = 0;
    this.unvoicedRun = 0;
    this.deviationRun = 0;
    this.pitch = 0;
    this.velocity = 1;
  }
}
