/**
 * The demo synth's processor: a small polyphonic synth for the plugin's MIDI
 * output (channel 10 plays drum sounds, other channels a soft saw voice).
 * It also logs the sample frame of every MIDI event it receives, which the
 * browser tests read to check sample-accurate timing and hanging notes.
 */
import getRingBuffer from '@webaudiomodules/sdk/src/RingBuffer.js';
import getWamEventRingBuffer from '@webaudiomodules/sdk/src/WamEventRingBuffer.js';
import getWamArrayRingBuffer from '@webaudiomodules/sdk/src/WamArrayRingBuffer.js';
import getWamParameter from '@webaudiomodules/sdk/src/WamParameter.js';
import getWamParameterInfo from '@webaudiomodules/sdk/src/WamParameterInfo.js';
import getWamParameterInterpolator from '@webaudiomodules/sdk/src/WamParameterInterpolator.js';
import getWamProcessor from '@webaudiomodules/sdk/src/WamProcessor.js';
import type { WamEvent, WamMidiData } from '@webaudiomodules/api';
import { SYNTH_MODULE_ID, type ReceivedMidi, type SynthReply, type SynthRequest } from './protocol.ts';

declare const sampleRate: number;
declare const currentTime: number;
declare const currentFrame: number;
declare function registerProcessor(name: string, ctor: unknown): void;

getRingBuffer(SYNTH_MODULE_ID);
getWamEventRingBuffer(SYNTH_MODULE_ID);
getWamArrayRingBuffer(SYNTH_MODULE_ID);
getWamParameter(SYNTH_MODULE_ID);
getWamParameterInfo(SYNTH_MODULE_ID);
getWamParameterInterpolator(SYNTH_MODULE_ID);
const WamProcessor = getWamProcessor(SYNTH_MODULE_ID);

const VOICES = 24;
const MAX_LOG = 1 << 16;
const byTime = (a: { event: WamEvent }, b: { event: WamEvent }) => (a.event.time ?? 0) - (b.event.time ?? 0);

class DemoSynthProcessor extends WamProcessor {
  private readonly log: ReceivedMidi[] = [];
  // Voice state in flat arrays: no allocation while playing.
  private readonly note = new Int16Array(VOICES).fill(-1);
  private readonly channel = new Int8Array(VOICES);
  private readonly gate = new Uint8Array(VOICES);
  private readonly level = new Float32Array(VOICES);
  private readonly velocity = new Float32Array(VOICES);
  private readonly phase = new Float64Array(VOICES);
  private readonly age = new Float64Array(VOICES);
  private noiseSeed = 22222;
  declare _eventQueueRequiresSort: boolean;

  override async _onMessage(message: MessageEvent): Promise<void> {
    const data = message.data as { synth?: SynthRequest };
    if (data && data.synth) {
      const request = data.synth;
      if (request.type === 'clear') this.log.length = 0;
      else {
        let active = 0;
        for (let v = 0; v < VOICES; v++) if (this.note[v] >= 0 && this.gate[v]) active++;
        const reply: SynthReply = { type: 'received', id: request.id, events: this.log.slice(), activeNotes: active };
        this.port.postMessage({ synth: reply });
      }
      return;
    }
    return super._onMessage(message);
  }

