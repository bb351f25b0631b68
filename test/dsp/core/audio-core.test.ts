/**
 * The audio core driven block by block in Node, as the processor drives it:
 * performer MIDI → phrase → music request → the worker's reply → scheduled
 * MIDI out at exact frames; late replies (deferred in call and response,
 * skipped event by event in window modes); parameter changes that end
 * sounding notes and make pending replies stale, as a transport stop does.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioCore } from '../../../dsp/core/audio-core.ts';
import { MIN_LEAD_BLOCKS, QUANTUM } from '../../../dsp/core/response-planner.ts';
import { PARAMETER_INDEX as P, REPLY_STRATEGIES } from '../../../protocol/parameters.ts';
import { LOG_EVENT, LOG_EVENT_STRIDE } from '../../../protocol/processor-worker.ts';
import { FakeHost } from './fake-host.ts';

const SR = 48000;
/** Frames per beat at 120 BPM. */
const BEAT = SR / 2;

function setUp(mode: number) {
  const host = new FakeHost();
  const core = new AudioCore(SR, host);
  host.core = core;
  core.parameters.set(P.mode, mode);
  core.parameters.set(P.responseBars, 0);
  core.parameters.set(P.silenceGap, 0.5);
  core.beginBlock(0);
  core.transport({ currentBar: 0, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: true });
  core.endBlock(undefined);
  return { host, core, frame: QUANTUM };
}

/** Runs blocks from `from` to `to` (frames); `events(frame)` may hand the block its events. */
function run(core: AudioCore, from: number, to: number, events?: (frame: number) => void): number {
  let frame = from;
  const silence = [new Float32Array(QUANTUM)];
  for (; frame < to; frame += QUANTUM) {
    core.beginBlock(frame);
    events?.(frame);
    core.endBlock(silence);
  }
  return frame;
}

/** A four-note phrase in bar 1 (beats 4–6), as MIDI events in the blocks they fall in. */
function phrase(core: AudioCore) {
  const notes = [[60, 4], [62, 4.5], [64, 5], [65, 5.5]];
  return (frame: number) => {
    for (const [pitch, beat] of notes) {
      for (const [at, bytes] of [[beat, [0x90, pitch, 100]], [beat + 0.25, [0x80, pitch, 0]]] as const) {
        const f = at * BEAT;
        if (f >= frame && f < frame + QUANTUM) core.midiIn(bytes, f / SR);
      }
    }
  };
}

/** The phrase of {@link phrase}, each event reaching the core in the block `lateS` after its own time, stamped with its own time. */
function arrivingLate(core: AudioCore, lateS: number) {
  const events = phrase(core);
  return (frame: number) => {
    const own = frame - Math.round(lateS * SR);
    if (own >= 0) events(own);
  };
}

/** Frames of the MIDI-in records in the log batches the core sent. */
function loggedMidiIn(host: FakeHost): number[] {
  return host.worker('log-batch').flatMap((b) => {
    const out: number[] = [];
    for (let i = 0; i < b.eventCount; i++) if (b.events![i * LOG_EVENT_STRIDE + 1] === LOG_EVENT.MIDI_IN) out.push(b.events![i * LOG_EVENT_STRIDE]);
    return out;
  });
}

