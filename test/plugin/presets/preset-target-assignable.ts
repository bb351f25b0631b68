/**
 * Compile-time check (run by `npm run typecheck`, not by the test runner):
 * the plugin node satisfies the interface the presets service talks to.
 */
import type { DeepImprovNode } from '../../../plugin/node.ts';
import type { PresetTarget } from '../../../plugin/presets/service.ts';

/** Resolves to T only when T is assignable to U; otherwise the file does not compile. */
type Assignable<T extends U, U> = T;

/** `DeepImprovNode` is a `PresetTarget`. */
export type NodeIsPresetTarget = Assignable<DeepImprovNode, PresetTarget>;
