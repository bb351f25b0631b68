/**
 * The MIDI-clock follower with clock streams at 90, 120 and 174 BPM, each
 * tick up to ±1 ms off (seeded): the tempo it hands the transport clock is
 * within 0.5 %, and the transport clock's bar lines fall within 1 ms of the
 * clock's. Start, stop, continue and Song Position Pointer move the position
 * as the MIDI specification says; single late or early ticks are rejected;
 * a tempo jump is followed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MidiClockFollower, TICKS_PER_BEAT, ClockChange } from '../../../dsp/loop/midi-clock-follower.ts';
import { TransportClock } from '../../../dsp/loop/transport-clock.ts';

const SR = 48000;

/** mulberry32: a seeded generator of numbers in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A follower and the transport clock it drives, as the audio core wires them. */
class Rig {
  readonly follower = new MidiClockFollower(SR);
  readonly clock = new TransportClock(SR);

  send(status: number, frame: number, data1 = 0, data2 = 0): void {
    this.follower.atFrame = frame;
    if (this.follower.message(status, data1, data2) & ClockChange.Transport) this.clock.setFollowedTransport(this.follower);
  }
}

/**
 * A clock stream: tick k (k ≥ 0) is due at `startFrame + k · tickFrames`, sent
 * up to `jitterMs` early or late.
 */
class Stream {
  readonly tickFrames: number;
  private readonly next: () => number;
  k = 0;

  constructor(readonly bpm: number, readonly startFrame: number, readonly jitterMs: number, seed: number) {
    this.tickFrames = (60 * SR) / (bpm * TICKS_PER_BEAT);
    this.next = random(seed);
  }

  /** Exact frame of tick k. */
  frameOf(k: number): number {
    return this.startFrame + k * this.tickFrames;
  }

  /** Sends `count` ticks (with jitter) to the rig. */
  ticks(rig: Rig, count: number): void {
    for (let i = 0; i < count; i++, this.k++) {
      const jitter = (this.next() * 2 - 1) * this.jitterMs * SR / 1000;
      rig.send(0xf8, this.frameOf(this.k) + jitter);
    }
  }
}

const TEMPI = [90, 120, 174];

describe('tempo and bar lines', () => {
  for (const bpm of TEMPI) {
    test(`${bpm} BPM with ±1 ms jitter: tempo within 0.5 %, bar lines within 1 ms`, () => {
      const rig = new Rig();
      const s = new Stream(bpm, 1000, 1, bpm);
      // Clock runs before Start (as most DAWs send it), then Start: the next tick is beat 0.
      s.ticks(rig, 2 * TICKS_PER_BEAT);
      assert.equal(rig.clock.followsHost, false, 'no Start yet: not playing');
      rig.send(0xfa, s.frameOf(s.k) - 10);
      const beatZeroTick = s.k;
      s.ticks(rig, 8 * TICKS_PER_BEAT);
      assert.equal(rig.clock.followsHost, true, 'playing after Start');
      assert.ok(Math.abs(rig.clock.tempoBpm - bpm) / bpm < 0.005, `tempo ${rig.clock.tempoBpm} for ${bpm}`);
      // Bars 2 and 3 (beats 8 and 12) on the transport clock vs the clock stream's own ticks.
      for (const beat of [8, 12]) {
        const expected = s.frameOf(beatZeroTick + beat * TICKS_PER_BEAT);
        const got = rig.clock.frameAtBeat(beat);
        assert.ok(Math.abs(got - expected) < SR / 1000, `beat ${beat}: frame ${got.toFixed(1)} vs ${expected.toFixed(1)}`);
      }
      // The next bar line from now is the stream's.
      const now = s.frameOf(s.k - 1);
      const nextBar = rig.clock.nextBarStart(rig.clock.beatAtFrame(now));
      assert.equal(nextBar, 8, 'after 8 beats the next bar line is beat 8 (bar 2)');
    });
  }

  test('a tempo jump (120 → 90 BPM) is followed within a beat and a half', () => {
    const rig = new Rig();
    const a = new Stream(120, 0, 1, 7);
    rig.send(0xfa, 0);
    a.ticks(rig, 4 * TICKS_PER_BEAT);
    // 90 BPM from the next tick on (the song goes on at beat 4).
    const b = new Stream(90, a.frameOf(a.k), 1, 8);
    b.ticks(rig, 36);
    assert.ok(Math.abs(rig.clock.tempoBpm - 90) < 1, `tempo ${rig.clock.tempoBpm}`);
    b.ticks(rig, 4 * TICKS_PER_BEAT);
    assert.ok(Math.abs(rig.clock.tempoBpm - 90) / 90 < 0.005, `tempo ${rig.clock.tempoBpm}`);
    const expected = b.frameOf(4 * TICKS_PER_BEAT); // beat 8
    assert.ok(Math.abs(rig.clock.frameAtBeat(8) - expected) < SR / 1000, `beat 8 at ${rig.clock.frameAtBeat(8)} vs ${expected}`);
  });
});

