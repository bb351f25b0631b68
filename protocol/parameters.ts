/**
 * The plugin's parameters: the one place where their ids, ranges, units and
 * defaults live. The processor turns this table into WAM parameter infos, the
 * state schema validates against it, presets store values keyed by its ids,
 * and the GUI builds its controls from it.
 *
 * Every value is stored in its plain (not normalised) unit. A `choice`
 * parameter stores the index into `choices`; a `boolean` stores 0 or 1.
 */

/** The modes the plugin can play in (the `mode` parameter's choices, in order). */
export const MODES = ['listen', 'call-response', 'accompany', 'latent-pad'] as const;
/** One of {@link MODES}. */
export type Mode = (typeof MODES)[number];

/** The shipped generative models the plugin can use (the `model` parameter's choices). */
export const MODEL_NAMES = ['melody', 'drums'] as const;
/** One of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** Key-lock behaviour: off, follow the detected key, or a key set by `keyRoot` and `scale`. */
export const KEY_LOCKS = ['off', 'detected', 'set'] as const;
/** Scales for the key lock (the `scale` parameter's choices). */
export const SCALES = ['major', 'minor', 'dorian', 'mixolydian', 'major-pentatonic', 'minor-pentatonic', 'blues', 'chromatic'] as const;
/**
 * How an answer relates to the call it replies to (the `reply` parameter's
 * choices; models/respond/reply.ts): a variation of the call's latent, the
 * learned continuation of the call, or a deliberate contrast.
 */
export const REPLY_STRATEGIES = ['variation', 'continuation', 'contrast'] as const;
/** One of {@link REPLY_STRATEGIES}. */
export type ReplyStrategy = (typeof REPLY_STRATEGIES)[number];
/** Response lengths in bars (the `responseBars` parameter's choices). */
export const RESPONSE_BARS = ['1', '2', '4'] as const;
/**
 * Where the beat clock comes from (the `syncSource` parameter's choices, in
 * order): the host's transport (free-running when there is none), MIDI clock
 * from an enabled MIDI input, or the plugin's own free-running tempo.
 */
export const SYNC_SOURCES = ['host-transport', 'midi-clock', 'internal'] as const;
/** One of {@link SYNC_SOURCES}. */
export type SyncSource = (typeof SYNC_SOURCES)[number];

/** The WAM parameter types this plugin uses. */
export type ParameterType = 'float' | 'int' | 'boolean' | 'choice';

/** One parameter's definition. */
export interface ParameterSpec {
  /** Stable id used in WAM automation, state and presets. Never rename one. */
  readonly id: string;
  /** Short label for the GUI and the host. */
  readonly label: string;
  readonly type: ParameterType;
  /** Default value, in the parameter's plain unit (index for a choice, 0/1 for a boolean). */
  readonly defaultValue: number;
  readonly minValue: number;
  readonly maxValue: number;
  /** Choices for a `choice` parameter, in index order. */
  readonly choices?: readonly string[];
  /** Unit shown to the user ('', 'BPM', 'beats', 'ms', …). */
  readonly units: string;
  /** What it does. */
  readonly doc: string;
}

const choice = (id: string, label: string, choices: readonly string[], defaultValue: number, doc: string): ParameterSpec => ({
  id, label, type: 'choice', choices, defaultValue, minValue: 0, maxValue: choices.length - 1, units: '', doc,
});
const toggle = (id: string, label: string, defaultValue: 0 | 1, doc: string): ParameterSpec => ({
  id, label, type: 'boolean', defaultValue, minValue: 0, maxValue: 1, units: '', doc,
});
const num = (
  type: 'float' | 'int', id: string, label: string, minValue: number, maxValue: number, defaultValue: number, units: string, doc: string,
): ParameterSpec => ({ id, label, type, minValue, maxValue, defaultValue, units, doc });

