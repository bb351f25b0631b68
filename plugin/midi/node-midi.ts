/**
 * The node's Web MIDI side (main thread): hardware outputs that play the
 * plugin's planned events, hardware inputs that feed the plugin as wam-midi
 * events, and the devices a state names. The node's MIDI methods delegate
 * here; a device that cannot be opened from a state is reported, not thrown.
 */
import type { WamEvent } from '@webaudiomodules/api';
import type { DeviceChoices } from '../state/schema.ts';
import { WebMidiBridge, type MidiPortInfo } from './web-midi-bridge.ts';

/** What the MIDI side needs of the node. */
export interface NodeMidiHost {
  readonly context: BaseAudioContext;
  /** Schedules events into the processor (hardware input arrives this way). */
  scheduleEvents(...events: WamEvent[]): void;
  /** Shows a problem in the plugin's status message. */
  reportError(message: string): void;
}

export class NodeMidi {
  private readonly bridge: WebMidiBridge;
  private readonly host: NodeMidiHost;

  constructor(host: NodeMidiHost) {
    this.host = host;
    this.bridge = new WebMidiBridge({
      context: host.context,
      sendToPlugin: (bytes, timeS) => host.scheduleEvents({ type: 'wam-midi', time: timeS, data: { bytes } }),
    });
  }

  /** Opens a state's MIDI devices; a missing device is reported through the host, never thrown. */
  async applyDevices(devices: DeviceChoices): Promise<void> {
    try {
      await this.bridge.setOutput(devices.midiOutputId);
      await this.bridge.setInputs(devices.midiInputIds);
    } catch (error) {
      this.host.reportError(error instanceof Error ? error.message : String(error));
    }
  }

  /** Hardware MIDI outputs (asks the browser for MIDI access). */
  outputs(): Promise<MidiPortInfo[]> {
    return this.bridge.outputs();
  }

  /** Hardware MIDI inputs (asks the browser for MIDI access). */
  inputs(): Promise<MidiPortInfo[]> {
    return this.bridge.inputPorts();
  }

  /**
   * Chooses the hardware output (null: none).
   * @throws Error when Web MIDI is unavailable or the device is gone.
   */
  setOutput(id: string | null): Promise<void> {
    return this.bridge.setOutput(id);
  }

  /**
   * Chooses the hardware inputs.
   * @throws Error when Web MIDI is unavailable or a device is gone.
   */
  setInputs(ids: string[]): Promise<void> {
    return this.bridge.setInputs(ids);
  }

  /** Plays planned events (packed frame, status, data1, data2; frames at `sampleRate`) on the hardware output. */
  play(events: Float64Array, sampleRate: number): void {
    this.bridge.play(events, sampleRate);
  }

  /** Cancels what is scheduled on the hardware output and ends its sounding notes. */
  cancel(): void {
    this.bridge.cancel();
  }

  /** Closes the ports. Safe to call twice. */
  dispose(): void {
    this.bridge.dispose();
  }
}
