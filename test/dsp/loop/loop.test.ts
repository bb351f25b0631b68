import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransportClock } from '../../../dsp/loop/transport-clock.ts';
import { OutputScheduler, type MidiSink } from '../../../dsp/loop/output-scheduler.ts';
import { PhraseRecorder } from '../../../dsp/loop/phrase-recorder.ts';
import { LoopController, ModeIndex, RequestKind, type LoopSink } from '../../../dsp/loop/loop-controller.ts';

const SR = 48000;

class Collect implements MidiSink {
  events: [number, number, number, number][] = [];
  emitMidi(frame: number, status: number, d1: number, d2: number) { this.events.push([frame, status, d1, d2]); }
}

describe('TransportClock', () => {
  test('maps bars of a host transport to frames, in 4/4 and 3/4', () => {
    for (const [bpm, num] of [[90, 4], [120, 4], [174, 3]]) {
      const clock = new TransportClock(SR);
      clock.setHostTransport({ currentBar: 2, currentBarStarted: 1.5, tempo: bpm, timeSigNumerator: num, timeSigDenominator: 4, playing: true });
      assert.equal(clock.followsHost, true);
      const barFrames = (num * 60 / bpm) * SR;
      assert.ok(Math.abs(clock.frameAtBeat(2 * num) - 1.5 * SR) < 1e-6);
      assert.ok(Math.abs(clock.frameAtBeat(3 * num) - (1.5 * SR + barFrames)) < 1e-6);
      assert.ok(Math.abs(clock.beatAtFrame(1.5 * SR + barFrames / 2) - (2.5 * num)) < 1e-9);
      assert.equal(clock.nextBarStart(2 * num + 0.1), 3 * num);
      assert.equal(clock.nextBarStart(3 * num), 3 * num);
    }
  });

  test('ignores broken transport fields and clamps tempo', () => {
    const clock = new TransportClock(SR);
    clock.setHostTransport({ currentBar: Number.NaN, currentBarStarted: 0, tempo: -5, timeSigNumerator: 0, timeSigDenominator: 4, playing: true });
    assert.equal(clock.tempoBpm, 120);
    assert.equal(clock.beatsPerBar, 4);
    clock.setHostTransport({ currentBar: 0, currentBarStarted: 0, tempo: 10_000, timeSigNumerator: 4, timeSigDenominator: 4, playing: true });
    assert.equal(clock.tempoBpm, 400);
  });

  test('a free tempo change keeps the beat position', () => {
    const clock = new TransportClock(SR);
    const beat = clock.beatAtFrame(SR * 3);
    clock.setFreeTempo(90, SR * 3);
    assert.ok(Math.abs(clock.beatAtFrame(SR * 3) - beat) < 1e-9);
    assert.ok(Math.abs(clock.beatAtFrame(SR * 4) - beat - 1.5) < 1e-9);
  });
});

describe('OutputScheduler', () => {
  test('drains in time order up to the horizon; note-off before note-on at the same frame', () => {
    const s = new OutputScheduler(16);
    s.add(300, 0x90, 60, 100);
    s.add(100, 0x90, 62, 100);
    s.add(300, 0x80, 62, 0);
    s.add(500, 0x80, 60, 0);
    const sink = new Collect();
    s.drain(0, 301, sink);
    assert.deepEqual(sink.events.map((e) => e[0]), [100, 300, 300]);
    assert.equal(sink.events[1][1], 0x80, 'note-off first at equal frames');
    assert.equal(s.queued, 1);
    assert.equal(s.soundingNotes, 1);
  });

  test('cancelAll ends every sounding note and drops the queue', () => {
    const s = new OutputScheduler(16);
    s.add(10, 0x92, 40, 90);
    s.add(20, 0x92, 40, 90);
    s.add(30, 0x99, 36, 90);
    s.add(1000, 0x82, 40, 0);
    const sink = new Collect();
    s.drain(0, 100, sink);
    assert.equal(s.soundingNotes, 3);
    const offs = new Collect();
    s.cancelAll(50, offs);
    assert.equal(s.queued, 0);
    assert.equal(s.soundingNotes, 0);
    assert.deepEqual(offs.events.sort(), [[50, 0x82, 40, 0], [50, 0x82, 40, 0], [50, 0x89, 36, 0]].sort());
  });

  test('counts late and dropped events', () => {
    const s = new OutputScheduler(2);
    assert.equal(s.add(10, 0x90, 1, 1), true);
    assert.equal(s.add(20, 0x90, 2, 1), true);
    assert.equal(s.add(30, 0x90, 3, 1), false);
    assert.equal(s.dropped, 1);
    s.drain(15, 100, new Collect());
    assert.equal(s.late, 1);
  });
});

describe('PhraseRecorder', () => {
  test('packs the notes of a window relative to its start, cutting held notes', () => {
    const r = new PhraseRecorder(8);
    r.noteOn(60, 100, 4.0);
    r.noteOff(60, 4.5);
    r.noteOn(64, 80, 5.25);
    const out = new Float64Array(32);
    const n = r.take(4, 8, out);
    assert.equal(n, 2);
    assert.deepEqual(Array.from(out.slice(0, 8)), [60, 100, 0, 0.5, 64, 80, 1.25, 2.75]);
    assert.equal(r.noteCount, 1, 'the held note stays for the next window');
  });

  test('drops the oldest note when full', () => {
    const r = new PhraseRecorder(2);
    r.hit(36, 100, 0);
    r.hit(38, 100, 1);
    r.hit(42, 100, 2);
    assert.equal(r.noteCount, 2);
    assert.equal(r.dropped, 1);
    assert.equal(r.firstStartBeat, 1);
  });
});

