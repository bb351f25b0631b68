/**
 * The parameter follower: once per block it compares the parameter values
 * with the last block's and says what the change means for the music (a
 * change of mode, model, arming or output channel must end sounding notes;
 * a change of mode or model makes pending replies stale), fills the loop
 * controller's settings, and reports every changed value for the session
 * log. No allocation.
 *
 * [audio-thread]
 */
import { PARAMETER_INDEX as P, PARAMETERS, RESPONSE_BARS } from '../../protocol/parameters.ts';
import type { LoopSettings } from '../loop/loop-controller.ts';

/** What a block's parameter changes ask for (bit flags). */
export const enum ParameterChange {
  None = 0,
  /** End every sounding note and drop queued output. */
  CancelOutput = 1,
  /** Ignore replies to requests made before now. */
  StaleRequests = 2,
}

/** Bars per response, by the `responseBars` choice index (the choices are the bar counts). */
const RESPONSE_BAR_COUNTS = Float64Array.from(RESPONSE_BARS, Number);

/** Receives each parameter whose value changed since the last block. */
export interface ParameterLog {
  onParameterChange(index: number, value: number): void;
}

export class ParameterFollower {
  /** The values, PARAMETERS order, in plain units; the processor writes them as they change. */
  readonly values: Float64Array = Float64Array.from(PARAMETERS, (p) => p.defaultValue);
  /** The loop controller's settings, refreshed by {@link follow}. */
  readonly loopSettings: LoopSettings = { mode: 1, responseBars: 2, silenceGapBeats: 1 };
  private readonly logged = new Float64Array(PARAMETERS.length).fill(Number.NaN);
  private lastMode = -1;
  private lastModel = -1;
  private lastArmed = -1;
  private lastChannel = -1;

  /** Sets one value (plain units), by index into PARAMETERS. */
  set(index: number, value: number): void {
    this.values[index] = value;
  }

  /** Compares this block's values with the last block's and refreshes the loop settings; returns the ParameterChange flags. */
  follow(): number {
    const v = this.values;
    let change: number = ParameterChange.None;
    const mode = v[P.mode];
    const model = v[P.model];
    const armed = v[P.armed] >= 0.5 ? 1 : 0;
    const channel = v[P.midiChannel];
    if (mode !== this.lastMode || model !== this.lastModel || armed !== this.lastArmed || channel !== this.lastChannel) {
      if (this.lastMode !== -1) {
        change |= ParameterChange.CancelOutput;
        if (mode !== this.lastMode || model !== this.lastModel) change |= ParameterChange.StaleRequests;
      }
      this.lastMode = mode;
      this.lastModel = model;
      this.lastArmed = armed;
      this.lastChannel = channel;
    }
    const s = this.loopSettings;
    s.mode = mode;
    s.responseBars = RESPONSE_BAR_COUNTS[v[P.responseBars]] ?? 2;
    s.silenceGapBeats = v[P.silenceGap];
    return change;
  }

  /** Reports each value that changed since the last call (every value on the first). */
  logChanges(log: ParameterLog): void {
    const v = this.values;
    for (let i = 0; i < v.length; i++) {
      if (v[i] !== this.logged[i]) {
        this.logged[i] = v[i];
        log.onParameterChange(i, v[i]);
      }
    }
  }
}
