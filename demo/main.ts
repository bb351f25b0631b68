/**
 * The demo host: loads the built plugin by URL with the SDK's
 * `initializeWamHost`, mounts its GUI, feeds it audio (file or microphone)
 * and MIDI (Web MIDI devices, the computer keyboard, a demo phrase), sends it
 * a host transport, and plays its MIDI output on the built-in demo synth.
 *
 * `?plugin=<url>` loads another build of the plugin.
 */
import { initializeWamHost } from '@webaudiomodules/sdk';
import type { WamEvent, WamNode, WebAudioModule } from '@webaudiomodules/api';
import { WebMidi, type Input, type NoteMessageEvent } from 'webmidi';
import { isEditableEvent } from './editable-target.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const logLine = (text: string) => {
  const log = $('log');
  log.textContent = `${text}\n${log.textContent ?? ''}`.slice(0, 4000);
};

interface Host {
  context: AudioContext;
  plugin: WebAudioModule<WamNode>;
  synth: WebAudioModule<WamNode>;
}

let host: Host | null = null;
let transportPlaying = false;
let midiInput: Input | null = null;

async function start(): Promise<Host> {
  const context = new AudioContext({ latencyHint: 'interactive' });
  const [groupId] = await initializeWamHost(context);
  const params = new URLSearchParams(location.search);
  const pluginUrl = params.get('plugin') ?? new URL('/plugin/index.js', location.href).href;
  const pluginModule = await import(/* @vite-ignore */ pluginUrl);
  const Plugin = pluginModule.default;
  const { default: Synth } = await import(/* @vite-ignore */ new URL('./synth/index.js', import.meta.url).href);
  const plugin = (await Plugin.createInstance(groupId, context)) as WebAudioModule<WamNode>;
  const synth = (await Synth.createInstance(groupId, context)) as WebAudioModule<WamNode>;
  // plugin → synth → speakers: the synth mixes the plugin's audio through and,
  // rendering after it, gets MIDI thru at the same sample frame.
  plugin.audioNode.connect(synth.audioNode);
  synth.audioNode.connect(context.destination);
  plugin.audioNode.connectEvents(synth.instanceId);
  const gui = await plugin.createGui();
  $('gui').replaceChildren(gui);
  await applySharedPreset(plugin, pluginModule.readPresetFromUrl);
  logLine(`Plugin loaded from ${pluginUrl}`);
  return { context, plugin, synth };
}

/**
 * Opens a preset shared as a link (`#preset=…`) with the plugin module's own
 * `readPresetFromUrl` export, so the demo never depends on plugin internals.
 */
