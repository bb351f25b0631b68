/**
 * The WAM SDK's audio-thread classes for this module, fetched from the SDK's
 * own factory functions inside the AudioWorkletGlobalScope. Calling them here
 * (rather than injecting stringified functions from the main thread) keeps
 * the processor one real, type-checked module.
 *
 * Needs the host's `initializeWamHost()` to have run in this audio context
 * (it installs `globalThis.webAudioModules`).
 *
 * It also declares what the AudioWorkletGlobalScope gives the audio-thread
 * code beyond ECMAScript (tsconfig.worklet.json has no DOM library, so a
 * `window` or `document` in dsp/ or protocol/ fails to type-check): the
 * scope's clock and registration, message ports and events, transferables,
 * the node options the processor is constructed with, and the Encoding API.
 */
import getRingBuffer from '@webaudiomodules/sdk/src/RingBuffer.js';
import getWamEventRingBuffer from '@webaudiomodules/sdk/src/WamEventRingBuffer.js';
import getWamArrayRingBuffer from '@webaudiomodules/sdk/src/WamArrayRingBuffer.js';
import getWamParameter from '@webaudiomodules/sdk/src/WamParameter.js';
import getWamParameterInfo from '@webaudiomodules/sdk/src/WamParameterInfo.js';
import getWamParameterInterpolator from '@webaudiomodules/sdk/src/WamParameterInterpolator.js';
import getWamProcessor from '@webaudiomodules/sdk/src/WamProcessor.js';

/** The SDK classes the processor builds on. */
export interface WamScope {
  WamProcessor: ReturnType<typeof getWamProcessor>;
  WamParameterInfo: ReturnType<typeof getWamParameterInfo>;
}

/**
 * Installs the SDK classes into the WAM module scope of `moduleId` and
 * returns the ones the processor needs.
 * @throws Error when the host has not initialised the WAM environment.
 */
export function loadWamScope(moduleId: string): WamScope {
  const scope = globalThis as unknown as { webAudioModules?: unknown };
  if (!scope.webAudioModules) {
    throw new Error('Deep Improv: the WAM environment is missing in this audio context; the host must call initializeWamHost() first');
  }
  getRingBuffer(moduleId);
  getWamEventRingBuffer(moduleId);
  getWamArrayRingBuffer(moduleId);
  getWamParameter(moduleId);
  const WamParameterInfo = getWamParameterInfo(moduleId);
  getWamParameterInterpolator(moduleId);
  const WamProcessor = getWamProcessor(moduleId);
  return { WamProcessor, WamParameterInfo };
}

declare global {
  /** Sample rate of the audio context, in Hz. */
  const sampleRate: number;
  /** Context time of the current render quantum, in seconds. */
  const currentTime: number;
  /** Frame index of the current render quantum (audio frames since the context started). */
  const currentFrame: number;
  /** Registers an AudioWorkletProcessor class under `name`. */
  function registerProcessor(name: string, ctor: unknown): void;

  /** A message event on a port (HTML). */
  interface MessageEvent<T = any> {
    readonly data: T;
  }
  /** One end of a MessageChannel (HTML). */
  interface MessagePort {
    onmessage: ((event: MessageEvent) => void) | null;
    postMessage(message: unknown, transfer?: Transferable[]): void;
    start(): void;
    close(): void;
  }
  /** What postMessage may move instead of copy (the processor moves typed arrays' buffers and ports). */
  type Transferable = ArrayBufferLike | MessagePort;
  /** The options an AudioWorkletNode passes to its processor's constructor (Web Audio). */
  interface AudioWorkletNodeOptions {
    numberOfInputs?: number;
    numberOfOutputs?: number;
    outputChannelCount?: number[];
    parameterData?: Record<string, number>;
    processorOptions?: any;
  }
  /** UTF-8 encoding and decoding (the Encoding API, exposed in every scope). */
  class TextEncoder {
    encode(input?: string): Uint8Array;
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
    decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
  }
}
