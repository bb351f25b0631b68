/**
 * What `<di-feature-view>` draws, kept from the feature batches: a ring of the
 * latest frames (level, MFCC 1–12, f0, onset strength, each with its time on
 * the audio clock), the chroma of the latest batch, tempo / beat phase / key,
 * and the recent detected notes. Plain data and arithmetic, no DOM and no
 * DSP: the GUI only reads what the engine computed.
 */
import type { FeatureBatch } from '../../protocol/features.ts';
import { BATCH_NOTE_STRIDE, BatchNote, FeatureIndex, keyName } from '../../protocol/features.ts';

/** MFCC coefficients shown (mfcc_1 … mfcc_12; mfcc_0 is the level). */
export const MFCC_SHOWN = 12;
/** Level shown at the bottom of the meter, dBFS. */
export const METER_FLOOR_DB = -60;

/** A detected note or drum hit, on the audio clock. */
export interface ViewNote {
  pitch: number;
  velocity: number;
  startS: number;
  endS: number;
}

/** Ring buffers of recent frames and the latest scalar state. */
export class FeatureViewModel {
  /** Frames kept. */
  readonly capacity: number;
  /** Frame start times, audio clock seconds. */
  readonly timeS: Float64Array;
  /** RMS level, dBFS (floored at −120). */
  readonly levelDb: Float32Array;
  /** f0 in Hz, 0 when unvoiced. */
  readonly f0Hz: Float32Array;
  /** Onset strength, dB. */
  readonly onset: Float32Array;
  /** MFCC 1–12 of each frame: mfcc[slot·12 + i] is mfcc_(i+1). */
  readonly mfcc: Float32Array;
  /** Running largest |mfcc_i| (decays slowly), for the colour scale. */
  readonly mfccScale = new Float32Array(MFCC_SHOWN).fill(1);
  /** Chroma of the latest batch (mean over its frames, max-normalised), C … B. */
  readonly chroma = new Float32Array(12);
  /** Frames pushed in total; the newest is at slot (written − 1) % capacity. */
  written = 0;
  /** Peak level with hold and decay, dBFS. */
  peakDb = -120;
  tempoBpm = 0;
  beatPhase = 0;
  keyIndex = -1;
  /** Confidence of the best-matching key, 0–1. */
  keyConfidence = 0;
  /** When the latest batch arrived (performance.now() ms), to advance the beat pulse between batches. */
  receivedAtMs = 0;
  /** Recent notes and drum hits, oldest first (at most `maxNotes`). */
  readonly notes: ViewNote[] = [];
  /** Most notes kept. */
  readonly maxNotes: number;

  /** @param capacity frames of history (default 512, ~5 s at 48 kHz / hop 512). @param maxNotes default 48. */
  constructor(capacity = 512, maxNotes = 48) {
    this.capacity = capacity;
    this.maxNotes = maxNotes;
    this.timeS = new Float64Array(capacity);
    this.levelDb = new Float32Array(capacity).fill(-120);
    this.f0Hz = new Float32Array(capacity);
    this.onset = new Float32Array(capacity);
    this.mfcc = new Float32Array(capacity * MFCC_SHOWN);
  }

  /** Takes in one batch. `nowMs` is the receive time (performance.now()). */
  push(batch: FeatureBatch, nowMs: number): void {
    const { frames, featureCount, frameCount } = batch;
    const hopS = batch.hopSize / batch.sampleRate;
    const chromaSum = new Float64Array(12);
    for (let f = 0; f < frameCount; f++) {
      const base = f * featureCount;
      const slot = this.written % this.capacity;
      const rms = frames[base + FeatureIndex.rms];
      const db = rms > 1e-6 ? 20 * Math.log10(rms) : -120;
      this.timeS[slot] = batch.firstFrameTimeS + f * hopS;
      this.levelDb[slot] = db;
      this.f0Hz[slot] = frames[base + FeatureIndex.voiced] > 0 ? frames[base + FeatureIndex.f0Hz] : 0;
      this.onset[slot] = frames[base + FeatureIndex.onsetStrength];
      for (let i = 0; i < MFCC_SHOWN; i++) {
        const v = frames[base + FeatureIndex.mfcc0 + 1 + i];
        this.mfcc[slot * MFCC_SHOWN + i] = v;
        // The scale follows loud passages up at once and relaxes over ~10 s of frames.
        this.mfccScale[i] = Math.max(Math.abs(v), this.mfccScale[i] * 0.9995, 1);
      }
      for (let c = 0; c < 12; c++) chromaSum[c] += frames[base + FeatureIndex.chroma0 + c];
      this.peakDb = Math.max(db, this.peakDb - 0.15);
      this.written++;
    }
    if (frameCount > 0) {
      const max = Math.max(...chromaSum);
      for (let c = 0; c < 12; c++) this.chroma[c] = max > 0 ? chromaSum[c] / max : 0;
    }
    this.tempoBpm = batch.tempoBpm;
    this.beatPhase = batch.beatPhase;
    this.keyIndex = batch.keyIndex;
    this.keyConfidence = batch.keyConfidence;
    this.receivedAtMs = nowMs;
    const notes = batch.notes;
    if (notes) {
      for (let o = 0; o + BATCH_NOTE_STRIDE <= notes.length; o += BATCH_NOTE_STRIDE) {
        this.notes.push({
          pitch: notes[o + BatchNote.pitch],
          velocity: notes[o + BatchNote.velocity],
          startS: notes[o + BatchNote.startS],
          endS: notes[o + BatchNote.endS],
        });
      }
      if (this.notes.length > this.maxNotes) this.notes.splice(0, this.notes.length - this.maxNotes);
    }
  }

  /** Frames currently held. */
  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  /** Ring slot of the i-th newest frame (0 = newest). */
  slotBack(i: number): number {
    return (((this.written - 1 - i) % this.capacity) + this.capacity) % this.capacity;
  }

  /** Time of the newest frame, audio clock seconds (0 before any). */
  get latestTimeS(): number {
    return this.written > 0 ? this.timeS[this.slotBack(0)] : 0;
  }

  /** Level of the newest frame, dBFS. */
  get latestLevelDb(): number {
    return this.written > 0 ? this.levelDb[this.slotBack(0)] : -120;
  }

  /** Beat phase at `nowMs`, advanced from the latest batch at the tracked tempo (0 while the tempo is unknown). */
  phaseAt(nowMs: number): number {
    if (!(this.tempoBpm > 0)) return 0;
    const p = this.beatPhase + ((nowMs - this.receivedAtMs) / 1000) * (this.tempoBpm / 60);
    return p - Math.floor(p);
  }

  /** The key as words with its confidence, e.g. 'A minor 72 %', or 'no key' (too little pitched material, or too unsure). */
  get keyLabel(): string {
    return this.keyIndex >= 0 ? `${keyName(this.keyIndex)} ${Math.round(100 * this.keyConfidence)} %` : 'no key';
  }

  /** The tempo as words, e.g. '120 BPM', or '— BPM' while unknown. */
  get tempoLabel(): string {
    return this.tempoBpm > 0 ? `${Math.round(this.tempoBpm)} BPM` : '— BPM';
  }
}
