/**
 * How a parameter's value reads on screen, and the step its slider moves by.
 * Pure functions of a {@link ParameterSpec}, so every control built from the
 * parameter table formats the same way.
 */
import type { ParameterSpec } from '../../protocol/parameters.ts';

/** Pitch-class names, 0 = C … 11 = B. */
export const PITCH_CLASS_NAMES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'] as const;

/** Scientific pitch name of a MIDI note (60 → "C4"). */
export function midiNoteName(pitch: number): string {
  const p = Math.round(pitch);
  return `${PITCH_CLASS_NAMES[((p % 12) + 12) % 12]}${Math.floor(p / 12) - 1}`;
}

/** Turns a choice id into words ('call-response' → 'call response'). */
export function choiceWords(choice: string): string {
  return choice.replace(/-/g, ' ');
}

/**
 * The slider step of a float parameter: the largest 1 or 5 × a power of ten
 * that is at most 1/100 of its range and puts the default on the slider's
 * grid (so values read as round numbers and the default is reachable).
 * Int, boolean and choice parameters step by 1.
 */
export function parameterStep(spec: ParameterSpec): number {
  if (spec.type !== 'float') return 1;
  const target = (spec.maxValue - spec.minValue) / 100;
  if (!(target > 0)) return 1;
  const top = Math.floor(Math.log10(target));
  let step = 10 ** top;
  // Six decades down at most: a default off every such grid gets the finest one.
  for (let power = top; power > top - 6; power--) {
    for (const mantissa of [5, 1]) {
      step = mantissa * 10 ** power;
      const k = (spec.defaultValue - spec.minValue) / step;
      if (step <= target && Math.abs(k - Math.round(k)) < 1e-6) return step;
    }
  }
  return step;
}

/** Decimal places that show a value on `step`'s grid (0.01 → 2, 5 → 0). */
export function decimalsOf(step: number): number {
  if (step >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

/**
 * A value in words, with its unit: choices by name, booleans as on/off,
 * MIDI pitches with their note name, pitch classes by name, numbers to
 * their step's precision.
 */
export function formatParameterValue(spec: ParameterSpec, value: number): string {
  switch (spec.type) {
    case 'boolean':
      return value >= 0.5 ? 'on' : 'off';
    case 'choice': {
      const choice = spec.choices?.[Math.round(value)];
      return choice === undefined ? String(value) : choiceWords(choice);
    }
    case 'int':
      if (spec.units === 'MIDI') return `${midiNoteName(value)} · ${Math.round(value)}`;
      if (spec.units === 'semitones' && spec.minValue === 0 && spec.maxValue === 11) return PITCH_CLASS_NAMES[Math.round(value)] ?? String(value);
      return withUnit(String(Math.round(value)), spec.units);
    case 'float':
      return withUnit(value.toFixed(decimalsOf(parameterStep(spec))), spec.units);
  }
}

function withUnit(text: string, units: string): string {
  return units ? `${text} ${units}` : text;
}