  override process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this._destroyed) return false;
    const out = outputs[0];
    if (!out || out.length === 0) return true;
    const input = inputs[0];
    const queue = this._eventQueue;
    if (this._eventQueueRequiresSort) { queue.sort(byTime); this._eventQueueRequiresSort = false; }
    let start = 0;
    while (queue.length > 0) {
      const offset = (queue[0].event.time ?? 0) - currentTime;
      const index = offset > 0 ? Math.round(offset * sampleRate) : 0;
      if (index >= 128) break;
      const pending = queue.shift()!;
      if (pending.id) this.port.postMessage({ id: pending.id, response: 'add/event' });
      this.render(out, start, index);
      start = index;
      if (pending.event.type === 'wam-midi') this.onMidi((pending.event.data as WamMidiData).bytes, currentFrame + index);
    }
    this.render(out, start, 128);
    for (let c = 1; c < out.length; c++) out[c].set(out[0]);
    if (input) {
      for (let c = 0; c < out.length && c < input.length; c++) {
        const src = input[c];
        const dst = out[c];
        for (let i = 0; i < 128; i++) dst[i] += src[i];
      }
    }
    return true;
  }

  private onMidi(bytes: ArrayLike<number>, frame: number): void {
    const status = bytes[0] | 0;
    const d1 = bytes[1] | 0;
    const d2 = bytes[2] | 0;
    if (this.log.length < MAX_LOG) this.log.push({ frame, status, data1: d1, data2: d2 });
    const kind = status & 0xf0;
    const ch = status & 0x0f;
    if (kind === 0x90 && d2 > 0) this.noteOn(ch, d1, d2);
    else if (kind === 0x80 || (kind === 0x90 && d2 === 0)) this.noteOff(ch, d1);
    else if (kind === 0xb0 && (d1 === 123 || d1 === 120)) for (let v = 0; v < VOICES; v++) if (this.channel[v] === ch) this.gate[v] = 0;
  }

  private noteOn(ch: number, pitch: number, vel: number): void {
    let voice = 0;
    let oldest = -1;
    for (let v = 0; v < VOICES; v++) {
      if (this.note[v] < 0 || this.level[v] < 1e-4) { voice = v; oldest = Infinity; break; }
      if (this.age[v] > oldest) { oldest = this.age[v]; voice = v; }
    }
    this.note[voice] = pitch;
    this.channel[voice] = ch;
    this.gate[voice] = 1;
    this.velocity[voice] = vel / 127;
    this.level[voice] = ch === 9 ? 1 : 0;
    this.phase[voice] = 0;
    this.age[voice] = 0;
  }

  private noteOff(ch: number, pitch: number): void {
    for (let v = 0; v < VOICES; v++) if (this.note[v] === pitch && this.channel[v] === ch) this.gate[v] = 0;
  }

  private render(out: Float32Array[], from: number, to: number): void {
    const left = out[0];
    for (let v = 0; v < VOICES; v++) {
      if (this.note[v] < 0) continue;
      const drum = this.channel[v] === 9;
      const pitch = this.note[v];
      const gain = 0.15 * this.velocity[v];
      for (let i = from; i < to; i++) {
        let sample: number;
        const t = this.age[v] / sampleRate;
        if (drum) {
          // Kick: falling sine; snare/hats/cymbals: decaying noise, brighter for higher keys.
          this.noiseSeed = (this.noiseSeed * 1103515245 + 12345) & 0x7fffffff;
          const noise = this.noiseSeed / 0x3fffffff - 1;
          if (pitch <= 36) {
            this.phase[v] += (50 + 120 * Math.exp(-t * 30)) / sampleRate;
            sample = Math.sin(2 * Math.PI * this.phase[v]) * Math.exp(-t * 8);
          } else {
            const decay = pitch === 38 || pitch === 40 ? 18 : pitch >= 49 ? 6 : 40;
            sample = noise * Math.exp(-t * decay) * 0.6;
          }
          this.level[v] = Math.exp(-t * 6);
        } else {
          const hz = 440 * Math.pow(2, (pitch - 69) / 12);
          this.phase[v] = (this.phase[v] + hz / sampleRate) % 1;
          const target = this.gate[v] ? 1 : 0;
          this.level[v] += (target - this.level[v]) * (target ? 0.005 : 0.0008);
          sample = (2 * this.phase[v] - 1) * this.level[v];
        }
        left[i] += gain * sample;
        this.age[v]++;
      }
      if (this.level[v] < 1e-4 && (!this.gate[v] || drum) && this.age[v] > 256) this.note[v] = -1;
    }
  }
}

try {
  registerProcessor(SYNTH_MODULE_ID, DemoSynthProcessor);
} catch {
  // already registered by an earlier instance
}