async function applySharedPreset(plugin: WebAudioModule<WamNode>, readPresetFromUrl?: (url: URL) => unknown): Promise<void> {
  if (!location.hash.includes('preset=') && !location.search.includes('preset=')) return;
  if (typeof readPresetFromUrl !== 'function') {
    logLine('This plugin build cannot open shared preset links.');
    return;
  }
  try {
    const state = readPresetFromUrl(new URL(location.href));
    if (state) {
      await plugin.audioNode.setState(state);
      logLine('Opened the shared preset from the link.');
    }
  } catch (error) {
    logLine(`The shared preset could not be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function sendMidi(bytes: [number, number, number], time?: number): void {
  if (!host) return;
  const event: WamEvent = { type: 'wam-midi', time: time ?? host.context.currentTime, data: { bytes } };
  host.plugin.audioNode.scheduleEvents(event);
}

function sendTransport(): void {
  if (!host) return;
  const tempo = Number(($('tempo') as HTMLInputElement).value) || 120;
  host.plugin.audioNode.scheduleEvents({
    type: 'wam-transport',
    time: host.context.currentTime,
    data: { currentBar: 0, currentBarStarted: host.context.currentTime + 0.05, tempo, timeSigNumerator: 4, timeSigDenominator: 4, playing: transportPlaying },
  });
}

/** A two-bar phrase (C minor pentatonic) at the transport tempo. */
function playRiff(): void {
  if (!host) return;
  const tempo = Number(($('tempo') as HTMLInputElement).value) || 120;
  const beat = 60 / tempo;
  const t0 = host.context.currentTime + 0.1;
  const notes = [60, 63, 65, 67, 70, 67, 65, 63, 60, 58, 60, 63, 65, 63, 60, 55];
  notes.forEach((pitch, i) => {
    sendMidi([0x90, pitch, 96], t0 + i * beat * 0.5);
    sendMidi([0x80, pitch, 0], t0 + (i + 0.9) * beat * 0.5);
  });
}

const KEYS = 'awsedftgyhujk';
let octave = 60;
const held = new Set<string>();

function onKey(event: KeyboardEvent, down: boolean): void {
  if (!host || event.repeat) return;
  const key = event.key.toLowerCase();
  // Typing in a text field (the plugin's own, inside its shadow root, included) must not play notes;
  // a key released there still ends the note it started elsewhere.
  if (isEditableEvent(event) && (down || !held.has(key))) return;
  if (down && key === 'z') { octave = Math.max(24, octave - 12); return; }
  if (down && key === 'x') { octave = Math.min(96, octave + 12); return; }
  const index = KEYS.indexOf(key);
  if (index < 0) return;
  if (down === held.has(key)) return;
  if (down) held.add(key); else held.delete(key);
  sendMidi(down ? [0x90, octave + index, 100] : [0x80, octave + index, 0]);
}

async function useFile(file: File): Promise<void> {
  if (!host) return;
  const buffer = await host.context.decodeAudioData(await file.arrayBuffer());
  const source = new AudioBufferSourceNode(host.context, { buffer, loop: true });
  source.connect(host.plugin.audioNode);
  source.start();
  logLine(`Playing ${file.name} into the plugin (looped).`);
}

async function useMicrophone(): Promise<void> {
  if (!host) return;
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  host.context.createMediaStreamSource(stream).connect(host.plugin.audioNode);
  logLine('Microphone connected to the plugin.');
}

async function setUpWebMidi(): Promise<void> {
  const select = $('midi-in') as HTMLSelectElement;
  try {
    await WebMidi.enable();
  } catch (error) {
    select.title = `Web MIDI unavailable: ${error instanceof Error ? error.message : String(error)}`;
    return;
  }
  for (const input of WebMidi.inputs) select.add(new Option(input.name, input.id));
  select.disabled = false;
  select.onchange = () => {
    midiInput?.removeListener();
    midiInput = WebMidi.getInputById(select.value) ?? null;
    midiInput?.addListener('midimessage', (e) => {
      const data = (e as unknown as NoteMessageEvent).message.data;
      if (data.length <= 3) sendMidi([data[0], data[1] ?? 0, data[2] ?? 0]);
    });
  };
}

$('start').addEventListener('click', async () => {
  const button = $('start') as HTMLButtonElement;
  button.disabled = true;
  try {
    host = await start();
    // Exposed for tests and for poking at from the console.
    Object.assign(window, { demoHost: host });
    for (const id of ['play', 'file', 'mic', 'riff']) ($(id) as HTMLButtonElement).disabled = false;
    button.textContent = 'Audio running';
    void setUpWebMidi();
  } catch (error) {
    button.disabled = false;
    logLine(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
});
$('play').addEventListener('click', () => {
  transportPlaying = !transportPlaying;
  $('play').textContent = transportPlaying ? 'Stop transport' : 'Play transport';
  $('state').textContent = transportPlaying ? 'playing' : 'stopped';
  sendTransport();
});
$('tempo').addEventListener('change', sendTransport);
$('riff').addEventListener('click', playRiff);
$('mic').addEventListener('click', () => useMicrophone().catch((e) => logLine(`Microphone: ${e.message}`)));
($('file') as HTMLInputElement).addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) useFile(file).catch((err) => logLine(`Audio file: ${err.message}`));
});
window.addEventListener('keydown', (e) => onKey(e, true));
window.addEventListener('keyup', (e) => onKey(e, false));