describe('AudioCore, block by block', () => {
  test('a phrase is asked for, answered on the next bar line, and played at exactly the planned frames', () => {
    const { host, core, frame } = setUp(1);
    let now = run(core, frame, 7.9 * BEAT, phrase(core));
    const requests = host.worker('music-request');
    assert.equal(requests.length, 1, 'one request for the phrase');
    const request = requests[0];
    assert.equal(request.kind, 'answer');
    assert.equal(request.targetStartBeat, 8);
    assert.equal(request.notes.length, 16);
    assert.equal(host.node('phrase').length, 1, 'the node sees the phrase too');
    assert.deepEqual(loggedMidiIn(host), [4, 4.25, 4.5, 4.75, 5, 5.25, 5.5, 5.75].map((b) => Math.round(b * BEAT)), 'MIDI in logged at its frames');
    assert.equal(host.midi.length, 0, 'MIDI thru is the processor\'s job; the core sent nothing of its own yet');
    host.midi.length = 0;
    core.onWorkerMessage({ type: 'music', id: request.id, targetStartBeat: 8, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 1, 0x80, 67, 0) }, now, 'test');
    const planned = host.node('planned');
    assert.equal(planned.length, 1);
    assert.deepEqual(Array.from(planned[0].events), [8 * BEAT, 0x90, 67, 90, 9 * BEAT, 0x80, 67, 0]);
    assert.equal(planned[0].startBeat, 8);
    now = run(core, now, 10 * BEAT);
    assert.deepEqual(host.midi.filter((e) => e[2] === 67), [[8 * BEAT, 0x90, 67, 90], [9 * BEAT, 0x80, 67, 0]], 'emitted at the planned frames');
    assert.equal(core.counters.deferredResponses, 0);
    assert.equal(core.scheduler.soundingNotes, 0);
  });

  test('performer notes that arrive late are recorded at their own beats, up to half a second late', () => {
    const { host, core, frame } = setUp(1);
    run(core, frame, 7.9 * BEAT, arrivingLate(core, 0.12));
    const [request] = host.worker('music-request');
    assert.ok(request, 'the phrase is asked for');
    const starts = [0, 1, 2, 3].map((i) => request.notes[i * 4 + 2]);
    assert.deepEqual(starts, [0, 0.5, 1, 1.5], 'notes 120 ms late start on their own beats');
    assert.ok(loggedMidiIn(host).every((f, i) => f >= [4, 4.25, 4.5, 4.75, 5, 5.25, 5.5, 5.75][i] * BEAT + 0.12 * SR - QUANTUM), 'the log keeps the frame each arrived at');

    const second = setUp(1);
    // The same phrase a whole second late: recorded where it arrived.
    run(second.core, second.frame, 7.9 * BEAT, arrivingLate(second.core, 1));
    run(second.core, 7.9 * BEAT, 11.9 * BEAT);
    const [arrived] = second.host.worker('music-request');
    assert.ok(arrived, 'the late phrase is still asked for');
    assert.ok(arrived.phraseStartBeat + arrived.notes[2] >= 4 + 2 - 0.01, `a second late is recorded on arrival (${arrived.phraseStartBeat + arrived.notes[2]})`);
  });

  test('call and response: a reply after its start moves to the next bar line, whole', () => {
    const { host, core, frame } = setUp(1);
    const now = run(core, frame, 8.5 * BEAT, phrase(core));
    const id = host.worker('music-request')[0].id;
    core.onWorkerMessage({ type: 'music', id, targetStartBeat: 8, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 0.5, 0x80, 67, 0) }, now, 'test');
    const [planned] = host.node('planned');
    assert.equal(planned.startBeat, 12, 'the next bar line after the earliest schedulable frame');
    assert.deepEqual(Array.from(planned.events), [12 * BEAT, 0x90, 67, 90, 12.5 * BEAT, 0x80, 67, 0]);
    assert.equal(core.counters.deferredResponses, 1);
    assert.equal(core.counters.skippedLateEvents, 0);
  });

  test('window modes: a late window keeps its place; events already due are skipped, with the note-offs of skipped note-ons', () => {
    const { host, core, frame } = setUp(2);
    // The window planned at beat 8 comes back when beat 8.6 is rendering.
    const now = run(core, frame, Math.ceil((8.6 * BEAT) / QUANTUM) * QUANTUM);
    const earliest = now + MIN_LEAD_BLOCKS * QUANTUM;
    assert.ok(8.5 * BEAT < earliest && earliest < 10 * BEAT);
    host.toNodeMessages.length = 0;
    core.onWorkerMessage({
      type: 'music', id: 1, targetStartBeat: 8, targetLengthBeats: 4,
      events: Float64Array.of(
        0, 0x90, 60, 80, // A: due already, skipped
        0, 0x90, 62, 80, // D: due already, skipped ...
        0.5, 0x80, 60, 0, // A's note-off: due already, skipped
        2, 0x90, 64, 80, // C: in time
        2.5, 0x80, 64, 0,
        3, 0x80, 62, 0, // ... and D's note-off, in time but dropped with its note-on
      ),
    }, now, 'test');
    const [planned] = host.node('planned');
    assert.equal(planned.startBeat, 8, 'the window is not moved');
    assert.deepEqual(Array.from(planned.events), [10 * BEAT, 0x90, 64, 80, 10.5 * BEAT, 0x80, 64, 0]);
    assert.equal(core.counters.skippedLateEvents, 3, 'A on, D on, A off');
    assert.equal(core.counters.deferredResponses, 0);
    host.midi.length = 0;
    run(core, now, 12 * BEAT);
    assert.deepEqual(host.midi, [[10 * BEAT, 0x90, 64, 80], [10.5 * BEAT, 0x80, 64, 0]], 'no orphan note-off for D');
  });

  test('a mode change ends the sounding notes and makes pending replies stale', () => {
    const { host, core, frame } = setUp(1);
    let now = run(core, frame, 7.9 * BEAT, phrase(core));
    const id = host.worker('music-request')[0].id;
    core.onWorkerMessage({ type: 'music', id, targetStartBeat: 8, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 3, 0x80, 67, 0) }, now, 'test');
    now = run(core, now, 9 * BEAT);
    assert.equal(core.scheduler.soundingNotes, 1);
    host.midi.length = 0;
    core.parameters.set(P.mode, 0);
    now = run(core, now, now + QUANTUM);
    assert.deepEqual(host.midi.map((e) => [e[1], e[2]]), [[0x80, 67]], 'the note ends at once');
    assert.equal(host.node('cancelled').length, 1);
    const before = host.node('planned').length;
    core.onWorkerMessage({ type: 'music', id, targetStartBeat: 12, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 69, 90, 1, 0x80, 69, 0) }, now, 'test');
    assert.equal(host.node('planned').length, before, 'a reply to a request of the old mode is ignored');
  });

  test('a transport stop makes pending replies stale: a reply that comes after the restart is not played', () => {
    const { host, core, frame } = setUp(1);
    let now = run(core, frame, 7.9 * BEAT, phrase(core));
    const id = host.worker('music-request')[0].id;
    core.beginBlock(now);
    core.transport({ currentBar: 1, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: false });
    core.endBlock(undefined);
    now = run(core, now + QUANTUM, now + 10 * QUANTUM);
    core.beginBlock(now);
    core.transport({ currentBar: 1, currentBarStarted: now / SR, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: true });
    core.endBlock(undefined);
    now = run(core, now + QUANTUM, now + 10 * QUANTUM);
    core.onWorkerMessage({ type: 'music', id, targetStartBeat: 8, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 0.5, 0x80, 67, 0) }, now, 'test');
    assert.deepEqual(host.node('planned'), [], 'a reply to a phrase played before the stop is ignored');
    assert.deepEqual(host.node('music-unanswered').map((m) => [m.id, m.reason]), [[id, 'stale']]);
    run(core, now, now + 8 * BEAT);
    assert.deepEqual(host.midi.filter((e) => (e[1] & 0xf0) === 0x90 && e[3] > 0), [], 'no note started after the stop');
  });

  test('the request carries the reply parameter in its generation settings', () => {
    const sent: number[] = [];
    for (const reply of [REPLY_STRATEGIES.indexOf('contrast'), REPLY_STRATEGIES.indexOf('continuation')]) {
      const { host, core, frame } = setUp(1);
      core.parameters.set(P.reply, reply);
      run(core, frame, 7.9 * BEAT, phrase(core));
      const [request] = host.worker('music-request');
      assert.equal(request.kind, 'answer');
      sent.push(request.settings.reply);
    }
    assert.deepEqual(sent, [2, 1]);
    const { host, core, frame } = setUp(1);
    run(core, frame, 7.9 * BEAT, phrase(core));
    assert.equal(host.worker('music-request')[0].settings.reply, 0, 'variation by default');
  });

  test('flush sends what is pending and the counters; a worker failure is counted', () => {
    const { host, core, frame } = setUp(0);
    run(core, frame, 100 * QUANTUM);
    core.onWorkerMessage({ type: 'music-failed', id: 3, error: 'no model' }, 0, 'test');
    core.onNodeMessage({ type: 'flush', id: 9 }, 0);
    const stats = host.node('stats');
    assert.equal(stats.at(-1)!.counters.failedRequests, 1);
    assert.deepEqual(host.node('flushed'), [{ type: 'flushed', id: 9 }]);
    assert.ok(host.node('features').length > 0, 'feature frames reach the node');
  });
});

