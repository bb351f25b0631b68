/**
 * The factory presets: shipped starting points that cover every mode and both
 * models, and differ audibly from one another (mode, model, temperature,
 * variation, density, response length, key lock, humanise, range, channel).
 *
 * Each is written as the parameters that differ from the defaults, then run
 * through the state validator (so a typo fails at load, in every test run),
 * then deeply frozen: applying one goes through `setState()`, which copies.
 *
 * Latent-pad presets ship anchor *phrases*, not latent vectors: the latents
 * depend on the model weights, so the plugin encodes the phrases with the
 * current model when the preset loads (a `null` latent with a phrase).
 */
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import { validateState } from '../state/validate.ts';
import type { PluginState } from '../state/schema.ts';
import type { Preset } from './preset.ts';

/** Bars of 4/4 in every factory anchor phrase. */
const ANCHOR_BARS = 2;
const BEATS_PER_BAR = 4;
const ANCHOR_BEATS = ANCHOR_BARS * BEATS_PER_BAR;

/** A melody phrase from `[pitch, startBeats, durationBeats, velocity?]` tuples (2 bars of 4/4 at 100 BPM). */
function melody(notes: readonly (readonly [number, number, number, number?])[]): Phrase {
  return {
    source: 'preset',
    notes: notes.map(([pitch, startBeats, durationBeats, velocity = 90]) => ({ pitch, velocity, startBeats, durationBeats })),
    lengthBeats: ANCHOR_BEATS,
    tempoBpm: 100,
    beatsPerBar: BEATS_PER_BAR,
  };
}

/** Length of a drum hit, in beats (a nominal 1/8 beat, as the Phrase type suggests). */
const HIT_BEATS = 0.125;

/**
 * A one-bar drum pattern repeated over 2 bars: General MIDI key → onsets in
 * beats within the bar. A `[beat, velocity]` pair sets a hit's velocity (default 100).
 */
function drums(pattern: Readonly<Record<number, readonly (number | readonly [number, number])[]>>): Phrase {
  const notes: PhraseNote[] = [];
  for (let bar = 0; bar < ANCHOR_BARS; bar++) {
    for (const [key, hits] of Object.entries(pattern)) {
      for (const hit of hits) {
        const [beat, velocity] = typeof hit === 'number' ? [hit, 100] : hit;
        notes.push({ pitch: Number(key), velocity, startBeats: bar * BEATS_PER_BAR + beat, durationBeats: HIT_BEATS });
      }
    }
  }
  return { source: 'preset', notes, lengthBeats: ANCHOR_BEATS, tempoBpm: 100, beatsPerBar: BEATS_PER_BAR };
}

// General MIDI percussion keys used below.
const KICK = 36;
const SNARE = 38;
const CLAP = 39;
const CLOSED_HAT = 42;
const OPEN_HAT = 46;
const RIDE = 51;

const eighths = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5];
const sixteenths = eighths.flatMap((b) => [b, b + 0.25]);

/** Four melodic motifs in C major for the melody latent pad. */
const MELODY_ANCHORS = [
  { label: 'Rising arpeggio', phrase: melody([[60, 0, 0.5], [64, 0.5, 0.5], [67, 1, 0.5], [72, 1.5, 0.5], [76, 2, 0.5], [79, 2.5, 0.5], [84, 3, 1], [79, 4, 0.5], [76, 4.5, 0.5], [72, 5, 1], [67, 6, 2]]) },
  { label: 'Falling scale', phrase: melody([[84, 0, 1], [83, 1, 1], [81, 2, 1], [79, 3, 1], [77, 4, 1], [76, 5, 1], [74, 6, 1], [72, 7, 1]]) },
  { label: 'Syncopated pulse', phrase: melody([[67, 0, 0.25, 110], [67, 0.75, 0.25, 70], [67, 1.5, 0.5, 100], [69, 2.5, 0.25], [67, 3, 0.5, 110], [67, 4, 0.25, 110], [67, 4.75, 0.25, 70], [64, 5.5, 0.5], [62, 6.5, 0.25], [60, 7, 1, 100]]) },
  { label: 'Wide leaps', phrase: melody([[60, 0, 1], [79, 1, 1], [62, 2, 1], [81, 3, 1], [64, 4, 1], [83, 5, 1], [65, 6, 0.5], [84, 6.5, 1.5]]) },
];

/** Four grooves for the drum latent pad. */
const DRUM_ANCHORS = [
  { label: 'Rock beat', phrase: drums({ [KICK]: [0, 2, 2.5], [SNARE]: [1, 3], [CLOSED_HAT]: eighths }) },
  { label: 'Four on the floor', phrase: drums({ [KICK]: [0, 1, 2, 3], [CLAP]: [1, 3], [OPEN_HAT]: [0.5, 1.5, 2.5, 3.5], [CLOSED_HAT]: [0, 1, 2, 3] }) },
  { label: 'Half-time', phrase: drums({ [KICK]: [0, 1.75], [SNARE]: [2], [RIDE]: [0, 1, 2, 3] }) },
  {
    label: 'Breakbeat',
    phrase: drums({
      [KICK]: [0, 1.5, 2.5], [SNARE]: [1, [1.75, 40], 3, [3.25, 40]],
      [CLOSED_HAT]: sixteenths.map((b) => [b, b % 1 === 0 ? 100 : 55] as const),
    }),
  },
];

