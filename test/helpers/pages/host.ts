/**
 * A bare WAM host page's script for browser tests: exposes the SDK's
 * `initializeWamHost`, `createPlugin(url)` and `pluginWithSynth(...)`, and counts live Workers and window/document listeners,
 * so tests can prove that destroyed instances leave nothing behind.
 * It must load before any plugin code.
 */
import { initializeWamHost } from '@webaudiomodules/sdk';

interface Counts { workers: number; listeners: number }
const counts: Counts = { workers: 0, listeners: 0 };

const NativeWorker = window.Worker;
class CountingWorker extends NativeWorker {
  private alive = true;
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    counts.workers++;
  }
  override terminate(): void {
    if (this.alive) counts.workers--;
    this.alive = false;
    super.terminate();
  }
}
window.Worker = CountingWorker;

for (const target of [window, document] as EventTarget[]) {
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  const live = new Set<unknown>();
  target.addEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) => {
    const key = `${type}`;
    if (listener && !live.has(listener)) { live.add(listener); counts.listeners++; }
    add(key, listener, options);
  };
  target.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) => {
    if (listener && live.delete(listener)) counts.listeners--;
    remove(type, listener, options);
  };
}

/**
 * Initialises the WAM host in `context` and creates the plugin (from
 * `pluginUrl`) chained to the demo synth (from `synthUrl`): plugin → synth →
 * destination, the plugin's MIDI output connected to the synth. Rendering
 * after the plugin, the synth receives MIDI at the frames it was planned for.
 */
async function pluginWithSynth(context: BaseAudioContext, pluginUrl: string, synthUrl: string) {
  const [groupId] = await initializeWamHost(context);
  const { default: Plugin } = await import(/* @vite-ignore */ pluginUrl);
  const { default: Synth } = await import(/* @vite-ignore */ synthUrl);
  const plugin = await Plugin.createInstance(groupId, context);
  const synth = await Synth.createInstance(groupId, context);
  plugin.audioNode.connect(synth.audioNode);
  synth.audioNode.connect(context.destination);
  plugin.audioNode.connectEvents(synth.instanceId);
  return { plugin, synth, groupId };
}

/**
 * Initialises the WAM host in `context` (default: a new realtime
 * AudioContext) and creates the plugin from `pluginUrl`, unconnected.
 */
async function createPlugin(pluginUrl: string, context: BaseAudioContext = new AudioContext()) {
  const [groupId] = await initializeWamHost(context);
  const { default: Plugin } = await import(/* @vite-ignore */ pluginUrl);
  const plugin = await Plugin.createInstance(groupId, context);
  return { context, groupId, plugin };
}

Object.assign(window, { initializeWamHost, createPlugin, pluginWithSynth, hostCounts: counts, hostReady: true });