describe('AudioCore, sync source', () => {
  /** 90 BPM MIDI clock: Start at frame 10 000, tick k due at 10 000 + 40 + k · tickFrames (k = 0 is beat 0). */
  const BPM = 90;
  const TICK = (60 * SR) / (BPM * 24);
  const START = 10_000;
  const tickFrame = (k: number) => START + 40 + k * TICK;
  /** The clock's beat b at this frame. */
  const beatFrame = (b: number) => tickFrame(b * 24);

  function clockStream(core: AudioCore, thru: boolean[]) {
    return (frame: number) => {
      if (START >= frame && START < frame + QUANTUM) thru.push(core.midiIn([0xfa, 0, 0], START / SR));
      const first = Math.max(0, Math.ceil((frame - START - 40) / TICK));
      for (let k = first; tickFrame(k) < frame + QUANTUM; k++) thru.push(core.midiIn([0xf8, 0, 0], tickFrame(k) / SR));
    };
  }

  test('with MIDI clock the host transport is ignored, clock never goes to MIDI thru, and answers start on the clock\'s bar line', () => {
    const { host, core, frame } = setUp(1);
    core.parameters.set(P.syncSource, 1);
    const thru: boolean[] = [];
    const clock = clockStream(core, thru);
    const notes = [[60, 4], [62, 4.5], [64, 5], [65, 5.5]];
    const now = run(core, frame, beatFrame(7.9), (f) => {
      clock(f);
      for (const [pitch, beat] of notes) {
        for (const [at, bytes] of [[beat, [0x90, pitch, 100]], [beat + 0.25, [0x80, pitch, 0]]] as const) {
          const x = beatFrame(at);
          if (x >= f && x < f + QUANTUM) core.midiIn(bytes, x / SR);
        }
      }
    });
    assert.ok(thru.length > 100 && thru.every((t) => t === false), 'clock bytes are not re-emitted');
    assert.ok(core.clock.followsHost, 'the clock plays');
    assert.ok(Math.abs(core.clock.tempoBpm - BPM) < 0.05, `tempo ${core.clock.tempoBpm}`);
    const [request] = host.worker('music-request');
    assert.equal(request.targetStartBeat, 8, 'answer at bar 2 of the clock');
    assert.ok(Math.abs(request.tempoBpm - BPM) < 0.05);
    core.onWorkerMessage({ type: 'music', id: request.id, targetStartBeat: 8, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 1, 0x80, 67, 0) }, now, 'test');
    const [planned] = host.node('planned');
    assert.ok(Math.abs(planned.events[0] - beatFrame(8)) < 2, `the answer starts at the clock's bar line (${planned.events[0]} vs ${beatFrame(8)})`);
  });

  test('stop from the clock ends sounding notes; the host source ignores clock; internal ignores both', () => {
    const { host, core, frame } = setUp(2);
    core.parameters.set(P.syncSource, 1);
    const thru: boolean[] = [];
    let now = run(core, frame, beatFrame(4), clockStream(core, thru));
    assert.ok(core.clock.followsHost);
    core.beginBlock(now);
    core.midiIn([0xfc, 0, 0], now / SR);
    core.endBlock(undefined);
    now += QUANTUM;
    assert.equal(core.clock.followsHost, false, 'stopped');
    assert.ok(host.node('cancelled').length >= 1, 'output cancelled on stop');
    // Back to the host: its last transport (120 BPM, playing) comes back; clock is ignored.
    core.parameters.set(P.syncSource, 0);
    now = run(core, now, now + 4 * QUANTUM, (f) => core.midiIn([0xf8, 0, 0], f / SR));
    assert.ok(core.clock.followsHost);
    assert.equal(core.clock.tempoBpm, 120);
    core.parameters.set(P.syncSource, 2);
    core.parameters.set(P.tempo, 100);
    run(core, now, now + 4 * QUANTUM, (f) => core.transport({ currentBar: 0, currentBarStarted: f / SR, tempo: 150, timeSigNumerator: 4, timeSigDenominator: 4, playing: true }));
    assert.equal(core.clock.followsHost, false, 'internal: the host transport is not followed');
    assert.equal(core.clock.tempoBpm, 100, 'internal: the Tempo parameter');
  });
});

