/**
 * The processor in Chromium under malformed input: bad WAM events and
 * parameter updates are refused where they enter the processor and counted
 * by reason, never thrown; the audio keeps passing bit for bit, MIDI thru
 * keeps working, and no update can write to Object.prototype of the shared
 * AudioWorkletGlobalScope or leave a request unanswered.
 * Needs `npm run build` (npm test runs it first).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostFixture, type HostFixture } from '../helpers/host-fixture.ts';

let fx: HostFixture;

before(async () => {
  fx = await startHostFixture({ '/robust-page.js': 'test/dsp/pages/robust-page.ts' });
});

after(async () => {
  await fx?.close();
});

async function run(fn: 'throwBadEvents' | 'pollutingParameters') {
  const page = await fx.hostPage('/robust-page.js');
  await page.waitForFunction((name) => typeof (window as any)[name] === 'function', fn);
  const result = await page.evaluate(({ fn, pluginUrl, synthUrl }) => (window as any)[fn]({ pluginUrl, synthUrl }), { fn, pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl });
  await page.close();
  return result;
}

describe('malformed WAM events', () => {
  test('are dropped and counted by reason; audio, MIDI thru and panic keep working', { timeout: 120_000 }, async () => {
    const r = await run('throwBadEvents');
    assert.equal(r.processorErrors, 0, 'no processorerror');
    assert.equal(r.mismatches, 0, `audio passes bit for bit (first mismatch at sample ${r.firstMismatch})`);
    assert.ok(r.panicked, 'the processor still answers after panic');
    assert.ok(r.received, 'the synth answered');
    const events = r.received.events.map((e: any) => [e.frame, e.status, e.data1, e.data2]);
    assert.deepEqual(events[0], [2400, 0x90, 60, 100], 'the thru note-on');
    assert.deepEqual(events[1], [28800, 0x80, 60, 0], 'its note-off, sent after the bad events');
    const allNotesOff = events.filter((e: number[]) => (e[1] & 0xf0) === 0xb0 && e[2] === 123);
    assert.equal(allNotesOff.length, 16, 'panic reached the synth on every channel');
    assert.equal(events.length, 2 + 32, 'nothing else was forwarded');
    assert.equal(r.received.activeNotes, 0, 'no note left sounding');
    const c = r.debug.counters;
    assert.deepEqual(c.rejected, {
      unknownType: r.expected.unknownType, badTime: r.expected.badTime, badData: r.expected.badData,
      unknownParameter: r.expected.unknownParameter, badValue: r.expected.badValue,
    });
    assert.equal(c.processErrors, 0);
    assert.equal(c.malformedMidi, 0);
    assert.deepEqual(r.debug.addedPrototypeKeys, []);
    assert.ok(Math.abs(r.temperature - 0.8) < 1e-6, `temperature untouched (${r.temperature})`);
    assert.deepEqual(r.publicCounters?.rejected, c.rejected, 'the node exposes the same counters');
    assert.match(r.status, /Processor: ready · 13 bad events dropped/, 'the GUI\'s status line shows them');
  });
});

describe('parameter updates with foreign ids', () => {
  test('the node rejects them with a clear error; the processor ignores, counts and answers them', { timeout: 120_000 }, async () => {
    const r = await run('pollutingParameters');
    assert.equal(r.nodeErrors.length, 3);
    for (const [i, id] of ['__proto__', 'constructor', 'nope'].entries()) {
      assert.match(r.nodeErrors[i], new RegExp(`"${id}" is not a parameter id`));
    }
    assert.ok(r.setSettled, 'set/parameterValues is answered');
    assert.ok(r.stateSettled, 'set/state is answered');
    assert.ok(r.nullStateSettled, 'set/state with null is answered');
    assert.ok(r.debug, 'the processor still answers');
    assert.deepEqual(r.debug.addedPrototypeKeys, [], 'Object.prototype of the audio scope is untouched');
    assert.equal(r.debug.counters.rejected.unknownParameter, 4, 'two ids, sent twice');
    assert.equal(r.debug.counters.processErrors, 0);
    assert.ok(r.ids.includes('temperature') && !r.ids.includes('__proto__') && !r.ids.includes('constructor'));
  });
});
