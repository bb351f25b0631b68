/**
 * The real-time feature engine: mono samples in, one feature vector per hop
 * out (FEATURE_NAMES), plus note events, drum hits, tempo, beat phase and key.
 * The same class runs in the AudioWorklet processor and in the `analyze` CLI,
 * so both produce identical frames for the same float32 samples.
 *
 * Framing is causal: frame k covers input samples `[k·hop, k·hop + frameSize)`
 * counted from the first sample pushed (or the last `reset()`), and is
 * delivered as soon as its last sample arrives; its time is
 * `time_s = k·hop / sampleRate` (the frame's START; librosa's `center=True`
 * frames are centred there instead). No frame is emitted before `frameSize`
 * samples have arrived.
 *
 * Per frame: one Hann-windowed real FFT (fft.js) feeds every spectral
 * feature; YIN runs on a decimated copy of the input (about 11 kHz, 40 ms
 * window ending at the frame's end). Definitions: docs/features.md.
 *
 * Real-time contract: after construction nothing allocates inside `push()`
 * (typed arrays only, no closures), and `push()` never throws on data:
 * non-finite samples (NaN, ±Infinity) are replaced by 0 and counted in
 * {@link nonFiniteCount}; every output value is finite.
 */
import { FEATURE_COUNT, FeatureIndex, MFCC_COUNT } from './feature-names.ts';
import { type FeatureEngineOptions, resolveFeatureEngineOptions } from './feature-engine-options.ts';
import type { FeatureSink } from './feature-sink.ts';
import { SpectrumAnalyzer } from './spectrum.ts';
import { MelFilterbank } from './mel.ts';
import { ChromaFilterbank } from './chroma.ts';
import { OrthoDct2 } from './dct.ts';
import { powerToDb } from './power-to-db.ts';
import { frameRmsZcr } from './temporal.ts';
import { type ShapeSlots, spectralShape } from './spectral-shape.ts';
import { OnsetStrength } from './onset-strength.ts';
import { TempoTracker } from './tempo-tracker.ts';
import { KeyTracker, keyName } from './key-tracker.ts';
import { Decimator } from '../notes/decimator.ts';
import { Yin, YinOut } from '../notes/yin.ts';
import { OnsetPicker } from '../notes/onset-picker.ts';
import { AttackLocator } from '../notes/attack-locator.ts';
import { NoteTracker } from '../notes/note-tracker.ts';
import { DrumDetector } from '../notes/drum-detector.ts';
import { NewEnergy } from '../notes/new-energy.ts';
import { SLOT_COUNT, Slot } from './frame-state.ts';

/** Number of mel bands behind MFCC and onset strength (librosa's default). */
export const MEL_BANDS = 128;
/** Where spectralShape writes, in the frame vector. */
const SHAPE_SLOTS: ShapeSlots = Object.freeze({
  centroidHz: FeatureIndex.centroidHz,
  bandwidthHz: FeatureIndex.bandwidthHz,
  rolloffHz: FeatureIndex.rolloffHz,
  flux: FeatureIndex.flux,
  flatness: FeatureIndex.flatness,
});
/** A frame is pitched (feeds the key) when YIN's d′ is at most this: at least half its power is periodic. */
const PITCHED_APERIODICITY = 0.5;
/** Largest finite float32; outputs are clamped to ±this. */
const F32_MAX = 3.4028234663852886e38;

/** Real-time audio feature engine. See the module documentation. */
export class FeatureEngine {
  /** The resolved options (defaults filled in). */
  readonly options: Readonly<FeatureEngineOptions>;
  /** Input sample rate, Hz. */
  readonly sampleRate: number;
  /** Frame length, samples. */
  readonly frameSize: number;
  /** Hop, samples. */
  readonly hopSize: number;
  /** The frame vector handed to `sink.onFrame` (REUSED every frame; FEATURE_NAMES order). */
  readonly features: Float32Array;

