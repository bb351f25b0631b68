/**
 * TaskStatusController in Node, with a fake host, document and object URLs:
 * the busy flag while a task runs, the error line and the caller's error
 * callback, info lines, and download URLs revoked after their lifetime or
 * when the host disconnects.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReactiveController } from 'lit';
import { TaskStatusController } from '../../../gui/shared/task-status.controller.ts';

class FakeHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  readonly appended: { download: string; clicked: boolean }[] = [];
  readonly renderRoot = { appendChild: (a: { download: string; clicked: boolean }) => { this.appended.push(a); } } as unknown as HTMLElement;
  addController(controller: ReactiveController): void { this.controllers.push(controller); }
  removeController(): void {}
  requestUpdate(): void { this.updates++; }
  get updateComplete(): Promise<boolean> { return Promise.resolve(true); }
  disconnect(): void { for (const c of this.controllers) c.hostDisconnected?.(); }
}

const live = new Set<string>();
let urls = 0;
const saved = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL, document: (globalThis as { document?: unknown }).document };

beforeEach(() => {
  live.clear();
  URL.createObjectURL = () => { const url = `blob:${++urls}`; live.add(url); return url; };
  URL.revokeObjectURL = (url: string) => { live.delete(url); };
  (globalThis as { document?: unknown }).document = {
    createElement: () => ({ href: '', download: '', style: {}, clicked: false, click() { this.clicked = true; }, remove() {} }),
  };
});

afterEach(() => {
  URL.createObjectURL = saved.createObjectURL;
  URL.revokeObjectURL = saved.revokeObjectURL;
  (globalThis as { document?: unknown }).document = saved.document;
});

test('run marks the host busy while the task runs, and reports success', async () => {
  const host = new FakeHost();
  const tasks = new TaskStatusController(host);
  assert.equal(host.controllers[0], tasks);
  let busyInside = false;
  const ok = await tasks.run('Could not do it', async () => { busyInside = tasks.busy; });
  assert.equal(ok, true);
  assert.equal(busyInside, true);
  assert.equal(tasks.busy, false);
  assert.equal(tasks.message, null);
  assert.ok(host.updates >= 2, 'the host re-renders when busy changes');
});

test('a failure becomes the error line "<label>: <message>" and reaches the callback; run never rejects', async () => {
  const tasks = new TaskStatusController(new FakeHost());
  const seen: [string, unknown][] = [];
  const error = new RangeError('out of range');
  const ok = await tasks.run('Could not save', async () => { throw error; }, (text, err) => seen.push([text, err]));
  assert.equal(ok, false);
  assert.deepEqual(tasks.message, { kind: 'error', text: 'Could not save: out of range' });
  assert.deepEqual(seen, [['Could not save: out of range', error]]);
  assert.equal(await tasks.run('Could not', async () => { throw 'a string'; }), false);
  assert.equal(tasks.message?.text, 'Could not: a string');
  tasks.info('Saved');
  assert.deepEqual(tasks.message, { kind: 'info', text: 'Saved' });
  tasks.clear();
  assert.equal(tasks.message, null);
});

test('a download clicks an anchor in the render root; its URL is revoked when the host disconnects', () => {
  const host = new FakeHost();
  const tasks = new TaskStatusController(host);
  tasks.download(new Uint8Array([1, 2, 3]), 'a.mid', 'audio/midi');
  tasks.download(new Blob(['x']), 'b.json');
  assert.deepEqual(host.appended.map((a) => [a.download, a.clicked]), [['a.mid', true], ['b.json', true]]);
  assert.equal(tasks.pendingDownloads, 2);
  assert.equal(live.size, 2);
  host.disconnect();
  assert.equal(tasks.pendingDownloads, 0);
  assert.equal(live.size, 0, 'every object URL revoked');
});