/** All parameters, in the order the GUI and hosts list them. */
export const PARAMETERS: readonly ParameterSpec[] = [
  choice('mode', 'Mode', MODES, 1, 'What the plugin does with the performer\'s phrases: listen only, call and response, accompany, or play the latent pad.'),
  choice('model', 'Model', MODEL_NAMES, 0, 'Which generative model answers: melody (monophonic) or drums.'),
  toggle('armed', 'Output armed', 1, 'When off, the plugin generates nothing to its MIDI output (MIDI thru still follows its own switch).'),
  num('int', 'midiChannel', 'MIDI out channel', 1, 16, 1, '', 'Channel of generated MIDI (drums are usually 10).'),
  num('int', 'inputChannel', 'MIDI in channel', 0, 16, 0, '', 'Channel the performer plays on; 0 listens to all channels.'),
  toggle('midiThru', 'MIDI thru', 1, 'Re-emit incoming MIDI at the same sample offset.'),
  toggle('features', 'Audio analysis', 1, 'Extract audio features and detect notes and drum hits from the audio input.'),
  num('float', 'temperature', 'Temperature', 0.05, 2, 0.8, '', 'Sampling temperature of the decoder: low is safe, high is adventurous.'),
  num('float', 'variation', 'Variation', 0, 1, 0.3, '', 'How far the response moves from the performer\'s latent (0 = echo, 1 = far away).'),
  choice('reply', 'Reply', REPLY_STRATEGIES, 0, 'How an answer relates to the call: a variation of it (moved by Variation), its continuation (what the model expects next), or a contrast (the candidate least like it).'),
  num('float', 'density', 'Density', 0, 1, 0.5, '', 'Thins (below 0.5) or fills (above 0.5) the generated notes.'),
  choice('responseBars', 'Response length', RESPONSE_BARS, 1, 'Length of each response, in bars.'),
  num('float', 'humanize', 'Swing / humanise', 0, 1, 1, '', 'How much of the performer\'s feel (microtiming and dynamics) the answer takes (0 = quantised, 1 = the call\'s feel).'),
  num('float', 'tempo', 'Tempo', 40, 240, 120, 'BPM', 'Tempo used when the host sends no transport and no tempo is tracked.'),
  toggle('followTempo', 'Follow detected tempo', 0, 'Without a host transport, follow the tempo tracked from audio or MIDI instead of the Tempo parameter.'),
  num('float', 'silenceGap', 'Phrase gap', 0.25, 4, 1, 'beats', 'Silence that ends a phrase when the host transport is stopped.'),
  choice('keyLock', 'Key lock', KEY_LOCKS, 0, 'Keep generated pitches in a key: off, the detected key, or the key set below.'),
  num('int', 'keyRoot', 'Key root', 0, 11, 0, 'semitones', 'Root of the set key, 0 = C … 11 = B.'),
  choice('scale', 'Scale', SCALES, 0, 'Scale of the set key.'),
  num('int', 'pitchLow', 'Lowest pitch', 21, 108, 36, 'MIDI', 'Lowest generated MIDI note.'),
  num('int', 'pitchHigh', 'Highest pitch', 21, 108, 96, 'MIDI', 'Highest generated MIDI note.'),
  num('float', 'padX', 'Pad X', 0, 1, 0.5, '', 'Latent pad position, left to right.'),
  num('float', 'padY', 'Pad Y', 0, 1, 0.5, '', 'Latent pad position, bottom to top.'),
  num('float', 'midiOutLatency', 'Hardware latency', 0, 500, 0, 'ms', 'Sent this much earlier to Web MIDI outputs, to compensate for the device.'),
  choice('syncSource', 'Sync source', SYNC_SOURCES, 0, 'Where bars and tempo come from: the host transport (free-running tempo when there is none), MIDI clock (24 ppqn, start, continue, stop and song position from any enabled MIDI input), or internal (the Tempo parameter or the tracked tempo, ignoring both).'),
];

/**
 * Each parameter's index in {@link PARAMETERS}, keyed by id. Check ids with
 * `Object.hasOwn(PARAMETER_INDEX, id)`: prototype keys (`__proto__`,
 * `constructor`) are never own keys, so they never pass.
 */
export const PARAMETER_INDEX: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(PARAMETERS.map((p, i) => [p.id, i])),
);

/** True when `id` is one of the parameter ids (an own key of {@link PARAMETER_INDEX}). */
export function isParameterId(id: unknown): id is string {
  return typeof id === 'string' && Object.hasOwn(PARAMETER_INDEX, id);
}

/** Parameter values keyed by id, in plain units. */
export type ParameterValues = Record<string, number>;

/** Looks up a parameter's spec by id, or undefined. */
export function parameterSpec(id: string): ParameterSpec | undefined {
  return PARAMETERS.find((p) => p.id === id);
}

/** A fresh object with every parameter at its default. */
export function defaultParameterValues(): ParameterValues {
  const values: ParameterValues = {};
  for (const p of PARAMETERS) values[p.id] = p.defaultValue;
  return values;
}

/**
 * Clamps a value into a parameter's range and rounds it for int, boolean and
 * choice parameters. Non-finite input becomes the default.
 */
export function coerceParameterValue(spec: ParameterSpec, value: number): number {
  if (!Number.isFinite(value)) return spec.defaultValue;
  const v = Math.min(spec.maxValue, Math.max(spec.minValue, value));
  return spec.type === 'float' ? v : Math.round(v);
}