describe('AudioCore, output latency', () => {
  test('with an output latency the phrase is closed and the answer asked for that much earlier, for the same bar line', () => {
    // At beat 7.5 (250 ms before bar 2): past the decision point only when 200 ms of output latency add to the 100 ms lead.
    const plain = setUp(1);
    run(plain.core, plain.frame, 7.5 * BEAT, phrase(plain.core));
    assert.equal(plain.host.worker('music-request').length, 0, 'no output latency: not yet');
    const bridged = setUp(1);
    bridged.core.onNodeMessage({ type: 'output-latency', seconds: 0.2 }, 0);
    run(bridged.core, bridged.frame, 7.5 * BEAT, phrase(bridged.core));
    const requests = bridged.host.worker('music-request');
    assert.equal(requests.length, 1, '200 ms of output latency: asked already');
    assert.equal(requests[0].targetStartBeat, 8, 'for the same bar line');
  });

  test('the output latency is clamped to 0 … 1 s; one that is not finite counts as 0', () => {
    const { core } = setUp(1);
    core.onNodeMessage({ type: 'output-latency', seconds: 5 }, 0);
    assert.equal(core.loop.outputLatencyFrames, SR);
    core.onNodeMessage({ type: 'output-latency', seconds: -1 }, 0);
    assert.equal(core.loop.outputLatencyFrames, 0);
    core.onNodeMessage({ type: 'output-latency', seconds: 0.05 }, 0);
    assert.equal(core.loop.outputLatencyFrames, 0.05 * SR);
    core.onNodeMessage({ type: 'output-latency', seconds: Number.NaN }, 0);
    assert.equal(core.loop.outputLatencyFrames, 0);
  });
});