  private readonly values = new Float64Array(FEATURE_COUNT);
  /** Per-frame scalars shared with the trackers (see frame-state.ts). */
  private readonly state = new Float64Array(SLOT_COUNT);
  private readonly ring: Float32Array;
  private readonly ringMask: number;
  private readonly frame: Float64Array;
  private readonly spectrum: SpectrumAnalyzer;
  private readonly previousMagnitude: Float64Array;
  private readonly mel: MelFilterbank;
  private readonly melPower = new Float64Array(MEL_BANDS);
  private readonly logMel = new Float64Array(MEL_BANDS);
  private readonly dct = new OrthoDct2(MEL_BANDS, MFCC_COUNT);
  private readonly mfcc = new Float64Array(MFCC_COUNT);
  private readonly chromaFilters: ChromaFilterbank;
  private readonly chroma = new Float64Array(12);
  private readonly onsetStrength = new OnsetStrength(MEL_BANDS);
  private readonly decimator: Decimator;
  private readonly yin: Yin;
  private readonly yinInput: Float64Array;
  private readonly yinOut = new Float64Array(4);
  /** Input samples from the end of the YIN window back to its centre, plus the decimator's delay. */
  private readonly pitchLagSamples: number;
  private readonly picker: OnsetPicker;
  private readonly newEnergy: NewEnergy;
  private readonly attack: AttackLocator;
  private readonly notes: NoteTracker;
  private readonly drums: DrumDetector;
  private readonly tempo: TempoTracker;
  private readonly key: KeyTracker;
  private readonly silenceRms: number;
  private readonly waitSamples: number;

  private samplesIn = 0;
  private nextFrameEnd: number;
  private frameCount = 0;
  private nonFinite = 0;
  private lastOnsetSample = -1e15;

  /**
   * @param options see {@link FeatureEngineOptions}; `sampleRate` should be given.
   * @throws RangeError / TypeError for an option out of range (the message names it).
   */
  constructor(options: Partial<FeatureEngineOptions> = {}) {
    const o = resolveFeatureEngineOptions(options);
    this.options = Object.freeze(o);
    this.sampleRate = o.sampleRate;
    this.frameSize = o.frameSize;
    this.hopSize = o.hopSize;
    this.features = new Float32Array(FEATURE_COUNT);
    this.nextFrameEnd = o.frameSize;
    const fps = o.sampleRate / o.hopSize;

    this.spectrum = new SpectrumAnalyzer(o.frameSize, o.sampleRate);
    this.previousMagnitude = new Float64Array(this.spectrum.binCount);
    this.mel = new MelFilterbank(o.sampleRate, o.frameSize, MEL_BANDS);
    this.chromaFilters = new ChromaFilterbank(o.sampleRate, o.frameSize);

    this.silenceRms = 10 ** (o.silenceDbfs / 20);
    // Decimate so the pitch tracker runs near 5× the highest pitch (≈ 10–12 kHz by default).
    const factor = Math.max(1, Math.floor(o.sampleRate / (5 * o.pitchMaxHz)));
    const pitchRate = o.sampleRate / factor;
    this.yin = new Yin(pitchRate, o.pitchMinHz, o.pitchMaxHz, o.yinThreshold, this.silenceRms);
    this.decimator = new Decimator(factor, this.yin.inputLength, o.frameSize);
    this.yinInput = new Float64Array(this.yin.inputLength);
    this.pitchLagSamples = Math.round(this.decimator.delaySamples + (this.yin.inputLength * factor) / 2);

    let ringSize = 1;
    while (ringSize < o.frameSize + o.hopSize + this.decimator.tapCount + factor + 1) ringSize *= 2;
    this.ring = new Float32Array(ringSize);
    this.ringMask = ringSize - 1;
    this.frame = new Float64Array(o.frameSize);

    this.state[Slot.silenceDbfs] = o.silenceDbfs;
    this.state[Slot.onsetSample] = -1;
    this.picker = new OnsetPicker(this.state, fps);
    this.newEnergy = new NewEnergy(this.state, MEL_BANDS);
    this.waitSamples = Math.round(0.03 * o.sampleRate);
    this.attack = new AttackLocator(Math.max(1, Math.round(o.sampleRate / 500)), o.frameSize + o.hopSize);
    this.notes = new NoteTracker(this.state, o.sampleRate, Math.round((this.yin.inputLength * factor) / 2));
    this.drums = new DrumDetector(this.state, this.ring, this.ringMask, this.attack, o.sampleRate, o.frameSize, o.hopSize);
    this.tempo = new TempoTracker(this.state, o.sampleRate, o.hopSize);
    this.key = new KeyTracker(fps);
  }

