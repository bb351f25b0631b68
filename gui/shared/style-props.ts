/**
 * `styleProps({ left: '10%' })`: an element directive that sets inline style
 * properties through the CSSOM (`element.style.setProperty`) on every render,
 * never through a `style` attribute. Hosts with a strict Content-Security-
 * Policy (no 'unsafe-inline' for styles) block style attributes, including
 * the first render of lit's `styleMap`; CSSOM changes are allowed.
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

class StyleProps extends Directive {
  private applied = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('styleProps() goes on an element: <div ${styleProps({...})}>');
  }

  render(_props: Record<string, string>): unknown {
    return noChange;
  }

  override update(part: ElementPart, [props]: [Record<string, string>]): unknown {
    const style = (part.element as HTMLElement).style;
    for (const name of this.applied) if (!(name in props)) style.removeProperty(name);
    this.applied = new Set(Object.keys(props));
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    return noChange;
  }
}

/** Sets CSS properties (kebab-case names) on the element, CSP-safe. */
export const styleProps = directive(StyleProps);
