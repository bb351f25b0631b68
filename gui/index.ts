/**
 * The GUI room's entry, loaded lazily by the plugin's `createGui()`.
 */
import type { DeepImprovNode } from '../plugin/gui-api.ts';
import { DeepImprovGui, ROOT_TAG } from './root/root.ts';

/** Creates the GUI root element bound to `node`. */
export function createGuiElement(node: DeepImprovNode): DeepImprovGui {
  const element = document.createElement(ROOT_TAG) as DeepImprovGui;
  element.node = node;
  return element;
}
