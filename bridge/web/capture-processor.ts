/**
 * The MIDI capture (AudioWorkletGlobalScope): a minimal WAM event destination
 * the bridge page connects the plugin's MIDI output to. It joins the page's
 * WAM group under its own instance id, and posts every `wam-midi` event it
 * is given (audio-clock time and bytes) to the main thread at once: the
 * plugin emits about one block ahead, so the event reaches the page before
 * its time. It renders nothing.
 */

import { CAPTURE_PROCESSOR_NAME, type CaptureOptions, type CapturedMidi } from './capture-protocol.ts';

declare const registerProcessor: (name: string, ctor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor) => void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}

/** The WAM environment the host installed in this audio scope (the part used here). */
interface WamEnvLike {
  addWam(wam: unknown): void;
  removeWam(wam: unknown): void;
}

class CaptureProcessor extends AudioWorkletProcessor {
  readonly groupId: string;
  readonly instanceId: string;
  private alive = true;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const o = options.processorOptions as CaptureOptions;
    this.groupId = o.groupId;
    this.instanceId = o.instanceId;
    const env = (globalThis as unknown as { webAudioModules?: WamEnvLike }).webAudioModules;
    env?.addWam(this);
    this.port.onmessage = (event: MessageEvent) => {
      if ((event.data as { destroy?: boolean }).destroy) {
        this.alive = false;
        env?.removeWam(this);
        this.port.close();
      }
    };
    this.port.postMessage({ ready: env !== undefined });
  }

  /** Called by the WAM group for every event the plugin emits. */
  scheduleEvents(...events: { type: string; time?: number; data?: { bytes?: ArrayLike<number> } }[]): void {
    if (!this.alive) return;
    for (const event of events) {
      const bytes = event.data?.bytes;
      if (event.type !== 'wam-midi' || !bytes) continue;
      const message: CapturedMidi = { time: event.time ?? 0, bytes: Array.from(bytes) };
      this.port.postMessage(message);
    }
  }

  /** Events leave through the plugin, never through this node. */
  emitEvents(): void {}

  /** Nothing to render; stays alive while the page holds the node. */
  process(): boolean {
    return this.alive;
  }
}

try {
  registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
} catch {
  // Already registered in this context.
}