  /**
   * Consumes mono samples `input[start … end)` and calls `sink.onFrame` once
   * per completed hop (and `onNote` / `onDrumHit` when events end or occur).
   * Never allocates; never throws on sample values.
   */
  push(input: Float32Array, start: number, end: number, sink: FeatureSink): void {
    const ring = this.ring;
    const mask = this.ringMask;
    let i = start;
    while (i < end) {
      const need = this.nextFrameEnd - this.samplesIn;
      const n = need < end - i ? need : end - i;
      let pos = this.samplesIn;
      for (let j = 0; j < n; j++) {
        const x = input[i + j];
        // x − x is 0 for finite x and NaN for NaN/±Infinity.
        if (x - x === 0) {
          ring[pos & mask] = x;
        } else {
          ring[pos & mask] = 0;
          this.nonFinite++;
        }
        pos++;
      }
      this.samplesIn = pos;
      i += n;
      if (this.samplesIn === this.nextFrameEnd) {
        this.processFrame(sink);
        this.nextFrameEnd += this.hopSize;
      }
    }
  }

  /**
   * Ends a sounding note at the current input position (call at the end of a
   * stream so its last note is delivered). Does not emit a frame.
   */
  flush(sink: FeatureSink): void {
    this.state[Slot.frameEnd] = this.samplesIn;
    this.notes.update(sink, true);
  }

  /** Clears all state: the next sample pushed is sample 0 of frame 0. */
  reset(): void {
    this.ring.fill(0);
    this.previousMagnitude.fill(0);
    this.onsetStrength.reset();
    this.decimator.reset();
    this.picker.reset();
    this.newEnergy.reset();
    this.notes.reset();
    this.drums.reset();
    this.tempo.reset();
    this.key.reset();
    this.features.fill(0);
    this.samplesIn = 0;
    this.nextFrameEnd = this.frameSize;
    this.frameCount = 0;
    this.nonFinite = 0;
    this.lastOnsetSample = -1e15;
    const silenceDbfs = this.state[Slot.silenceDbfs];
    this.state.fill(0);
    this.state[Slot.silenceDbfs] = silenceDbfs;
    this.state[Slot.onsetSample] = -1;
  }

  /** Frames emitted since construction or the last reset. */
  get framesEmitted(): number {
    return this.frameCount;
  }

  /** Samples consumed since construction or the last reset. */
  get samplesConsumed(): number {
    return this.samplesIn;
  }

  /** Non-finite input samples (replaced by 0) since construction or the last reset. */
  get nonFiniteCount(): number {
    return this.nonFinite;
  }

  /** Current tempo estimate in BPM; 0 while unknown (the first ~3 s, or no pulse). */
  get tempoBpm(): number {
    return this.tempo.tempoBpm;
  }

  /** Beat phase in [0, 1) at the end of the latest frame (0 = on a beat); 0 while the tempo is unknown. */
  get beatPhase(): number {
    return this.tempo.beatPhase;
  }

  /** Key index: 0–11 = C … B major, 12–23 = C … B minor; −1 for no key (too little pitched material or too unsure). */
  get keyIndex(): number {
    return this.key.keyIndex;
  }

  /** Confidence of the best-matching key, 0–1 (see key-tracker.ts); reported even while the key is −1. */
  get keyConfidence(): number {
    return this.key.confidence;
  }

