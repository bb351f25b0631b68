/**
 * Page-side helpers of the MIDI-clock sync test (loaded after
 * test/helpers/pages/host.ts). `navigator.requestMIDIAccess` is replaced by
 * one fake MIDI input that emits MIDIMessageEvents with the timeStamps a
 * clock-sending device would give them (the browser API boundary); all the
 * rest is the real plugin in a real AudioContext. `startClock` creates the
 * plugin with syncSource = MIDI clock, enables the fake input through the
 * node and plays a 24-ppqn clock stream with seeded ±1 ms jitter: two beats
 * of clock, then Start, then clock. `clockCheck` compares the transport the
 * processor reports with the stream's own beat times.
 */
const w = window as any;
const SR = 48000;
const INPUT_ID = 'clock-in';

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

/** A MIDIInput as the Web MIDI API gives one. */
class FakeInput extends EventTarget {
  readonly id = INPUT_ID;
  readonly name = 'Virtual clock';
  readonly manufacturer = 'test';
  readonly type = 'input';
  readonly version = '1';
  state = 'connected';
  connection = 'closed';
  onmidimessage: ((event: Event) => void) | null = null;
  onstatechange: ((event: Event) => void) | null = null;

  async open() {
    this.connection = 'open';
    return this;
  }

  async close() {
    this.connection = 'closed';
    return this;
  }

  /** Emits a MIDIMessageEvent with these bytes, stamped at `timeStampMs` (performance.now() clock). */
  emit(bytes: number[], timeStampMs: number) {
    const data = new Uint8Array(bytes);
    const event = typeof MIDIMessageEvent === 'function' ? new MIDIMessageEvent('midimessage', { data }) : new Event('midimessage');
    if (!(event instanceof MIDIMessageEvent)) Object.defineProperty(event, 'data', { value: data });
    Object.defineProperty(event, 'timeStamp', { value: timeStampMs });
    this.onmidimessage?.(event);
    this.dispatchEvent(event);
  }
}

const input = new FakeInput();
const access = { inputs: new Map([[INPUT_ID, input]]), outputs: new Map(), sysexEnabled: false, onstatechange: null };
Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', { configurable: true, value: async () => access });

interface Run {
  context: AudioContext;
  node: any;
  tickMs: number;
  /** performance.now() time of beat 0 (the first tick after Start), without its jitter. */
  beatZeroMs: number;
  ticksAfterStart: number;
  stopped: boolean;
  timer: number;
}
let run: Run | null = null;

function param(id: string, value: number) {
  return { [id]: { id, value, normalized: false } };
}

w.startClock = async ({ pluginUrl, synthUrl, bpm, seed }: { pluginUrl: string; synthUrl: string; bpm: number; seed: number }) => {
  const context = new AudioContext({ sampleRate: SR });
  await context.resume();
  const { plugin } = await w.pluginWithSynth(context, pluginUrl, synthUrl);
  const node = plugin.audioNode;
  await node.setParameterValues({ ...param('syncSource', 1), ...param('mode', 0), ...param('midiThru', 1) });
  await node.setMidiInputs([INPUT_ID]);
  const tickMs = 60_000 / bpm / 24;
  const jitter = random(seed);
  const first = performance.now() + 50;
  const preTicks = 48;
  const r: Run = { context, node, tickMs, beatZeroMs: first + preTicks * tickMs, ticksAfterStart: 0, stopped: false, timer: 0 };
  let k = 0;
  let started = false;
  // The device: each message leaves when its time has come, stamped with its own time (±1 ms jitter on the clock).
  const pump = () => {
    const now = performance.now();
    for (;;) {
      const due = first + k * tickMs;
      if (!started && k === preTicks) {
        const at = due - tickMs / 2;
        if (at > now) break;
        input.emit([0xfa], at);
        started = true;
      }
      const stamp = due + (jitter() * 2 - 1);
      if (stamp > now || r.stopped) break;
      input.emit([0xf8], stamp);
      if (started) r.ticksAfterStart++;
      k++;
    }
  };
  r.timer = window.setInterval(pump, 2);
  run = r;
  return { tickMs, beatZeroMs: r.beatZeroMs };
};

w.ticksAfterStart = () => run?.ticksAfterStart ?? 0;

/** The processor's transport now, set against the stream's beats. */
w.clockCheck = async () => {
  const r = run!;
  const info = await r.node.debugInfo();
  const t = info.transport;
  const stamp = r.context.getOutputTimestamp();
  // The node maps a MIDI timeStamp to the audio clock with getOutputTimestamp; map back the same way.
  const barMs = (stamp.performanceTime ?? 0) + (t.nextBarFrame / SR - (stamp.contextTime ?? 0)) * 1000;
  const barBeat = Math.ceil(t.beat / t.beatsPerBar - 1e-6) * t.beatsPerBar;
  const expectedBarMs = r.beatZeroMs + barBeat * r.tickMs * 24;
  return {
    following: t.following, tempoBpm: t.tempoBpm, beat: t.beat, beatsPerBar: t.beatsPerBar, barBeat,
    barErrorMs: barMs - expectedBarMs,
    /** The stream's own beat count at the moment the processor's beat was read (from the same mapping). */
    streamBeat: ((stamp.performanceTime ?? 0) + (t.frame / SR - (stamp.contextTime ?? 0)) * 1000 - r.beatZeroMs) / (r.tickMs * 24),
    rejected: info.counters.rejected, malformedMidi: info.counters.malformedMidi,
  };
};

/** Sends Stop (and no more clock). */
w.stopClock = () => {
  run!.stopped = true;
  input.emit([0xfc], performance.now());
};

/** True while the processor's transport follows a playing clock. */
w.following = async () => (await run!.node.debugInfo()).transport.following;

w.endClock = async () => {
  const r = run!;
  window.clearInterval(r.timer);
  r.node.destroy();
  await r.context.close();
  run = null;
};
export {};
