/**
 * Live phrase windows keep the downbeat: a note played up to half a 16th step
 * before a bar line belongs to the phrase that starts at that bar, on its first
 * step (the look-back training windows and `reconstruct` use), and a note
 * further ahead still belongs to the phrase before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WINDOW_LOOK_BACK_BEATS } from '../../../protocol/phrase.ts';
import { LoopController, ModeIndex, RequestKind, type LoopSink } from '../../../dsp/loop/loop-controller.ts';
import { PhraseRecorder } from '../../../dsp/loop/phrase-recorder.ts';
import { TransportClock } from '../../../dsp/loop/transport-clock.ts';

const SR = 48000;
const KICK = 36;
const SNARE = 38;
const HAT = 42;

interface Request { kind: RequestKind; from: number; len: number; notes: { pitch: number; start: number }[] }

class Requests implements LoopSink {
  list: Request[] = [];
  onRequest(kind: RequestKind, from: number, len: number, notes: Float64Array, count: number) {
    const list = [];
    for (let i = 0; i < count; i++) list.push({ pitch: notes[i * 4], start: notes[i * 4 + 2] });
    this.list.push({ kind, from, len, notes: list });
  }
}

/** Mulberry32: a small seeded uniform generator in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plays timed hits into the recorder block by block (each when its block is rendered) while the controller decides. */
function perform(bpm: number, beatsPerBar: number, hits: { pitch: number; beat: number }[], untilBeat: number, leadFrames = Math.round(0.1 * SR)): Requests {
  const clock = new TransportClock(SR);
  clock.setHostTransport({ currentBar: 0, currentBarStarted: 0, tempo: bpm, timeSigNumerator: beatsPerBar, timeSigDenominator: 4, playing: true });
  const rec = new PhraseRecorder();
  const ctl = new LoopController(clock, rec, leadFrames);
  const sink = new Requests();
  const sorted = [...hits].sort((a, b) => a.beat - b.beat);
  let next = 0;
  const settings = { mode: ModeIndex.CallResponse, responseBars: 2, silenceGapBeats: 1 };
  for (let f = 0; f < clock.frameAtBeat(untilBeat); f += 128) {
    const blockEnd = clock.beatAtFrame(f + 128);
    while (next < sorted.length && sorted[next].beat < blockEnd) {
      rec.hit(sorted[next].pitch, 100, sorted[next].beat);
      next++;
    }
    ctl.tick(f + 128, settings, sink);
  }
  return sink;
}

