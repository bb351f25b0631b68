/**
 * The performer's groove, carried onto an answer: per 16th step and drum
 * class, the call's microtiming (offset from the grid) and dynamics
 * (velocity), as GrooVAE's humanising does (Gillick et al., "Learning to
 * Groove with Inverse Sequence Transformations", ICML 2019) — the decoder
 * alone regresses towards the mean, so its answers come out stiffer and
 * flatter than the playing they answer.
 *
 * A hit of the answer takes the feel of one hit of the call, the first found
 * in this order: the same class on the same step (the call repeats through a
 * longer answer), the same class at the same place in the bar, the same
 * class at the same place in the beat, then (timing only) any class on the
 * same step or at the same place in the beat; of several candidates, the
 * nearest in time (one real hit, not an average, so the spread of the
 * playing is kept). Velocities without a match keep the model's own value,
 * mapped onto the call's mean and spread.
 * Melodies use one class: every note is its pitch's "class".
 */
import type { Phrase } from '../../protocol/phrase.ts';
import { drumClassOf } from '../representation/drums.ts';
import { STEPS_PER_BAR, STEPS_PER_BEAT } from '../representation/grid.ts';

/** Velocity and offset of the answer's hit after the feel is applied. */
export interface Feel {
  /** MIDI velocity (not rounded). */
  velocity: number;
  /** Offset from the grid step, in steps (−0.5…0.5). */
  offsetSteps: number;
}

/** One hit of the call. */
interface Hit {
  step: number;
  velocity: number;
  offset: number;
}

function addTo(map: Map<string, Hit[]>, key: string, hit: Hit): void {
  const list = map.get(key);
  if (list) list.push(hit);
  else map.set(key, [hit]);
}

/** The feel of one call, looked up per answer hit. */
export class GrooveTemplate {
  private readonly steps: number;
  private readonly exact = new Map<string, Hit[]>();
  private readonly inBar = new Map<string, Hit[]>();
  private readonly inBeat = new Map<string, Hit[]>();
  private readonly anyExact = new Map<string, Hit[]>();
  private readonly anyInBeat = new Map<string, Hit[]>();
  private readonly callMean: number;
  private readonly callSd: number;
  private readonly drums: boolean;

  /**
   * @param call the performer's phrase (starts in beats from its start; a
   *   hit just before the start belongs to step 0 with its early offset).
   * @param drums whether the notes are drum hits (classes of models/representation/drums.ts).
   */
  constructor(call: Phrase, drums: boolean) {
    this.drums = drums;
    this.steps = Math.max(1, Math.round(call.lengthBeats * STEPS_PER_BEAT));
    const velocities: number[] = [];
    for (const n of call.notes) {
      const exact = n.startBeats * STEPS_PER_BEAT;
      const step = Math.round(exact);
      if (step < 0 || step >= this.steps) continue;
      const cls = this.classOf(n.pitch);
      const hit: Hit = { step, velocity: n.velocity, offset: exact - step };
      addTo(this.exact, `${cls}:${step}`, hit);
      addTo(this.inBar, `${cls}:${step % STEPS_PER_BAR}`, hit);
      addTo(this.inBeat, `${cls}:${step % STEPS_PER_BEAT}`, hit);
      addTo(this.anyExact, `${step}`, hit);
      addTo(this.anyInBeat, `${step % STEPS_PER_BEAT}`, hit);
      velocities.push(n.velocity);
    }
    this.callMean = velocities.length > 0 ? velocities.reduce((s, v) => s + v, 0) / velocities.length : 0;
    this.callSd = velocities.length > 1 ? Math.sqrt(velocities.reduce((s, v) => s + (v - this.callMean) ** 2, 0) / velocities.length) : 0;
  }

  /** Whether the call had any notes to take a feel from. */
  get empty(): boolean {
    return this.anyExact.size === 0;
  }

  /** Of the hits under `key`, the nearest to `step` on the call's loop (ties: the louder, then the earlier). */
  private nearest(map: Map<string, Hit[]>, key: string, step: number): Hit | null {
    const list = map.get(key);
    if (!list) return null;
    let best: Hit | null = null;
    let bestDistance = Infinity;
    for (const hit of list) {
      const d = Math.abs(hit.step - step);
      const distance = Math.min(d, this.steps - d);
      if (distance < bestDistance || (distance === bestDistance && best !== null && hit.velocity > best.velocity)) {
        best = hit;
        bestDistance = distance;
      }
    }
    return best;
  }

  private classOf(pitch: number): number {
    return this.drums ? drumClassOf(pitch) : 0;
  }

  /**
   * The call's feel for a hit of the answer at `step` (from the answer's
   * start) of `pitch`, with the model's own velocity and offset.
   * @param answerVelocity the model's velocity for this hit.
   * @param answerMean mean and SD of the model's velocities in this answer (for hits the call has no match for).
   */
  feel(step: number, pitch: number, answerVelocity: number, answerOffsetSteps: number, answerMean: number, answerSd: number): Feel {
    const cls = this.classOf(pitch);
    const local = ((step % this.steps) + this.steps) % this.steps;
    const match = this.nearest(this.exact, `${cls}:${local}`, local)
      ?? this.nearest(this.inBar, `${cls}:${local % STEPS_PER_BAR}`, local)
      ?? this.nearest(this.inBeat, `${cls}:${local % STEPS_PER_BEAT}`, local);
    if (match) return { velocity: match.velocity, offsetSteps: match.offset };
    const timing = this.nearest(this.anyExact, `${local}`, local) ?? this.nearest(this.anyInBeat, `${local % STEPS_PER_BEAT}`, local);
    const velocity = answerSd > 0 && this.callSd > 0 ? this.callMean + ((answerVelocity - answerMean) * this.callSd) / answerSd : answerVelocity;
    return { velocity, offsetSteps: timing ? timing.offset : answerOffsetSteps };
  }
}
