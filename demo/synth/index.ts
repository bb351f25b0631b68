/**
 * The demo host's built-in synth, a minimal WAM that plays the plugin's MIDI
 * output and records what it received (frames and bytes) for tests.
 */
import { WebAudioModule, WamNode } from '@webaudiomodules/sdk';
import type { WebAudioModule as IWebAudioModule, WamDescriptor } from '@webaudiomodules/api';
import { SYNTH_MODULE_ID, type ReceivedMidi, type SynthReply, type SynthRequest } from './protocol.ts';

let counter = 0;

/** The synth's node: asks the processor for what it received. */
export class DemoSynthNode extends WamNode {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: SynthReply) => void>();

  constructor(module: IWebAudioModule) {
    // One audio input, mixed through: placing the synth after the plugin in the
    // audio graph makes it render after the plugin in every quantum, so MIDI
    // thru arrives at the same sample frame.
    super(module, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 2, channelCountMode: 'explicit' });
  }

  /** Every MIDI event the synth received so far, with the frame it was placed at, and how many notes still sound. */
  received(): Promise<{ events: ReceivedMidi[]; activeNotes: number }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (reply) => resolve({ events: reply.events, activeNotes: reply.activeNotes }));
      const request: SynthRequest = { type: 'received', id };
      this.port.postMessage({ synth: request });
    });
  }

  /** Forgets the received-event log. */
  clearReceived(): void {
    const request: SynthRequest = { type: 'clear' };
    this.port.postMessage({ synth: request });
  }

  override _onMessage(message: MessageEvent): void {
    const data = message.data as { synth?: SynthReply };
    if (data && data.synth) {
      const resolve = this.waiting.get(data.synth.id);
      this.waiting.delete(data.synth.id);
      resolve?.(data.synth);
      return;
    }
    super._onMessage(message);
  }
}

export default class DemoSynth extends WebAudioModule<DemoSynthNode> {
  private readonly id = `${SYNTH_MODULE_ID}#${++counter}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(groupId: string, audioContext: BaseAudioContext) {
    super(groupId, audioContext);
    this._descriptor = {
      ...this._descriptor, identifier: SYNTH_MODULE_ID, name: 'Deep Improv Demo Synth', vendor: 'Deep Improv', version: '1.0.0',
      isInstrument: true, hasAudioInput: true, hasMidiInput: true, hasMidiOutput: false,
    } as WamDescriptor;
  }

  override get moduleId(): string { return SYNTH_MODULE_ID; }
  override get instanceId(): string { return this.id; }

  override async createAudioNode(): Promise<DemoSynthNode> {
    await this.audioContext.audioWorklet.addModule(new URL('./processor.js', import.meta.url));
    const node = new DemoSynthNode(this);
    await node._initialize();
    return node;
  }
}
