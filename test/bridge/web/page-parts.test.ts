/** The bridge page's small pure parts: URLs, the parameter mirror and the status line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureUrlFor, pluginUrlFor, sendDelayFrom, socketUrlFor } from '../../../bridge/web/urls.ts';
import { ParamMirror } from '../../../bridge/web/param-mirror.ts';
import { formatStatus } from '../../../bridge/web/status-line.ts';
import type { BridgeStatus } from '../../../bridge/web/bridge-host.ts';
import { paramIdOf } from '../../../protocol/bridge.ts';
import { defaultParameterValues } from '../../../protocol/parameters.ts';

const SCRIPT = 'http://127.0.0.1:41234/0123456789abcdef0123456789abcdef/bridge/bridge.js';

test('every URL stays under the instance token', () => {
  assert.equal(socketUrlFor(SCRIPT), 'ws://127.0.0.1:41234/0123456789abcdef0123456789abcdef/ws');
  assert.equal(socketUrlFor(`${SCRIPT}?delay=5#x`), 'ws://127.0.0.1:41234/0123456789abcdef0123456789abcdef/ws');
  assert.equal(socketUrlFor('https://localhost:9/t/bridge/bridge.js'), 'wss://localhost:9/t/ws');
  assert.equal(pluginUrlFor(SCRIPT), 'http://127.0.0.1:41234/0123456789abcdef0123456789abcdef/index.js');
  assert.equal(captureUrlFor(SCRIPT), 'http://127.0.0.1:41234/0123456789abcdef0123456789abcdef/bridge/capture-processor.js');
});

test('the delay option reads a positive number and ignores anything else', () => {
  assert.equal(sendDelayFrom('?delay=80'), 80);
  assert.equal(sendDelayFrom('?delay=-3'), 0);
  assert.equal(sendDelayFrom('?delay=abc'), 0);
  assert.equal(sendDelayFrom(''), 0);
});

test('the parameter mirror applies DAW values, clamped, and never echoes them back', () => {
  const mirror = new ParamMirror();
  const values = defaultParameterValues();
  mirror.fromWam(values, true);
  assert.deepEqual(mirror.fromDaw(paramIdOf('temperature'), 9), { id: 'temperature', value: 2 });
  assert.deepEqual(mirror.fromDaw(paramIdOf('midiChannel'), 3.4), { id: 'midiChannel', value: 3 });
  assert.equal(mirror.fromDaw(12345, 1), null);
  assert.equal(mirror.fromDaw(paramIdOf('density'), Number.NaN), null);
  // The WAM now holds what the DAW set: nothing to send.
  assert.deepEqual(mirror.fromWam({ ...values, temperature: 2, midiChannel: 3 }), []);
  // A change in the page goes to the DAW once.
  assert.deepEqual(mirror.fromWam({ ...values, temperature: 2, midiChannel: 3, variation: 0.7 }), [{ paramId: paramIdOf('variation'), value: 0.7 }]);
  assert.deepEqual(mirror.fromWam({ ...values, temperature: 2, midiChannel: 3, variation: 0.7 }), []);
});

test('MIDI thru is held off in the page: the DAW value is kept for the state only', () => {
  const mirror = new ParamMirror();
  assert.equal(mirror.dawMidiThru, 1);
  assert.equal(mirror.fromDaw(paramIdOf('midiThru'), 0), null);
  assert.equal(mirror.dawMidiThru, 0);
  assert.deepEqual(mirror.fromWam({ ...defaultParameterValues(), midiThru: 0 }).filter((c) => c.paramId === paramIdOf('midiThru')), []);
});

test('the status line names the DAW, the round trip, the clock map and the counters', () => {
  const status: BridgeStatus = {
    connection: 'open', audio: 'running', wam: 'ready', message: '', host: 'Bitwig Studio', sampleRateHz: 48000, roundTripMs: 0.84,
    offsetMs: -1530.2, driftPpm: 3.2, jitterMs: 1.25, lagMs: 9.3, exact: 120, late: 1, dropped: 0, overflow: 0, movedAnswers: 0, ignoredMessages: 0,
  };
  assert.equal(formatStatus(status),
    'connected to Bitwig Studio · round trip 0.8 ms · clock offset -1530.2 ms, drift 3 ppm, jitter 1.3 ms, lag 9.3 ms · events exact 120, late 1, dropped 0');
  const down = formatStatus({ ...status, connection: 'closed', audio: 'suspended', movedAnswers: 2, roundTripMs: Number.NaN });
  assert.match(down, /^disconnected \(retrying\) · round trip – /);
  assert.match(down, /answers moved a bar 2/);
  assert.match(down, /audio suspended/);
});
