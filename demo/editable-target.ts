/**
 * Whether a key event was meant for something the user types into. Key
 * events from inside a shadow root (the plugin's GUI) reach the page
 * retargeted to the shadow host, so `event.target` alone never shows the
 * text field: the composed path does.
 */

/** Form elements that take typing. */
const EDITABLE_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** Input types that are buttons or boxes, not text: typing in them types nothing, so the keyboard may play. */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);

/** True when `node` is an element the user types into: a text input, a textarea, a select, or contenteditable content. */
export function isEditable(node: EventTarget): boolean {
  const element = node as Partial<HTMLElement>;
  if (typeof element.tagName !== 'string') return false;
  if (element.isContentEditable === true) return true;
  if (!EDITABLE_TAGS.has(element.tagName.toUpperCase())) return false;
  return element.tagName.toUpperCase() !== 'INPUT' || !NON_TEXT_INPUTS.has(String((node as HTMLInputElement).type).toLowerCase());
}

/** True when any element on the event's composed path (shadow roots included) is {@link isEditable}. */
export function isEditableEvent(event: Event): boolean {
  return event.composedPath().some(isEditable);
}
