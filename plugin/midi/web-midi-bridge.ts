/**
 * The Web MIDI bridge (main thread, through the `webmidi` package): plays the
 * plugin's planned output on a hardware MIDI output, sample-accurately mapped
 * from the audio clock, and feeds hardware MIDI inputs into the plugin like
 * host MIDI. It asks for MIDI access only when a device is chosen.
 *
 * Timing: an event at audio-clock time t is sent with the timestamp
 * `performanceTime + (t − contextTime + outputLatency) · 1000 − latencyMs`,
 * where `getOutputTimestamp()` pairs the two clocks, `outputLatency` is the
 * audio output's own delay (so the synth sounds with the audio), and
 * `latencyMs` is the user's compensation for the device.
 */
import { WebMidi, type Input, type MessageEvent as MidiMessageEvent, type Output } from 'webmidi';

/** A MIDI port the user can pick. */
export interface MidiPortInfo {
  id: string;
  name: string;
}

/** What the bridge needs of the plugin. */
export interface BridgeHost {
  readonly context: BaseAudioContext;
  /** Sends a short MIDI message into the plugin at an audio-clock time (seconds). */
  sendToPlugin(bytes: [number, number, number], timeS: number): void;
}

/** True for MIDI clock, start, continue, stop and song position (what the clock follower takes). */
export function isClockMessage(status: number): boolean {
  return status === 0xf8 || status === 0xfa || status === 0xfb || status === 0xfc || status === 0xf2;
}

export class WebMidiBridge {
  private readonly host: BridgeHost;
  private output: Output | null = null;
  private readonly inputs = new Map<string, Input>();
  /** Sounding notes on the hardware output, per channel × pitch. */
  private readonly sounding = new Uint8Array(16 * 128);
  private enabled: Promise<void> | null = null;
  /** Compensation, milliseconds (the `midiOutLatency` parameter). */
  latencyMs = 0;

  constructor(host: BridgeHost) {
    this.host = host;
  }

  /** Enables Web MIDI once; rejects with a clear message when the browser or the user says no. */
  enable(): Promise<void> {
    if (!this.enabled) {
      this.enabled = WebMidi.enable().then(() => undefined).catch((error: unknown) => {
        this.enabled = null;
        throw new Error(`Web MIDI is not available here: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    return this.enabled;
  }

  /** Output ports (enables Web MIDI). */
  async outputs(): Promise<MidiPortInfo[]> {
    await this.enable();
    return WebMidi.outputs.map((o) => ({ id: o.id, name: o.name }));
  }

  /** Input ports (enables Web MIDI). */
  async inputPorts(): Promise<MidiPortInfo[]> {
    await this.enable();
    return WebMidi.inputs.map((i) => ({ id: i.id, name: i.name }));
  }

  /** Chooses the hardware output (null for none); notes sounding on the old one are ended. */
  async setOutput(id: string | null): Promise<void> {
    this.cancel();
    this.output = null;
    if (id === null) return;
    await this.enable();
    const output = WebMidi.getOutputById(id);
    if (!output) throw new Error(`no MIDI output with id '${id}'`);
    this.output = output;
  }

  /** Listens to these hardware inputs (and stops listening to the others). */
  async setInputs(ids: string[]): Promise<void> {
    for (const [id, input] of this.inputs) {
      if (!ids.includes(id)) {
        input.removeListener('midimessage');
        this.inputs.delete(id);
      }
    }
    if (ids.length === 0) return;
    await this.enable();
    for (const id of ids) {
      if (this.inputs.has(id)) continue;
      const input = WebMidi.getInputById(id);
      if (!input) throw new Error(`no MIDI input with id '${id}'`);
      input.addListener('midimessage', (event: MidiMessageEvent) => this.onInput(event));
      this.inputs.set(id, input);
    }
  }

  private onInput(event: MidiMessageEvent): void {
    const data = event.message.data;
    if (data.length < 1 || data.length > 3) return;
    // Clock and song position keep their exact time, even when it has passed: the clock follower fits a line through them.
    const exact = isClockMessage(data[0]);
    this.host.sendToPlugin([data[0], data[1] ?? 0, data[2] ?? 0], this.audioTimeOf(event.timestamp, exact));
  }

  /**
   * Audio-clock time (seconds) of a performance.now() timestamp; not before
   * the context's current time unless `exact`.
   */
  private audioTimeOf(performanceMs: number, exact: boolean): number {
    const context = this.host.context as AudioContext;
    if (typeof context.getOutputTimestamp !== 'function') return context.currentTime;
    const stamp = context.getOutputTimestamp();
    const time = (stamp.contextTime ?? 0) + (performanceMs - (stamp.performanceTime ?? 0)) / 1000;
    return exact ? time : Math.max(context.currentTime, time);
  }

  /** performance.now() timestamp at which an audio-clock time is heard, less the compensation. */
  private timestampOf(timeS: number): number {
    const context = this.host.context as AudioContext;
    if (typeof context.getOutputTimestamp !== 'function') return performance.now();
    const stamp = context.getOutputTimestamp();
    const outputLatency = (context as AudioContext).outputLatency ?? 0;
    return (stamp.performanceTime ?? performance.now()) + (timeS - (stamp.contextTime ?? 0) + outputLatency) * 1000 - this.latencyMs;
  }

  /** Sends planned events (packed frame, status, data1, data2) at their times. */
  play(events: Float64Array, sampleRate: number): void {
    const output = this.output;
    if (!output) return;
    const now = performance.now();
    for (let i = 0; i + 3 < events.length; i += 4) {
      const status = events[i + 1];
      const d1 = events[i + 2];
      const d2 = events[i + 3];
      const key = ((status & 0x0f) << 7) | d1;
      const kind = status & 0xf0;
      if (kind === 0x90 && d2 > 0) this.sounding[key] = Math.min(255, this.sounding[key] + 1);
      else if ((kind === 0x80 || kind === 0x90) && this.sounding[key] > 0) this.sounding[key]--;
      output.send([status, d1, d2], { time: Math.max(now, this.timestampOf(events[i] / sampleRate)) });
    }
  }

  /** Drops pending sends and ends every note this bridge started, at once. */
  cancel(): void {
    const output = this.output;
    if (!output) {
      this.sounding.fill(0);
      return;
    }
    output.clear();
    for (let key = 0; key < this.sounding.length; key++) {
      if (this.sounding[key] > 0) output.send([0x80 | (key >> 7), key & 127, 0]);
      this.sounding[key] = 0;
    }
  }

  /** Ends notes and stops listening. Safe to call twice. */
  dispose(): void {
    this.cancel();
    for (const input of this.inputs.values()) input.removeListener('midimessage');
    this.inputs.clear();
    this.output = null;
  }
}
