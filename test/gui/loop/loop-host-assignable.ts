/**
 * Compile-time check (run by `npx tsc`): the real node satisfies the loop
 * GUI's host interface, so `<di-loop-panel>.node = audioNode` type-checks.
 * If `DeepImprovNode`'s API drifts from `LoopHost`, this file stops compiling.
 */
import type { DeepImprovNode } from '../../../plugin/node.ts';
import type { LoopHost } from '../../../gui/loop/loop-host.ts';

/** Resolves to `true` only when `A` is assignable to `B`. */
type Assignable<A, B> = [A] extends [B] ? true : false;

/** Fails to compile unless `DeepImprovNode` is a `LoopHost`. */
export const deepImprovNodeIsLoopHost: Assignable<DeepImprovNode, LoopHost> = true;

/** The real node also has the optional streams (live performer notes, music requests), so the roll and the pill get them. */
export const deepImprovNodeStreamsEverything: Assignable<DeepImprovNode, Required<LoopHost>> = true;