/** Builds one preset: parameters that differ from the defaults (numbers, booleans or choice names), validated and frozen. */
function preset(
  id: string, name: string, description: string, seed: number,
  parameters: Readonly<Record<string, number | string | boolean>>,
  anchors?: readonly { label: string; phrase: Phrase }[],
): Preset {
  const state: PluginState = validateState({
    schemaVersion: 2,
    name,
    parameters,
    anchors: anchors?.map((a) => ({ label: a.label, latent: null, phrase: a.phrase })),
    seed,
  });
  return deepFreeze({ id, name, description, state });
}

/** Freezes a value and everything inside it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The factory presets, in the order the preset bar lists them. Frozen: pass
 * `preset.state` to `setState()` (which validates into a fresh copy).
 */
export const FACTORY_PRESETS: readonly Preset[] = Object.freeze([
  preset('conversation', 'Conversation', 'Answers each phrase with a two-bar melody in the key it hears.', 0x1001, {
    mode: 'call-response', model: 'melody', temperature: 0.8, variation: 0.35, density: 0.5, responseBars: '2',
    keyLock: 'detected', humanize: 0.8,
  }),
  preset('echo-chamber', 'Echo Chamber', 'Plays your phrase back almost as you played it, one short bar at a time.', 0x1002, {
    mode: 'call-response', model: 'melody', temperature: 0.25, variation: 0.05, density: 0.5, responseBars: '1',
    keyLock: 'detected', humanize: 1, silenceGap: 0.5,
  }),
  preset('wild-card', 'Wild Card', 'Long, adventurous four-bar answers that wander far from what you played.', 0x1003, {
    mode: 'call-response', model: 'melody', temperature: 1.6, variation: 0.9, density: 0.75, responseBars: '4',
    keyLock: 'off', humanize: 1, pitchLow: 36, pitchHigh: 96, silenceGap: 2,
  }),
  preset('trading-fours', 'Trading Fours', 'Trades four-bar drum breaks with you, like a jazz drummer.', 0x1004, {
    mode: 'call-response', model: 'drums', midiChannel: 10, temperature: 0.9, variation: 0.4, density: 0.6, responseBars: '4',
    keyLock: 'off', humanize: 1,
  }),
  preset('groove-keeper', 'Groove Keeper', 'Keeps a steady, sparse drum groove under your playing and follows your tempo.', 0x1005, {
    mode: 'accompany', model: 'drums', midiChannel: 10, temperature: 0.5, variation: 0.15, density: 0.35, responseBars: '2',
    keyLock: 'off', humanize: 0.6, followTempo: true,
  }),
  preset('blues-shadow', 'Blues Shadow', 'A low, sparse blues line in A under your playing, locked to the scale.', 0x1006, {
    mode: 'accompany', model: 'melody', midiChannel: 2, temperature: 0.7, variation: 0.25, density: 0.3, responseBars: '2',
    keyLock: 'set', keyRoot: 9, scale: 'blues', humanize: 0.5, pitchLow: 45, pitchHigh: 69,
  }),
  preset('latent-garden', 'Latent Garden', 'Four melodic motifs at the pad corners: move between them to blend them.', 0x1007, {
    mode: 'latent-pad', model: 'melody', temperature: 0.5, variation: 0.2, density: 0.55, responseBars: '2',
    keyLock: 'set', keyRoot: 0, scale: 'major', humanize: 0.3, pitchLow: 48, pitchHigh: 88, padX: 0.25, padY: 0.25,
  }, MELODY_ANCHORS),
  preset('drum-morph', 'Drum Morph', 'Morph between rock, four-on-the-floor, half-time and breakbeat grooves on the pad.', 0x1008, {
    mode: 'latent-pad', model: 'drums', midiChannel: 10, temperature: 0.6, variation: 0.1, density: 0.65, responseBars: '1',
    keyLock: 'off', humanize: 0.9, padX: 0.5, padY: 0.5,
  }, DRUM_ANCHORS),
  preset('quiet-listener', 'Quiet Listener', 'Only listens: analyses and logs what you play, and generates nothing.', 0x1009, {
    mode: 'listen', model: 'melody', armed: false, midiThru: true, features: true,
  }),
]);

/** The factory preset with this id, or undefined. */
export function factoryPreset(id: string): Preset | undefined {
  return FACTORY_PRESETS.find((p) => p.id === id);
}
