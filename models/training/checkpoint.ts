/**
 * Which run a training checkpoint belongs to: the data's fingerprint, the
 * model sizes and every training option that shapes the run's path, so a
 * checkpoint is only resumed by the run that wrote it.
 */
import type { ModelConfig } from '../core/config.ts';
import type { WindowSet } from './data.ts';
import type { TrainOptions } from './trainer.ts';

/**
 * What makes two runs the same run. `steps` is left out: a run may be
 * extended, or stopped at a step of a longer schedule (`--stop-step`).
 */
export interface RunIdentity {
  /** {@link WindowSet.fingerprint} of the training data. */
  data: string;
  config: ModelConfig;
  options: Omit<TrainOptions, 'steps'>;
}

/** The identity of a run on `data` with `config` and `options`. */
export function runIdentity(data: WindowSet, config: ModelConfig, options: TrainOptions): RunIdentity {
  const { steps: _steps, ...rest } = options;
  return { data: data.fingerprint, config: { ...config }, options: rest };
}

/**
 * Checks that a checkpoint's saved identity is this run's.
 * @param saved the `run` field of the checkpoint (undefined in checkpoints written without one).
 * @throws Error listing what differs (data, sizes, options), or saying the checkpoint records no run.
 */
export function checkRunIdentity(saved: unknown, current: RunIdentity): void {
  if (!saved || typeof saved !== 'object') throw new Error('the checkpoint does not record which run it belongs to (data and options)');
  const s = saved as Partial<RunIdentity>;
  const differences: string[] = [];
  if (s.data !== current.data) differences.push(`the data differ (fingerprint ${String(s.data).slice(0, 12)}…, this run ${current.data.slice(0, 12)}…)`);
  const compare = (what: string, a: Record<string, unknown> | undefined, b: Record<string, unknown>): void => {
    for (const key of new Set([...Object.keys(a ?? {}), ...Object.keys(b)])) {
      const x = a?.[key];
      const y = b[key];
      if (JSON.stringify(x) !== JSON.stringify(y)) differences.push(`${what} ${key} is ${JSON.stringify(x) ?? 'unset'}, this run ${JSON.stringify(y) ?? 'unset'}`);
    }
  };
  compare('config', s.config as Record<string, unknown> | undefined, current.config as unknown as Record<string, unknown>);
  compare('option', s.options as Record<string, unknown> | undefined, current.options as unknown as Record<string, unknown>);
  if (differences.length > 0) throw new Error(`the checkpoint belongs to another run: ${differences.join('; ')}`);
}
