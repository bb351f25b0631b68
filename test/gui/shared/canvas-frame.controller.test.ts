/**
 * CanvasFrameController in Node, with a fake host, requestAnimationFrame and
 * ResizeObserver: when it schedules a frame, that bursts of requests make one
 * frame, and that disconnecting cancels the frame and disconnects the
 * observer (and reconnecting starts both again).
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReactiveController, ReactiveElement } from 'lit';
import { CanvasFrameController } from '../../../gui/shared/canvas-frame.controller.ts';

/** Pending animation frames by id; `runFrame()` runs the ones pending now, as the browser does. */
const frames = new Map<number, FrameRequestCallback>();
let nextFrameId = 1;
function runFrame(): void {
  const due = [...frames];
  frames.clear();
  for (const [, callback] of due) callback(0);
}

/** Every ResizeObserver made, with what it observes. */
class FakeResizeObserver {
  static made: FakeResizeObserver[] = [];
  readonly observed = new Set<Element>();
  constructor(readonly callback: () => void) { FakeResizeObserver.made.push(this); }
  observe(target: Element): void { this.observed.add(target); }
  disconnect(): void { this.observed.clear(); }
  resize(): void { if (this.observed.size) this.callback(); }
}

/** The part of a lit element the controller uses. */
class FakeHost {
  readonly controllers: ReactiveController[] = [];
  hasUpdated = false;
  isConnected = false;
  readonly canvas = { tagName: 'CANVAS' } as unknown as Element;
  readonly renderRoot = { querySelector: (selector: string) => (selector === 'canvas' && this.hasUpdated ? this.canvas : null) };
  addController(controller: ReactiveController): void { this.controllers.push(controller); }
  connect(): void { this.isConnected = true; for (const c of this.controllers) c.hostConnected?.(); }
  render(): void { this.hasUpdated = true; for (const c of this.controllers) c.hostUpdated?.(); }
  disconnect(): void { this.isConnected = false; for (const c of this.controllers) c.hostDisconnected?.(); }
}

const saved = { raf: globalThis.requestAnimationFrame, caf: globalThis.cancelAnimationFrame, ro: globalThis.ResizeObserver };

beforeEach(() => {
  frames.clear();
  FakeResizeObserver.made = [];
  globalThis.requestAnimationFrame = (callback) => { frames.set(nextFrameId, callback); return nextFrameId++; };
  globalThis.cancelAnimationFrame = (id) => { frames.delete(id); };
  globalThis.ResizeObserver = FakeResizeObserver as unknown as typeof ResizeObserver;
});

afterEach(() => {
  globalThis.requestAnimationFrame = saved.raf;
  globalThis.cancelAnimationFrame = saved.caf;
  globalThis.ResizeObserver = saved.ro;
});

/** A connected, rendered host whose frame callback records `dirty` and returns `again()`. */
function mounted(again: () => boolean = () => false) {
  const host = new FakeHost();
  const calls: boolean[] = [];
  const controller = new CanvasFrameController(host as unknown as ReactiveElement, (dirty) => { calls.push(dirty); return again(); });
  host.connect();
  host.render();
  return { host, calls, controller };
}

describe('CanvasFrameController', () => {
  test('adds itself to the host and starts only after the first render', () => {
    const host = new FakeHost();
    const calls: boolean[] = [];
    const controller = new CanvasFrameController(host as unknown as ReactiveElement, (dirty) => { calls.push(dirty); return false; });
    assert.deepEqual(host.controllers, [controller]);
    controller.requestDraw();
    host.connect();
    assert.equal(frames.size, 0, 'no frame before the first render');
    assert.equal(FakeResizeObserver.made.length, 0);
    host.render();
    assert.equal(frames.size, 1, 'one frame once rendered');
    assert.deepEqual([...FakeResizeObserver.made[0].observed], [host.canvas], 'observes the canvas by default');
    runFrame();
    assert.deepEqual(calls, [true]);
    host.render();
    assert.equal(frames.size, 0, 'later renders do not restart the loop');
    assert.equal(FakeResizeObserver.made.length, 1);
  });

  test('a burst of requests makes one frame, and a resize requests one', () => {
    const { calls, controller } = mounted();
    runFrame();
    for (let i = 0; i < 100; i++) controller.requestDraw();
    assert.equal(frames.size, 1);
    runFrame();
    assert.equal(frames.size, 0, 'sleeps when the callback returns false');
    FakeResizeObserver.made[0].resize();
    runFrame();
    assert.deepEqual(calls, [true, true, true]);
  });

  test('runs every frame while the callback returns true, dirty only after a request', () => {
    let keepGoing = true;
    const { calls, controller } = mounted(() => keepGoing);
    runFrame();
    runFrame();
    controller.requestDraw();
    runFrame();
    keepGoing = false;
    runFrame();
    runFrame();
    assert.deepEqual(calls, [true, false, true, false]);
    assert.equal(frames.size, 0);
  });

  test('disconnecting cancels the frame and disconnects the observer; reconnecting starts both again', () => {
    const { host, calls, controller } = mounted(() => true);
    const observer = FakeResizeObserver.made[0];
    assert.equal(frames.size, 1);
    host.disconnect();
    assert.equal(frames.size, 0, 'the pending frame is cancelled');
    assert.equal(observer.observed.size, 0, 'the observer is disconnected');
    controller.requestDraw();
    assert.equal(frames.size, 0, 'no frame while disconnected');
    assert.deepEqual(calls, []);

    host.connect();
    assert.equal(frames.size, 1, 'a reconnected host draws again');
    assert.equal(FakeResizeObserver.made.length, 2);
    assert.deepEqual([...FakeResizeObserver.made[1].observed], [host.canvas]);
    runFrame();
    assert.deepEqual(calls, [true]);
    host.disconnect();
    assert.equal(frames.size, 0);
    assert.equal(FakeResizeObserver.made[1].observed.size, 0);
  });

  test('a disconnect during the frame callback stops the loop', () => {
    const host = new FakeHost();
    new CanvasFrameController(host as unknown as ReactiveElement, () => { host.disconnect(); return true; });
    host.connect();
    host.render();
    runFrame();
    assert.equal(frames.size, 0);
  });

  test('observes the element resizeTarget names, or nothing when it returns null', () => {
    const host = new FakeHost();
    const pad = { tagName: 'DIV' } as unknown as Element;
    new CanvasFrameController(host as unknown as ReactiveElement, () => false, { resizeTarget: () => pad });
    new CanvasFrameController(host as unknown as ReactiveElement, () => false, { resizeTarget: () => null });
    host.connect();
    host.render();
    assert.equal(FakeResizeObserver.made.length, 1);
    assert.deepEqual([...FakeResizeObserver.made[0].observed], [pad]);
    assert.equal(frames.size, 2, 'each controller still draws once on start');
  });
});