describe('LoopController phrase windows', () => {
  test('a drummer who plays the downbeat kicks up to a 32nd ahead of the bar line: every one lands on step 1 of its phrase', () => {
    for (const [bpm, bpb, seed] of [[90, 4, 1], [120, 4, 2], [174, 4, 3], [120, 3, 4], [60, 4, 5]]) {
      const random = seeded(seed);
      const jitter = (sd: number) => (random() + random() + random() - 1.5) * sd;
      const hits: { pitch: number; beat: number }[] = [];
      const firstBar = 1;
      const bars = 8;
      const downbeats: number[] = [];
      for (let bar = firstBar; bar < firstBar + bars; bar++) {
        const line = bar * bpb;
        // The downbeat kick: ahead of the line by up to a 32nd note (half a 16th step), never after it.
        const early = random() * WINDOW_LOOK_BACK_BEATS;
        hits.push({ pitch: KICK, beat: line - early });
        downbeats.push(line);
        for (let b = 0; b < bpb; b++) {
          if (b === 2) hits.push({ pitch: KICK, beat: line + b + jitter(0.04) });
          if (b % 2 === 1) hits.push({ pitch: SNARE, beat: line + b + jitter(0.04) });
          hits.push({ pitch: HAT, beat: line + b + 0.5 + jitter(0.04) });
          if (b > 0) hits.push({ pitch: HAT, beat: line + b + jitter(0.04) });
        }
      }
      // The closing downbeat after the last bar, then silence.
      const last = (firstBar + bars) * bpb;
      hits.push({ pitch: KICK, beat: last - random() * WINDOW_LOOK_BACK_BEATS });
      downbeats.push(last);
      const sink = perform(bpm, bpb, hits, last + 3 * bpb);
      const label = `${bpm} BPM ${bpb}/4`;
      assert.deepEqual(sink.list.map((r) => r.from), [1, 3, 5, 7, 9].map((b) => b * bpb), `${label}: two-bar phrases, then the closing bar`);
      assert.ok(sink.list.every((r) => r.kind === RequestKind.Answer));
      for (const r of sink.list) {
        const firstStep = r.notes.filter((n) => n.pitch === KICK && Math.round(n.start * 4) === 0);
        assert.equal(firstStep.length, 1, `${label}: the phrase at ${r.from} has its downbeat kick on step 1`);
        assert.ok(firstStep[0].start <= 0 && firstStep[0].start >= -WINDOW_LOOK_BACK_BEATS, `${label}: its offset (${firstStep[0].start} beats) is kept as microtiming`);
      }
      // Every downbeat kick, the ones inside a phrase too, is on the step of its bar line.
      const heard = sink.list.flatMap((r) => r.notes.filter((n) => n.pitch === KICK).map((n) => r.from + Math.round(n.start * 4) / 4));
      for (const line of downbeats) assert.ok(heard.includes(line), `${label}: the kick of the bar at beat ${line} is on its bar line`);
      assert.equal(sink.list.reduce((sum, r) => sum + r.notes.length, 0), hits.length, `${label}: no hit is lost`);
    }
  });

  test('a note more than half a step ahead of the bar line still belongs to the phrase before it', () => {
    // 120 BPM: the decision for a bar line is taken 1024 frames (0.043 beats) ahead of it, after the early note.
    const early = WINDOW_LOOK_BACK_BEATS + 0.01;
    const hits = [{ pitch: KICK, beat: 4 }, { pitch: SNARE, beat: 5 }, { pitch: KICK, beat: 6 }, { pitch: SNARE, beat: 8 - early }];
    const sink = perform(120, 4, hits, 16, 1024);
    assert.equal(sink.list.length, 1);
    const r = sink.list[0];
    assert.equal(r.from, 4);
    assert.equal(r.len, 8, 'the phrase closes at the bar after the silence gap that follows the snare');
    assert.deepEqual(r.notes.map((n) => n.pitch), [KICK, SNARE, KICK, SNARE]);
    assert.ok(Math.abs(r.notes[3].start - (4 - early)) < 1e-12, 'on the last 16th of the bar it was played in');
  });

  test('a bar-line note a rounding error early stays in its phrase', () => {
    const bar = 4;
    const hits = [{ pitch: KICK, beat: bar - 1e-12 }, { pitch: SNARE, beat: bar + 1 }, { pitch: KICK, beat: bar + 2 }];
    const sink = perform(120, 4, hits, 16);
    assert.equal(sink.list.length, 1);
    assert.equal(sink.list[0].from, bar, 'the phrase starts at the bar line, not the bar before');
    assert.equal(sink.list[0].notes.length, 3, 'the bar-line note is in it');
    assert.ok(Math.abs(sink.list[0].notes[0].start) < 1e-9, 'on its first step');
  });

  test('free-running, a note just ahead of a beat opens the phrase on that beat, and the last note early on a beat is kept', () => {
    const clock = new TransportClock(SR);
    const rec = new PhraseRecorder();
    const ctl = new LoopController(clock, rec, 2400);
    const sink = new Requests();
    rec.hit(KICK, 100, 1 - 0.1);
    rec.hit(SNARE, 100, 2);
    rec.noteOn(60, 90, 3 - 0.05);
    rec.noteOff(60, 3 - 0.02);
    const settings = { mode: ModeIndex.CallResponse, responseBars: 1, silenceGapBeats: 1 };
    for (let f = 0; f < SR * 3; f += 128) ctl.tick(f + 128, settings, sink);
    assert.equal(sink.list.length, 1);
    const r = sink.list[0];
    assert.equal(r.from, 1, 'the phrase starts on the beat the early kick belongs to');
    assert.deepEqual(r.notes.map((n) => n.pitch), [KICK, SNARE, 60]);
    assert.equal(r.len, 3, 'it runs to the end of the beat the last note opens');
    assert.equal(rec.noteCount, 0);
  });
});