describe('jitter rejection', () => {
  test('a single late or early tick is rejected and moves neither tempo nor bar lines', () => {
    const rig = new Rig();
    const s = new Stream(120, 0, 0, 1);
    rig.send(0xfa, 0);
    s.ticks(rig, 3 * TICKS_PER_BEAT);
    const tempoBefore = rig.clock.tempoBpm;
    const bar = s.frameOf(4 * TICKS_PER_BEAT);
    // One tick 8 ms late, later one 7 ms early (a tick is 20.8 ms).
    rig.send(0xf8, s.frameOf(s.k++) + 0.008 * SR);
    s.ticks(rig, 5);
    rig.send(0xf8, s.frameOf(s.k++) - 0.007 * SR);
    s.ticks(rig, 5);
    assert.equal(rig.follower.rejectedTicks, 2);
    assert.ok(Math.abs(rig.clock.tempoBpm - tempoBefore) < 1e-6, `tempo ${tempoBefore} → ${rig.clock.tempoBpm}`);
    assert.ok(Math.abs(rig.clock.frameAtBeat(4) - bar) < 1, `bar 1 at ${rig.clock.frameAtBeat(4)} vs ${bar}`);
  });

  test('a pause in the clock starts the fit afresh without losing the position', () => {
    const rig = new Rig();
    const s = new Stream(120, 0, 0, 1);
    rig.send(0xfa, 0);
    s.ticks(rig, 2 * TICKS_PER_BEAT);
    // The sender pauses for half a second, then goes on (no tick is lost in the song position).
    const late = new Stream(120, s.frameOf(s.k) + 0.5 * SR, 0, 2);
    late.ticks(rig, 2 * TICKS_PER_BEAT);
    assert.equal(rig.follower.rejectedTicks, 0);
    assert.ok(Math.abs(rig.clock.tempoBpm - 120) < 0.01, `tempo ${rig.clock.tempoBpm}`);
    assert.ok(Math.abs(rig.clock.frameAtBeat(4) - late.frameOf(2 * TICKS_PER_BEAT)) < 1);
  });
});

describe('start, stop, continue and song position', () => {
  test('stop halts the transport where it is; continue resumes from there', () => {
    const rig = new Rig();
    const s = new Stream(120, 0, 1, 3);
    rig.send(0xfa, 0);
    s.ticks(rig, 6 * TICKS_PER_BEAT);
    rig.send(0xfc, s.frameOf(s.k) - 100);
    assert.equal(rig.clock.followsHost, false, 'stopped');
    assert.ok(Math.abs(rig.follower.nextTickBeat - 6) < 1e-9, 'the position stays at beat 6');
    // Clock keeps coming while stopped: the position does not move.
    s.ticks(rig, 3 * TICKS_PER_BEAT);
    assert.ok(Math.abs(rig.follower.nextTickBeat - 6) < 1e-9, 'ticks while stopped do not move the position');
    rig.send(0xfb, s.frameOf(s.k) - 100);
    const resumeTick = s.k;
    s.ticks(rig, 4 * TICKS_PER_BEAT);
    assert.equal(rig.clock.followsHost, true, 'playing again');
    // Beat 6 fell on the first tick after Continue; bar 2 (beat 8) two beats later.
    const expected = s.frameOf(resumeTick + 2 * TICKS_PER_BEAT);
    assert.ok(Math.abs(rig.clock.frameAtBeat(8) - expected) < SR / 1000, `bar 2 at ${rig.clock.frameAtBeat(8)} vs ${expected}`);
  });

  test('song position pointer sets the position in sixteenths; continue plays from it', () => {
    const rig = new Rig();
    const s = new Stream(174, 0, 1, 4);
    s.ticks(rig, TICKS_PER_BEAT);
    // 37 sixteenths = beat 9.25; 14-bit, LSB first (37 = 0x25, 0).
    rig.send(0xf2, s.frameOf(s.k) - 50, 37, 0);
    rig.send(0xfb, s.frameOf(s.k) - 40);
    const resumeTick = s.k;
    s.ticks(rig, 4 * TICKS_PER_BEAT);
    const expected = s.frameOf(resumeTick + (12 - 9.25) * TICKS_PER_BEAT);
    assert.ok(Math.abs(rig.clock.frameAtBeat(12) - expected) < SR / 1000, `bar 3 at ${rig.clock.frameAtBeat(12)} vs ${expected}`);
    // A large position: 0x3fff sixteenths (MSB 127, LSB 127).
    rig.send(0xfc, s.frameOf(s.k) - 10);
    rig.send(0xf2, s.frameOf(s.k) - 5, 127, 127);
    assert.equal(rig.follower.nextTickBeat, 0x3fff / 4);
  });

  test('start after stop begins again at beat 0', () => {
    const rig = new Rig();
    const s = new Stream(90, 0, 1, 5);
    rig.send(0xfa, 0);
    s.ticks(rig, 5 * TICKS_PER_BEAT);
    rig.send(0xfc, s.frameOf(s.k) - 10);
    s.ticks(rig, TICKS_PER_BEAT);
    rig.send(0xfa, s.frameOf(s.k) - 10);
    const zero = s.k;
    s.ticks(rig, 2 * TICKS_PER_BEAT);
    assert.ok(Math.abs(rig.clock.frameAtBeat(0) - s.frameOf(zero)) < SR / 1000);
    assert.ok(Math.abs(rig.clock.frameAtBeat(4) - s.frameOf(zero + 4 * TICKS_PER_BEAT)) < SR / 1000);
  });

  test('bytes that are not clock or song position change nothing', () => {
    const rig = new Rig();
    for (const status of [0x90, 0xfe, 0xff, 0xf1, 0xf3]) {
      rig.follower.atFrame = 0;
      assert.equal(rig.follower.message(status, 1, 2), ClockChange.None);
    }
    assert.equal(rig.follower.playing, false);
    assert.equal(rig.follower.tempoBpm, 0);
  });
});
