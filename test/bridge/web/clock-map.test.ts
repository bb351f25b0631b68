/** The clock map and the bridge timeline: offset, drift, jitter, and exact round trips of planned positions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockMap } from '../../../bridge/web/clock-map.ts';
import { BridgeTimeline, type TransportSnapshot } from '../../../bridge/web/timeline.ts';

/** A seeded generator in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

test('the clock map finds the offset as the lower envelope of random delays', () => {
  const map = new ClockMap();
  const rand = random(1);
  for (let i = 0; i < 300; i++) {
    const daw = i * 0.1;
    map.add(daw, daw + 12.5 + 0.0004 + rand() * rand() * 0.01);
  }
  assert.ok(Math.abs(map.offsetS - 12.5004) < 0.0003, `offset ${map.offsetS}`);
  assert.ok(Math.abs(map.driftPpm) < 20, `drift ${map.driftPpm}`);
  assert.ok(map.jitterMs > 1 && map.jitterMs < 10, `jitter ${map.jitterMs}`);
  assert.ok(Math.abs(map.dawAt(map.pageAt(17.3)) - 17.3) < 1e-9);
});

test('the clock map measures drift between the clocks', () => {
  const map = new ClockMap();
  const rand = random(2);
  const ppm = 80;
  for (let i = 0; i < 600; i++) {
    const daw = 100 + i * 0.1;
    map.add(daw, daw * (1 + ppm * 1e-6) + 3 + rand() * 0.004);
  }
  assert.ok(Math.abs(map.driftPpm - ppm) < 10, `drift ${map.driftPpm}`);
  // The envelope predicts the earliest arrival of a message sent now.
  const now = 100 + 599 * 0.1;
  assert.ok(Math.abs(map.pageAt(now) - (now * (1 + ppm * 1e-6) + 3)) < 0.0005);
});

test('without drift in the data the map reports none, and jitter is zero for a constant delay', () => {
  const map = new ClockMap();
  for (let i = 0; i < 400; i++) map.add(i * 0.1, i * 0.1 + 1);
  assert.ok(Math.abs(map.driftPpm) < 1e-6);
  assert.ok(map.jitterMs < 1e-6);
  assert.ok(Math.abs(map.offsetS - 1) < 1e-12);
});

test('a jump of the DAW clock (re-activation) starts the map afresh', () => {
  const map = new ClockMap();
  for (let i = 0; i < 50; i++) map.add(i * 0.1, i * 0.1 + 1);
  map.add(0, 20);
  assert.equal(map.resetCount, 1);
  assert.equal(map.sampleCount, 1);
  assert.ok(Math.abs(map.offsetS - 20) < 1e-12);
});

const snapshot = (dawS: number, over: Partial<TransportSnapshot> = {}): TransportSnapshot => ({
  dawS, songPosBeats: (dawS * 120) / 60, barStartBeats: Math.floor((dawS * 2) / 4) * 4, tempoBpm: 120, tsNum: 4, tsDenom: 4, playing: true, ...over,
});

test('the timeline tells the WAM its transport once, then only on changes', () => {
  const tl = new BridgeTimeline();
  const first = tl.onTransport(snapshot(10), 110.001);
  assert.ok(first);
  assert.equal(first.tempo, 120);
  assert.equal(first.currentBar, 5);
  // Bar 5 starts at beat 20 = DAW 10 s → page 110.001 + lag.
  assert.ok(Math.abs(first.currentBarStarted - (110.001 + tl.lagS)) < 1e-9);
  for (let i = 1; i <= 20; i++) assert.equal(tl.onTransport(snapshot(10 + i * 0.1), 110.001 + i * 0.1 + (i % 3) * 0.0003), null);
  const tempo = tl.onTransport(snapshot(12.2, { tempoBpm: 90, songPosBeats: 24.4 }), 112.201);
  assert.equal(tempo?.tempo, 90);
  const stop = tl.onTransport(snapshot(12.3, { tempoBpm: 90, songPosBeats: 24.55, playing: false }), 112.301);
  assert.equal(stop?.playing, false);
  const seek = tl.onTransport(snapshot(12.4, { tempoBpm: 90, songPosBeats: 64, barStartBeats: 64, playing: false }), 112.401);
  assert.equal(seek?.currentBar, 16);
});

test('a WAM frame converts back to the song position, exactly on the grid', () => {
  const tl = new BridgeTimeline({ pageSampleRate: 44100 });
  tl.onTransport(snapshot(3.7), 51.23456);
  const rand = random(3);
  for (let i = 0; i < 200; i++) {
    // What the processor does: round the page frame of a planned position.
    const beat = 8 + Math.floor(rand() * 64) / 4;
    const frame = Math.round(tl.pageTimeOfBeat(beat) * 44100);
    assert.equal(tl.beatOfPageTime(frame / 44100), beat);
  }
  // Off-grid positions come back within half a frame.
  const off = 9.123457;
  const back = tl.beatOfPageTime(Math.round(tl.pageTimeOfBeat(off) * 44100) / 44100);
  assert.ok(Math.abs(back - off) * 0.5 * 44100 <= 0.5 + 1e-6);
});

test('the WAM transport of a 6/8 bar counts eighths', () => {
  const tl = new BridgeTimeline();
  const t = tl.onTransport(snapshot(1, { tsNum: 6, tsDenom: 8, songPosBeats: 7, barStartBeats: 6 }), 2);
  assert.ok(t);
  assert.equal(t.tempo, 240);
  assert.equal(t.timeSigNumerator, 6);
  assert.equal(t.currentBar, 2);
  assert.equal(tl.barBeats, 3);
  // Bar 2 (beat 6) started half a second before the snapshot at beat 7.
  assert.ok(Math.abs(t.currentBarStarted - (2 - 0.5 + tl.lagS)) < 1e-9);
});

test('the timeline re-anchors the WAM when the clocks drift apart, then follows the measured drift', () => {
  const tl = new BridgeTimeline();
  let told = 0;
  for (let i = 0; i < 400; i++) {
    const daw = i * 0.1;
    // The page clock runs 100 ppm fast: 4 ms over the 40 s.
    if (tl.onTransport(snapshot(daw), daw * (1 + 100e-6) + 5)) told++;
  }
  assert.ok(tl.republishCount >= 1 && tl.republishCount <= 3, `republished ${tl.republishCount} times`);
  assert.equal(told, tl.republishCount + 1);
  const daw = 39.9;
  assert.ok(Math.abs(tl.pageTimeOfDaw(daw) - (daw * (1 + 100e-6) + 5 + tl.lagS)) < 0.0002);
});

test('with drift between the clocks, what the WAM plans on its told transport still converts back exactly', () => {
  const tl = new BridgeTimeline({ pageSampleRate: 48000 });
  let told = null;
  for (let i = 0; i < 300; i++) {
    const daw = i * 0.1;
    // The page clock runs 150 ppm fast.
    told = tl.onTransport(snapshot(daw), daw * (1 + 150e-6) + 2) ?? told;
  }
  assert.ok(told);
  assert.ok(Math.abs(tl.clock.driftPpm - 150) < 5);
  // The processor's clock: beat = currentBar·num + (frame − currentBarStarted·sr) / framesPerBeat, at the told tempo.
  const framesPerBeat = (48000 * 60) / told.tempo;
  const anchorFrame = told.currentBarStarted * 48000;
  const anchorBeat = told.currentBar * told.timeSigNumerator;
  for (const beat of [anchorBeat + 0.25, anchorBeat + 4, anchorBeat + 7.75, anchorBeat + 16]) {
    const frame = Math.round(anchorFrame + (beat - anchorBeat) * framesPerBeat);
    assert.equal(tl.beatOfPageTime(frame / 48000), beat, `beat ${beat}`);
  }
});
