/**
 * The parameter mirror between the DAW (PARAM messages, keyed by the FNV-1a
 * hash of the WAM parameter id) and the WAM node (plain values keyed by id).
 * It remembers the last value each side has seen so a value is never echoed
 * back to where it came from. `midiThru` is held off in the WAM (the native
 * side passes input through at zero latency); the DAW's value is kept for
 * the state only.
 */
import { paramIdOf } from '../../protocol/bridge.ts';
import { PARAMETERS, coerceParameterValue, type ParameterSpec } from '../../protocol/parameters.ts';

/** The WAM parameter the page keeps off whatever the DAW says. */
export const HELD_OFF_PARAMETER = 'midiThru';

export class ParamMirror {
  private readonly byHash = new Map<number, ParameterSpec>();
  /** Last value known on both sides, by WAM id. */
  private readonly known = new Map<string, number>();
  private thruFromDaw: number;

  constructor() {
    for (const p of PARAMETERS) this.byHash.set(paramIdOf(p.id), p);
    this.thruFromDaw = PARAMETERS.find((p) => p.id === HELD_OFF_PARAMETER)?.defaultValue ?? 1;
  }

  /** The DAW's value of `midiThru` (kept for the state the DAW saves). */
  get dawMidiThru(): number {
    return this.thruFromDaw;
  }

  /**
   * A PARAM from the DAW: the WAM id and the value to apply, or null when
   * the id is unknown or the parameter is held off.
   */
  fromDaw(paramId: number, value: number): { id: string; value: number } | null {
    const spec = this.byHash.get(paramId);
    if (!spec || !Number.isFinite(value)) return null;
    const v = coerceParameterValue(spec, value);
    if (spec.id === HELD_OFF_PARAMETER) {
      this.thruFromDaw = v;
      return null;
    }
    this.known.set(spec.id, v);
    return { id: spec.id, value: v };
  }

  /**
   * The WAM's current values (plain, by id): the PARAM messages to send for
   * those that changed since last seen. The first call only records them
   * when `baseline` is true.
   */
  fromWam(values: Record<string, number>, baseline = false): { paramId: number; value: number }[] {
    const out: { paramId: number; value: number }[] = [];
    for (const p of PARAMETERS) {
      if (p.id === HELD_OFF_PARAMETER) continue;
      const v = values[p.id];
      if (v === undefined || !Number.isFinite(v)) continue;
      const before = this.known.get(p.id);
      this.known.set(p.id, v);
      if (!baseline && before !== v) out.push({ paramId: paramIdOf(p.id), value: v });
    }
    return out;
  }

  /** Forgets what the DAW side knows (a new connection: it resends its values). */
  reset(): void {
    this.known.clear();
  }
}
