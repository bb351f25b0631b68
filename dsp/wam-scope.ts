/**
 * The WAM SDK's audio-thread classes for this module, fetched from the SDK's
 * own factory functions inside the AudioWorkletGlobalScope. Calling them here
 * (rather than injecting stringified functions from the main thread) keeps
 * the processor one real, type-checked module.
 *
 * Needs the host's `initializeWamHost()` to have run in this audio context
 * (it installs `globalThis.webAudioModules`).
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