  /** Key name ('C major' … 'B minor', flats for black keys except C# and F#), or 'unknown'. */
  keyName(): string {
    return keyName(this.key.keyIndex);
  }

  private processFrame(sink: FeatureSink): void {
    const n = this.frameSize;
    const frameEnd = this.samplesIn;
    const v = this.values;
    const ring = this.ring;
    const mask = this.ringMask;
    const frame = this.frame;
    frameRmsZcr(ring, mask, frameEnd - n, frame, v, FeatureIndex.rms, FeatureIndex.zcr);
    const spectrum = this.spectrum;
    spectrum.compute(frame);
    spectralShape(spectrum, this.previousMagnitude, v, SHAPE_SLOTS);
    if (this.frameCount === 0) v[FeatureIndex.flux] = 0;

    this.mel.apply(spectrum.power, this.melPower);
    powerToDb(this.melPower, this.logMel, MEL_BANDS);
    this.dct.apply(this.logMel, this.mfcc);
    for (let c = 0; c < MFCC_COUNT; c++) v[FeatureIndex.mfcc0 + c] = this.mfcc[c];
    this.chromaFilters.apply(spectrum.power, this.chroma);
    for (let c = 0; c < 12; c++) v[FeatureIndex.chroma0 + c] = this.chroma[c];

    this.decimator.process(ring, mask, frameEnd);
    this.decimator.copyLatest(this.yinInput, this.yinInput.length);
    const yo = this.yinOut;
    this.yin.analyze(this.yinInput, yo, 0);
    v[FeatureIndex.f0Hz] = yo[YinOut.f0Hz];
    v[FeatureIndex.voiced] = yo[YinOut.voiced];
    this.onsetStrength.compute(this.logMel, v, FeatureIndex.onsetStrength);

    // Events. Scalars travel through the typed frame state so no call boxes a double.
    const st = this.state;
    const rms = v[FeatureIndex.rms];
    const gate = rms >= this.silenceRms;
    const voiced = yo[YinOut.voiced] > 0 && gate;
    const previousStrength = st[Slot.onsetStrength];
    st[Slot.frameEnd] = frameEnd;
    st[Slot.rms] = rms;
    st[Slot.levelDbfs] = rms > 1e-10 ? 20 * Math.log10(rms) : -200;
    st[Slot.gate] = gate ? 1 : 0;
    st[Slot.f0Hz] = yo[YinOut.f0Hz];
    st[Slot.voiced] = voiced ? 1 : 0;
    // Fractional MIDI pitch: 69 + 12·log2(f0 / 440).
    st[Slot.midi] = voiced ? 69 + 12 * Math.log2(yo[YinOut.f0Hz] / 440) : 0;
    st[Slot.pitchSample] = frameEnd - this.pitchLagSamples;
    st[Slot.onsetStrength] = v[FeatureIndex.onsetStrength];
    st[Slot.onsetSample] = -1;
    this.newEnergy.update(this.melPower);
    // The picker reports the previous frame's peak, one hop late.
    if (this.picker.push()) {
      st[Slot.onsetPeakStrength] = previousStrength;
      const peakEnd = frameEnd - this.hopSize;
      const from = Math.max(peakEnd - n, this.lastOnsetSample + this.waitSamples, 0);
      const onsetSample = this.attack.locate(ring, mask, from, frameEnd, false);
      st[Slot.onsetSample] = onsetSample;
      this.lastOnsetSample = onsetSample;
    }
    this.tempo.update();
    this.key.update(this.chroma, gate, yo[YinOut.aperiodicity] <= PITCHED_APERIODICITY, st);
    if (this.options.detectDrums) this.drums.update(spectrum.power, sink);
    if (this.options.detectNotes) this.notes.update(sink);

    const out = this.features;
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const x = v[j];
      out[j] = x > F32_MAX ? F32_MAX : x < -F32_MAX ? -F32_MAX : x === x ? x : 0;
    }
    const k = this.frameCount;
    this.frameCount = k + 1;
    sink.onFrame(k, out);
  }
}