class Requests implements LoopSink {
  list: { kind: RequestKind; from: number; len: number; notes: number[]; target: number; targetLen: number }[] = [];
  onRequest(kind: RequestKind, from: number, len: number, notes: Float64Array, count: number, target: number, targetLen: number) {
    this.list.push({ kind, from, len, notes: Array.from(notes.slice(0, count * 4)), target, targetLen });
  }
}

function run(clock: TransportClock, ctl: LoopController, fromFrame: number, toFrame: number, settings: any, sink: LoopSink, onBlock?: (frame: number) => void) {
  for (let f = fromFrame; f < toFrame; f += 128) {
    onBlock?.(f);
    ctl.tick(f + 128, settings, sink);
  }
}

describe('LoopController', () => {
  test('call and response with a host transport answers at the bar line after the phrase', () => {
    for (const [bpm, num] of [[90, 4], [120, 4], [174, 4], [90, 3], [120, 3], [174, 3]]) {
      const clock = new TransportClock(SR);
      clock.setHostTransport({ currentBar: 0, currentBarStarted: 0, tempo: bpm, timeSigNumerator: num, timeSigDenominator: 4, playing: true });
      const rec = new PhraseRecorder();
      const ctl = new LoopController(clock, rec, 4800);
      const sink = new Requests();
      // The performer plays four notes in bar 1 (beats num .. 2num).
      const settings = { mode: ModeIndex.CallResponse, responseBars: 2, silenceGapBeats: 1 };
      const played = [0, 0.5, 1, 1.5].map((b) => num + b);
      run(clock, ctl, 0, Math.ceil(clock.frameAtBeat(5 * num)), settings, sink, (frame) => {
        const beat = clock.beatAtFrame(frame);
        for (const p of played) if (beat <= p && p < clock.beatAtFrame(frame + 128)) { rec.noteOn(60, 100, p); rec.noteOff(60, p + 0.5); }
      });
      assert.equal(sink.list.length, 1, `${bpm} BPM ${num}/4: one answer`);
      const r = sink.list[0];
      assert.equal(r.kind, RequestKind.Answer);
      assert.equal(r.target, 2 * num, `${bpm} BPM ${num}/4: answer starts on the next bar line`);
      assert.equal(r.targetLen, 2 * num);
      assert.equal(r.notes.length, 16);
      assert.equal(r.from, num);
    }
  });

  test('a note at a non-finite beat is refused, and call and response still answers the next phrase', () => {
    const clock = new TransportClock(SR);
    clock.setHostTransport({ currentBar: 0, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: true });
    const rec = new PhraseRecorder();
    const ctl = new LoopController(clock, rec, 4800);
    const sink = new Requests();
    rec.noteOn(60, 100, Number.NaN);
    rec.noteOff(60, Number.NaN);
    rec.hit(36, 100, Number.POSITIVE_INFINITY);
    assert.equal(rec.noteCount, 0);
    assert.equal(rec.refused, 3);
    assert.equal(rec.lastActivityBeat, -Infinity, 'the activity clock is untouched');
    const settings = { mode: ModeIndex.CallResponse, responseBars: 1, silenceGapBeats: 1 };
    run(clock, ctl, 0, Math.ceil(clock.frameAtBeat(13)), settings, sink, (frame) => {
      const beat = clock.beatAtFrame(frame);
      for (const p of [4, 4.5, 5]) if (beat <= p && p < clock.beatAtFrame(frame + 128)) { rec.noteOn(62, 90, p); rec.noteOff(62, p + 0.25); }
    });
    assert.deepEqual(sink.list.map((r) => [r.kind, r.target]), [[RequestKind.Answer, 8]], 'the phrase in bar 1 is answered at bar 2');
  });

  test('accompaniment asks for a window at each window boundary, listen mode asks for no music', () => {
    const clock = new TransportClock(SR);
    clock.setHostTransport({ currentBar: 0, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: true });
    const ctl = new LoopController(clock, new PhraseRecorder(), 4800);
    const sink = new Requests();
    run(clock, ctl, 0, SR * 8 + 1, { mode: ModeIndex.Accompany, responseBars: 1, silenceGapBeats: 1 }, sink);
    assert.deepEqual(sink.list.map((r) => r.target), [4, 8, 12, 16]);
    assert.ok(sink.list.every((r) => r.kind === RequestKind.Window));
    const listen = new Requests();
    const rec = new PhraseRecorder();
    const ctl2 = new LoopController(clock, rec, 4800);
    rec.noteOn(60, 90, 16.5); rec.noteOff(60, 17);
    run(clock, ctl2, SR * 8, SR * 12, { mode: ModeIndex.Listen, responseBars: 1, silenceGapBeats: 1 }, listen);
    assert.deepEqual(listen.list.map((r) => r.kind), [RequestKind.PhraseOnly]);
  });

  test('free-running call and response closes after the silence gap and answers on a beat', () => {
    const clock = new TransportClock(SR);
    const rec = new PhraseRecorder();
    const ctl = new LoopController(clock, rec, 2400);
    const sink = new Requests();
    rec.noteOn(60, 100, 0.2); rec.noteOff(60, 0.7);
    rec.noteOn(62, 100, 1.2); rec.noteOff(62, 1.9);
    run(clock, ctl, 0, SR * 3, { mode: ModeIndex.CallResponse, responseBars: 1, silenceGapBeats: 1 }, sink);
    assert.equal(sink.list.length, 1);
    const r = sink.list[0];
    assert.equal(Number.isInteger(r.target), true);
    assert.ok(r.target >= 2.9 && r.target <= 4, `answer on the next beat after the gap, got ${r.target}`);
    assert.equal(rec.noteCount, 0);
  });
});
