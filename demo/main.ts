/**
 * The demo host: loads the built plugin by URL with the SDK's
 * `initializeWamHost`, mounts its GUI, feeds it audio (file or microphone)
 * and MIDI (Web MIDI devices, the computer keyboard, a demo phrase), sends it
 * a host transport, and plays its MIDI output on the built-in demo synth.
 *
 * `?plugin=<url>` loads another build of the plugin; `#preset=…` (a share
 * link) opens a preset once audio starts.
 */
import { initializeWamHost } from '@webaudiomodules/sdk';
import type { WamEvent, WamNode, WebAudioModule } from '@webaudiomodules/api';
import { WebMidi, type Input, type NoteMessageEvent } from 'webmidi';
import { isEditableEvent } from './editable-target.ts';
import { FileTransport } from './file-transport.ts';
import { describeLayout, keyNote, layoutForModel, noteBytes, OCTAVE_RANGE, type KeyboardLayout, type KeyNote } from './keyboard.ts';
import { LoadProgress, type NodeStatusLike } from './load-progress.ts';
import { MODEL_NAMES } from '../protocol/parameters.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const logLine = (text: string) => {
  const log = $('log');
  log.textContent = `${text}\n${log.textContent ?? ''}`.slice(0, 4000);
};

/** What the plugin's node offers beyond the WAM API (the demo checks before using it). */
interface StatusSource {
  onStatus?(listener: (status: NodeStatusLike) => void): () => void;
}

/** The plugin's GUI root, with what the demo may call on it. */
type PluginGui = HTMLElement & { openSharedPreset?(text: string): Promise<boolean> };

interface Host {
  context: AudioContext;
  plugin: WebAudioModule<WamNode>;
  synth: WebAudioModule<WamNode>;
  file: FileTransport;
  /** Opens the share link in this page's URL, if it carries one. */
  openLink(): Promise<void>;
}

let host: Host | null = null;
let transportPlaying = false;
let midiInput: Input | null = null;
const progress = new LoadProgress($('progress'));

