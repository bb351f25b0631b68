/**
 * What the demo shows while it starts: three stages, each waiting, active,
 * done, warning or failed. Audio is the demo's own (the AudioContext and the
 * WAM host); plugin and models follow what the plugin's node reports
 * (`onStatus`: the processor, then the model worker).
 */

/** The start-up stages, in order. */
export const STAGES = ['audio', 'plugin', 'models'] as const;
export type Stage = (typeof STAGES)[number];

/** How far one stage is. */
export type StageState = 'waiting' | 'active' | 'done' | 'warning' | 'error';

/** A part's readiness as the node reports it (`PartStatus`). */
export type NodePartStatus = 'loading' | 'ready' | 'warning' | 'error';

/** The node's status fields the progress reads. */
export interface NodeStatusLike {
  processor: NodePartStatus;
  worker: NodePartStatus;
}

const LABELS: Record<Stage, Record<StageState, string>> = {
  audio: { waiting: 'Audio', active: 'Starting audio…', done: 'Audio running', warning: 'Audio', error: 'Audio failed' },
  plugin: { waiting: 'Plugin', active: 'Loading the plugin…', done: 'Plugin ready', warning: 'Plugin', error: 'Plugin failed' },
  models: { waiting: 'Models', active: 'Loading the models…', done: 'Models ready', warning: 'Some models missing', error: 'Models failed' },
};

/** The words of a stage in a state, e.g. ('models', 'active') → "Loading the models…". */
export function stageLabel(stage: Stage, state: StageState): string {
  return LABELS[stage][state];
}

/** The plugin and models stages for a node status. */
export function stagesFromStatus(status: NodeStatusLike): Record<'plugin' | 'models', StageState> {
  const plugin: StageState = status.processor === 'ready' ? 'done' : status.processor === 'loading' ? 'active' : status.processor;
  let models: StageState;
  if (plugin !== 'done') models = status.worker === 'error' ? 'error' : 'waiting';
  else models = status.worker === 'ready' ? 'done' : status.worker === 'loading' ? 'active' : status.worker;
  return { plugin, models };
}

/** Shows the stages in a list whose items carry `data-stage`; each item gets `data-state` and its words. */
export class LoadProgress {
  private readonly list: HTMLElement;
  private readonly states: Record<Stage, StageState> = { audio: 'waiting', plugin: 'waiting', models: 'waiting' };

  constructor(list: HTMLElement) {
    this.list = list;
  }

  /** Sets one stage and shows the list. */
  set(stage: Stage, state: StageState): void {
    this.states[stage] = state;
    this.list.hidden = false;
    const item = this.list.querySelector<HTMLElement>(`[data-stage="${stage}"]`);
    if (!item) return;
    item.dataset.state = state;
    item.textContent = stageLabel(stage, state);
  }

  /** Sets the plugin and models stages from the node's status. */
  follow(status: NodeStatusLike): void {
    const stages = stagesFromStatus(status);
    this.set('plugin', stages.plugin);
    this.set('models', stages.models);
  }

  /** Marks the active stage failed (start-up threw). */
  fail(): void {
    for (const stage of STAGES) if (this.states[stage] === 'active') this.set(stage, 'error');
  }

  /** The state of a stage. */
  state(stage: Stage): StageState {
    return this.states[stage];
  }
}