describe('AudioCore, reply lead', () => {
  test('after a slow reply the next phrase is closed early enough for the worker\'s pace, for the same bar line', () => {
    const { host, core, frame } = setUp(1);
    let now = run(core, frame, 7.9 * BEAT, phrase(core));
    const [first] = host.worker('music-request');
    // The worker answers 400 ms (0.8 beats) after the request.
    now = run(core, now, now + 0.4 * SR);
    core.onWorkerMessage({ type: 'music', id: first.id, targetStartBeat: 8, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 1, 0x80, 67, 0) }, now, 'test');
    assert.ok(core.planner.slowestRecentReplyFrames >= 0.4 * SR);
    // A second phrase in bar 3 (beats 12–14); at beat 15.3 (350 ms before bar 4) it is asked for already.
    const notes = [[60, 12], [62, 12.5], [64, 13]];
    run(core, now, 15.3 * BEAT, (f) => {
      for (const [pitch, beat] of notes) {
        for (const [at, bytes] of [[beat, [0x90, pitch, 100]], [beat + 0.25, [0x80, pitch, 0]]] as const) {
          if (at * BEAT >= f && at * BEAT < f + QUANTUM) core.midiIn(bytes, (at * BEAT) / SR);
        }
      }
    });
    const requests = host.worker('music-request');
    assert.equal(requests.length, 2, 'the second phrase was asked for more than 400 ms before its bar line');
    assert.equal(requests[1].targetStartBeat, 16, 'for the bar line after it');
  });

  test('a phrase still held when the early decision comes is answered as soon as it ends, on the same bar line', () => {
    const { host, core, frame } = setUp(1);
    let now = run(core, frame, 7.9 * BEAT, phrase(core));
    const [first] = host.worker('music-request');
    // A slow worker (900 ms): decisions for later bar lines open about 1.9 beats early.
    now = run(core, now, now + 0.9 * SR);
    core.onWorkerMessage({ type: 'music', id: first.id, targetStartBeat: 8, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 1, 0x80, 67, 0) }, now, 'test');
    // A note held from beat 12 to beat 15 (half a second before bar 4).
    run(core, now, 15.5 * BEAT, (f) => {
      if (12 * BEAT >= f && 12 * BEAT < f + QUANTUM) core.midiIn([0x90, 60, 100], (12 * BEAT) / SR);
      if (15 * BEAT >= f && 15 * BEAT < f + QUANTUM) core.midiIn([0x80, 60, 0], (15 * BEAT) / SR);
    });
    const requests = host.worker('music-request');
    assert.equal(requests.length, 2, 'asked for once the note ended');
    assert.equal(requests[1].targetStartBeat, 16, 'for the bar line right after it');
  });
});
