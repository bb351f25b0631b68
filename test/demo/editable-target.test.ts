/** The demo's check for key events meant for a text field, on duck-typed elements and events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEditable, isEditableEvent } from '../../demo/editable-target.ts';

const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, isContentEditable: false, ...extra }) as unknown as EventTarget;

test('text inputs, textareas, selects and contenteditable content are editable; buttons, boxes and other elements are not', () => {
  for (const type of ['text', 'search', 'number', 'email', 'password', 'url', '']) assert.equal(isEditable(el('INPUT', { type })), true, `input ${type}`);
  for (const type of ['checkbox', 'radio', 'button', 'submit', 'range', 'file', 'color']) assert.equal(isEditable(el('INPUT', { type })), false, `input ${type}`);
  assert.equal(isEditable(el('TEXTAREA')), true);
  assert.equal(isEditable(el('SELECT')), true);
  assert.equal(isEditable(el('DIV', { isContentEditable: true })), true);
  assert.equal(isEditable(el('DIV')), false);
  assert.equal(isEditable(el('DEEP-IMPROV-GUI')), false);
  assert.equal(isEditable({} as EventTarget), false, 'window and document are not elements');
});

test('an event counts as typing when any element on its composed path is editable (the shadow host alone is not)', () => {
  const event = (path: EventTarget[]) => ({ composedPath: () => path }) as unknown as Event;
  const input = el('INPUT', { type: 'text' });
  const hostElement = el('DEEP-IMPROV-GUI');
  assert.equal(isEditableEvent(event([input, el('FORM'), el('DI-PRESET-BAR'), hostElement, el('BODY'), {} as EventTarget])), true);
  assert.equal(isEditableEvent(event([el('BUTTON'), hostElement, el('BODY')])), false);
  assert.equal(isEditableEvent(event([])), false);
});
