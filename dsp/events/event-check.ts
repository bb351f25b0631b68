/**
 * Checks of the WAM events and parameter updates that reach the processor,
 * made where they enter it (before they are queued), so that nothing
 * malformed ever reaches the event handlers inside `process()`. Each check
 * returns why the input was refused, or `EventFault.None`; the caller drops
 * refused input and counts it by reason. No allocation, never throws.
 *
 * [audio-thread]
 */
import { isValidMidiMessage } from '../midi/validate.ts';

/** Why an event or a parameter update was refused. */
export const enum EventFault {
  None = 0,
  /** Not an object, or a type this processor does not handle (wam-mpe, wam-osc, wam-info, anything else). */
  UnknownType = 1,
  /** `time` present but not a finite number (NaN, ±Infinity, a string, null). */
  BadTime = 2,
  /** `data` missing or of the wrong shape for its type. */
  BadData = 3,
  /** A wam-midi event whose bytes are not one well-formed short MIDI message. */
  MalformedMidi = 4,
  /** A parameter id that is not an own key of the parameter table (`__proto__`, `constructor`, a typo). */
  UnknownParameter = 5,
  /** A parameter value that is not a finite number, or a `normalized` flag that is not a boolean. */
  BadValue = 6,
}

/** The parameter ids a processor accepts: an object whose own keys are the ids. */
export type ParameterIdTable = Readonly<Record<string, unknown>>;

const TRANSPORT_NUMBERS = ['tempo', 'timeSigNumerator', 'timeSigDenominator', 'currentBar', 'currentBarStarted'] as const;

/**
 * Checks a parameter update (`{ id, value, normalized }`, as in wam-automation
 * events and the SDK's set-parameter requests) against `parameters`.
 * The id must be an own key of `parameters` (`Object.hasOwn`, so prototype
 * keys never pass), the value a finite number.
 */
export function checkParameterUpdate(update: unknown, parameters: ParameterIdTable): EventFault {
  if (typeof update !== 'object' || update === null) return EventFault.BadData;
  const { id, value, normalized } = update as { id?: unknown; value?: unknown; normalized?: unknown };
  if (typeof id !== 'string' || !Object.hasOwn(parameters, id)) return EventFault.UnknownParameter;
  if (typeof value !== 'number' || !Number.isFinite(value)) return EventFault.BadValue;
  if (normalized !== undefined && typeof normalized !== 'boolean') return EventFault.BadValue;
  return EventFault.None;
}

/**
 * Checks one incoming WAM event: a known type (wam-midi, wam-transport,
 * wam-sysex, wam-automation), a finite `time` when one is given (an event
 * without a time is due at once), and data of the right shape for its type.
 */
export function checkEvent(event: unknown, parameters: ParameterIdTable): EventFault {
  if (typeof event !== 'object' || event === null) return EventFault.UnknownType;
  const { type, time, data } = event as { type?: unknown; time?: unknown; data?: unknown };
  if (type !== 'wam-midi' && type !== 'wam-transport' && type !== 'wam-sysex' && type !== 'wam-automation') return EventFault.UnknownType;
  if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) return EventFault.BadTime;
  if (typeof data !== 'object' || data === null) return EventFault.BadData;
  switch (type) {
    case 'wam-midi':
      return isValidMidiMessage((data as { bytes?: ArrayLike<number> }).bytes) ? EventFault.None : EventFault.MalformedMidi;
    case 'wam-sysex':
      return (data as { bytes?: unknown }).bytes instanceof Uint8Array ? EventFault.None : EventFault.BadData;
    case 'wam-transport': {
      const t = data as Record<string, unknown>;
      for (let i = 0; i < TRANSPORT_NUMBERS.length; i++) {
        const v = t[TRANSPORT_NUMBERS[i]];
        if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) return EventFault.BadData;
      }
      if (t.playing !== undefined && typeof t.playing !== 'boolean') return EventFault.BadData;
      return EventFault.None;
    }
    default:
      return checkParameterUpdate(data, parameters);
  }
}