/** True when this page's URL carries a shared preset (`#preset=…` or `?preset=…`). */
const linkHasPreset = (): boolean => /(^|[#&?])preset=/.test(location.hash) || new URLSearchParams(location.search).has('preset');

async function start(): Promise<Host> {
  progress.set('audio', 'active');
  const context = new AudioContext({ latencyHint: 'interactive' });
  const [groupId] = await initializeWamHost(context);
  progress.set('audio', 'done');
  progress.set('plugin', 'active');
  const params = new URLSearchParams(location.search);
  const pluginUrl = params.get('plugin') ?? new URL('/plugin/index.js', location.href).href;
  const pluginModule = await import(/* @vite-ignore */ pluginUrl);
  const Plugin = pluginModule.default;
  const { default: Synth } = await import(/* @vite-ignore */ new URL('./synth/index.js', import.meta.url).href);
  // Made by hand rather than with createInstance, to follow the node's status while it loads.
  const plugin = new Plugin(groupId, context) as WebAudioModule<WamNode> & { nodeCreated?: Promise<StatusSource> };
  void plugin.nodeCreated?.then((node) => node.onStatus?.((status) => progress.follow(status)));
  await plugin.initialize();
  const node = plugin.audioNode as WamNode & StatusSource;
  if (typeof node.onStatus === 'function') node.onStatus((status) => progress.follow(status));
  else { progress.set('plugin', 'done'); progress.set('models', 'done'); }
  const synth = (await Synth.createInstance(groupId, context)) as WebAudioModule<WamNode>;
  // plugin → synth → speakers: the synth mixes the plugin's audio through and,
  // rendering after it, gets MIDI thru at the same sample frame.
  plugin.audioNode.connect(synth.audioNode);
  synth.audioNode.connect(context.destination);
  plugin.audioNode.connectEvents(synth.instanceId);
  const gui = (await plugin.createGui()) as PluginGui;
  $('gui').replaceChildren(gui);
  const openLink = () => applySharedPreset(plugin, gui, pluginModule.readPresetFromUrl);
  await openLink();
  logLine(`Plugin loaded from ${pluginUrl}`);
  const file = new FileTransport(context, plugin.audioNode, {
    picker: $('file'), play: $('file-play'), loop: $('file-loop'), seek: $('file-seek'), time: $('file-time'),
  }, logLine);
  return { context, plugin, synth, file, openLink };
}

/**
 * Opens a preset shared as a link (`#preset=…`): through the plugin GUI's
 * preset bar when it offers that (its menu then names the preset), else with
 * the plugin module's own `readPresetFromUrl` export, so the demo never
 * depends on plugin internals.
 */
async function applySharedPreset(plugin: WebAudioModule<WamNode>, gui: PluginGui, readPresetFromUrl?: (url: URL) => unknown): Promise<void> {
  if (!linkHasPreset()) return;
  $('shared').hidden = true;
  if (typeof gui.openSharedPreset === 'function') {
    if (await gui.openSharedPreset(location.href)) logLine('Opened the shared preset from the link.');
    else logLine('The shared preset could not be opened (the preset bar says why).');
    return;
  }
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

let octave: number = OCTAVE_RANGE.initial;
let layout: KeyboardLayout = 'notes';
/** Keys held down, with the note each started (released as started, whatever the layout or octave is by then). */
const held = new Map<string, KeyNote>();

function onKey(event: KeyboardEvent, down: boolean): void {
  if (!host || event.repeat) return;
  const key = event.key.toLowerCase();
  // Typing in a text field (the plugin's own, inside its shadow root, included) must not play notes;
  // a key released there still ends the note it started elsewhere.
  if (isEditableEvent(event) && (down || !held.has(key))) return;
  if (!down) {
    const note = held.get(key);
    if (note) { held.delete(key); sendMidi(noteBytes(note, false)); }
    return;
  }
  if (held.has(key)) return;
  if (layout === 'notes' && key === 'z') { octave = Math.max(OCTAVE_RANGE.min, octave - 12); return; }
  if (layout === 'notes' && key === 'x') { octave = Math.min(OCTAVE_RANGE.max, octave + 12); return; }
  const note = keyNote(key, layout, octave);
  if (!note) return;
  held.set(key, note);
  sendMidi(noteBytes(note, true));
}

/** Ends every note the keyboard holds (before the layout changes). */
function releaseHeldKeys(): void {
  for (const note of held.values()) sendMidi(noteBytes(note, false));
  held.clear();
}

/** The one-line "how to play", for the keyboard's current layout. */
function showHowTo(): void {
  const line = $('howto');
  line.hidden = false;
  line.dataset.layout = layout;
  $('howto-keys').textContent = layout === 'drums'
    ? `Drums model: ${describeLayout('drums')}.`
    : `Melody model: ${describeLayout('notes')}.`;
}

/**
 * Follows the plugin's `model` parameter (the GUI or a preset may change it):
 * the keyboard plays drum voices for the drums model and notes otherwise.
 * The WAM API has no parameter-change event, so this asks a few times a second.
 */
function followModel(current: Host): void {
  const check = async () => {
    if (host !== current) return;
    const values = await current.plugin.audioNode.getParameterValues(false, 'model');
    const next = layoutForModel(MODEL_NAMES[Math.round(values.model?.value ?? 0)] ?? 'melody');
    if (next !== layout) {
      releaseHeldKeys();
      layout = next;
      showHowTo();
    }
  };
  const timer = setInterval(() => { check().catch(() => clearInterval(timer)); }, 250);
  void check();
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
  button.textContent = 'Starting…';
  try {
    host = await start();
    // Exposed for tests and for poking at from the console.
    Object.assign(window, { demoHost: host });
    for (const id of ['play', 'mic', 'riff']) ($(id) as HTMLButtonElement).disabled = false;
    // The stages beside it now say that audio runs.
    button.hidden = true;
    showHowTo();
    followModel(host);
    void setUpWebMidi();
  } catch (error) {
    progress.fail();
    button.disabled = false;
    button.textContent = 'Start audio';
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
$('shared').hidden = !linkHasPreset();
// A share link pasted into the address bar of the open page changes only the fragment.
window.addEventListener('hashchange', () => {
  if (host) void host.openLink();
  else $('shared').hidden = !linkHasPreset();
});
window.addEventListener('keydown', (e) => onKey(e, true));
window.addEventListener('keyup', (e) => onKey(e, false));
