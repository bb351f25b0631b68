/**
 * The bridge host: the page-side half of the CLAP bridge. It hosts the real
 * WAM (dist/index.js) in its own AudioContext and connects it to the native
 * plugin over the bridge protocol:
 *
 * - TRANSPORT → the timeline (clock map) → `wam-transport` events when the
 *   WAM's clock must change; MIDI_IN → `wam-midi` at the event's page time;
 * - the WAM's planned answers and its live MIDI output → MIDI_OUT in song
 *   position (see output-forwarder.ts), its cancellations → ALL_NOTES_OFF;
 * - PARAM both ways (param-mirror.ts); STATE pushed after changes
 *   (debounced), STATE_GET answered, STATE_SET applied; PING → PONG;
 * - the send budget (the largest recent round trip, a block and a margin)
 *   and the planned report's trip to the page → the WAM's output latency, so
 *   it closes phrases and plans answers that much before their bar line and
 *   they reach the DAW in time for it.
 *
 * The WAM survives reconnects; a new connection resets the clocks.
 */
import { initializeWamHost } from '@webaudiomodules/sdk';
import { TransportFlag, type BridgeMessage, type HelloMessage, type StatsMessage, type TransportMessage } from '../../protocol/bridge.ts';
import type { PhraseReport, PlannedReport } from '../../protocol/node-processor.ts';
import type { BridgedNode, BridgedWam, BridgeHostOptions, BridgeStatus, ForwardedPlan, SentEvent } from './bridge-host-types.ts';
import { CAPTURE_PROCESSOR_NAME, type CaptureOptions, type CapturedMidi, type CaptureReady } from './capture-protocol.ts';
import { OutputForwarder, type ForwardedEvent } from './output-forwarder.ts';
import { BridgeSocket, type ConnectionState } from './socket.ts';
import { BridgeTimeline, type Beats } from './timeline.ts';
import { WamSync } from './wam-sync.ts';

export type { BridgeHostOptions, BridgeStatus, ForwardedPlan, SentEvent } from './bridge-host-types.ts';

/** Time the native side may need beyond the round trip, seconds: a block, plus a safety margin. */
const SEND_SAFETY_S = 0.004;
/**
 * Time a planned answer may take from the WAM's processor to this page's
 * main thread (its `planned` report crosses the node's port and waits for a
 * busy main thread), seconds: added to the output latency the WAM is told.
 */
const PLANNED_REPORT_S = 0.03;
/** Round trips remembered for the send budget. */
const RTT_HISTORY = 8;

export class BridgeHost {
  private readonly options: BridgeHostOptions;
  private readonly socket: BridgeSocket;
  private readonly timeline = new BridgeTimeline();
  private sync: WamSync | null = null;
  private readonly forwarder: OutputForwarder;
  private context: AudioContext | null = null;
  private wam: BridgedWam | null = null;
  private gui: HTMLElement | null = null;
  private capture: AudioWorkletNode | null = null;
  private hello: HelloMessage | null = null;
  private readonly rtts: number[] = [];
  /** The output latency the WAM was last told, seconds (NaN: not yet). */
  private toldLatencyS = Number.NaN;
  /** Messages that must wait for the WAM (state, params), in arrival order. */
  private waiting: BridgeMessage[] = [];
  private readonly removers: (() => void)[] = [];
  private statusValue: BridgeStatus;
  private loading: Promise<void> | null = null;
  private disposed = false;
  /** Every MIDI_OUT sent (the last 4096), for tests and diagnostics. */
  readonly sent: SentEvent[] = [];
  /** Every round trip the native side reported (STATS, the last 1024), ms. */
  readonly roundTrips: number[] = [];
  /** Input MIDI as scheduled to the WAM (the last 256): page time it is due and page time it arrived, for tests and diagnostics. */
  readonly inputs: { dueS: number; arrivedS: number; data: number[] }[] = [];
  /** The performer's phrases as the WAM heard them (song positions of note starts, the last 64), for tests and diagnostics. */
  readonly phrases: { startBeat: Beats; noteStartBeats: Beats[]; pitches: number[] }[] = [];
  /** Every plan forwarded (the last 256), for tests and diagnostics. */
  readonly plans: ForwardedPlan[] = [];

  constructor(options: BridgeHostOptions) {
    this.options = options;
    this.statusValue = {
      connection: 'closed', audio: 'none', wam: 'loading', message: '', host: '', sampleRateHz: 0, roundTripMs: Number.NaN,
      offsetMs: Number.NaN, driftPpm: Number.NaN, jitterMs: Number.NaN, lagMs: Number.NaN, exact: 0, late: 0, dropped: 0, overflow: 0,
      movedAnswers: 0, ignoredMessages: 0,
    };
    this.forwarder = new OutputForwarder({
      beatOfPageFrame: (frame) => this.timeline.beatOfPageTime(frame / this.sampleRate),
      songPositionOfWamBeat: (wamBeat) => this.timeline.songPositionOfWamBeat(wamBeat),
      earliestSafeBeat: () => this.earliestSafeBeat(),
      barBeats: () => this.timeline.barBeats,
    }, (event) => this.sendMidi(event));
    this.socket = new BridgeSocket({
      url: options.socketUrl,
      sendDelayMs: options.sendDelayMs ?? 0,
      onMessage: (m, arrivalMs) => this.onMessage(m, arrivalMs),
      onState: (state) => this.onConnection(state),
    });
  }

  /** Connects (and keeps reconnecting). */
  start(): void {
    this.socket.connect();
  }

  /** The status line's figures now. */
  get status(): BridgeStatus {
    const c = this.timeline.clock;
    const s = this.statusValue;
    s.audio = this.context ? (this.context.state as BridgeStatus['audio']) : 'none';
    s.offsetMs = c.ready ? c.offsetS * 1000 : Number.NaN;
    s.driftPpm = c.ready ? c.driftPpm : Number.NaN;
    s.jitterMs = c.ready ? c.jitterMs : Number.NaN;
    s.lagMs = this.timeline.lagS * 1000;
    s.movedAnswers = this.forwarder.counters.moved;
    const k = this.socket.counters;
    s.ignoredMessages = k.malformed + k.unknown + k.text;
    return { ...s };
  }

  /** The audio context (null until the first HELLO). */
  get audioContext(): AudioContext | null {
    return this.context;
  }

  /** The hosted WAM's node (null until loaded). */
  get node(): BridgedNode | null {
    return this.wam?.audioNode ?? null;
  }

  /** The DAW's song position now (as far as the page can tell: the latest arrivals), beats; NaN before the first TRANSPORT. */
  songPositionNow(): Beats {
    const context = this.context;
    if (!context || !this.timeline.ready) return Number.NaN;
    return this.timeline.beatAtDaw(this.timeline.clock.dawAt(context.currentTime));
  }

  /**
   * Holds every outgoing message this long from now on, ms (what `?delay=`
   * sets at start; the benchmark changes it on a running page).
   */
  setSendDelay(ms: number): void {
    this.socket.sendDelayMs = ms;
  }

  /** Resumes a suspended audio context (the "Start audio" button). */
  async resumeAudio(): Promise<void> {
    await this.context?.resume();
    this.emitStatus();
  }

  private get sampleRate(): number {
    return this.context?.sampleRate ?? 48000;
  }

  private onConnection(state: ConnectionState): void {
    this.statusValue.connection = state;
    if (state !== 'open') {
      // A new connection starts the clocks afresh; the native side ended our notes.
      // Planned events stay expected: the WAM's live output of an old plan must not be sent after a reconnect.
      this.timeline.reset();
      this.sync?.reset();
      this.rtts.length = 0;
    }
    this.emitStatus();
  }

  private onMessage(m: BridgeMessage, arrivalMs: number): void {
    switch (m.type) {
      case 'HELLO':
        this.onHello(m);
        return;
      case 'PING':
        this.socket.send({ type: 'PONG', pingId: m.pingId, nativeTimeNs: m.nativeTimeNs });
        return;
      case 'STATS':
        this.onStats(m);
        return;
      case 'TRANSPORT':
        this.onTransport(m, arrivalMs);
        return;
      case 'MIDI_IN':
        this.onMidiIn(m.sampleTime, m.data);
        return;
      case 'PARAM':
      case 'STATE_GET':
      case 'STATE_SET':
        if (this.sync) this.sync.apply(m);
        else this.waiting.push(m);
        return;
      default:
        // Page → native messages arriving here are ignored.
        return;
    }
  }

  private onHello(m: HelloMessage): void {
    this.hello = m;
    this.statusValue.host = m.host;
    this.statusValue.sampleRateHz = m.sampleRateHz;
    if (this.context && this.context.sampleRate !== m.sampleRateHz && m.sampleRateHz > 0) {
      this.statusValue.message = `The DAW now runs at ${m.sampleRateHz} Hz; the page keeps its ${this.context.sampleRate} Hz clock (timing stays exact: positions travel in beats)`;
    }
    if (!this.loading) this.loading = this.load(m.sampleRateHz).catch((error) => {
      this.statusValue.wam = 'error';
      this.statusValue.message = error instanceof Error ? error.message : String(error);
      this.emitStatus();
    });
    this.emitStatus();
  }

  /** Creates the audio context at the DAW's rate, the WAM, its capture and its GUI. */
  private async load(sampleRateHz: number): Promise<void> {
    let context: AudioContext;
    try {
      context = new AudioContext({ sampleRate: sampleRateHz, latencyHint: 'interactive' });
    } catch {
      context = new AudioContext({ latencyHint: 'interactive' });
    }
    this.context = context;
    context.onstatechange = () => this.emitStatus();
    // A context the browser keeps suspended (no user gesture yet) must show "Start audio" now.
    this.emitStatus();
    const [groupId] = await initializeWamHost(context);
    await context.audioWorklet.addModule(this.options.captureUrl);
    const { default: Wam } = await import(/* @vite-ignore */ this.options.pluginUrl) as {
      default: { createInstance(groupId: string, context: BaseAudioContext, state?: unknown): Promise<BridgedWam> };
    };
    const wam = await Wam.createInstance(groupId, context);
    if (this.disposed) return;
    const node = wam.audioNode;
    // Pull the node (a node with MIDI output must render); its audio is silence.
    const mute = new GainNode(context, { gain: 0 });
    node.connect(mute).connect(context.destination);
    const sync = new WamSync({
      node,
      send: (message) => this.socket.send(message),
      connected: () => this.socket.state === 'open',
      onMessage: (message) => {
        this.statusValue.message = message;
        this.emitStatus();
      },
    });
    await sync.start();
    await this.startCapture(context, groupId, node);
    this.removers.push(node.onPlanned((report) => this.onPlanned(report)));
    this.removers.push(node.onCancel(() => this.socket.send({ type: 'ALL_NOTES_OFF' })));
    this.removers.push(node.onPhrase((report) => this.onPhrase(report)));
    this.wam = wam;
    this.sync = sync;
    this.statusValue.wam = 'ready';
    this.toldLatencyS = Number.NaN;
    this.tellOutputLatency();
    const told = this.timeline.ready ? this.timeline.wamTransport() : null;
    if (told) node.scheduleEvents({ type: 'wam-transport', time: context.currentTime, data: told });
    const waiting = this.waiting;
    this.waiting = [];
    for (const m of waiting) sync.apply(m);
    if (this.options.guiContainer) {
      this.gui = await wam.createGui();
      this.options.guiContainer.append(this.gui);
    }
    this.emitStatus();
  }

  /** Connects the WAM's MIDI output to the capture processor and forwards what it hears. */
  private async startCapture(context: AudioContext, groupId: string, node: BridgedNode): Promise<void> {
    const instanceId = `${node.instanceId}/bridge-capture`;
    const processorOptions: CaptureOptions = { groupId, instanceId };
    const capture = new AudioWorkletNode(context, CAPTURE_PROCESSOR_NAME, { numberOfInputs: 0, numberOfOutputs: 1, processorOptions });
    this.capture = capture;
    await new Promise<void>((resolve, reject) => {
      capture.port.onmessage = (event: MessageEvent<CaptureReady | CapturedMidi>) => {
        const data = event.data;
        if ('ready' in data) {
          if (data.ready) resolve();
          else reject(new Error('the MIDI capture found no WAM environment in the audio context'));
          return;
        }
        this.forwarder.live(Math.round(data.time * context.sampleRate), data.bytes);
      };
    });
    node.connectEvents(instanceId);
  }

  private onStats(m: StatsMessage): void {
    Object.assign(this.statusValue, { roundTripMs: m.roundTripMs, exact: m.exact, late: m.late, dropped: m.dropped, overflow: m.overflow });
    if (Number.isFinite(m.roundTripMs) && m.roundTripMs > 0) {
      this.rtts.push(m.roundTripMs);
      this.roundTrips.push(m.roundTripMs);
      if (this.roundTrips.length > 1024) this.roundTrips.shift();
      if (this.rtts.length > RTT_HISTORY) this.rtts.shift();
    }
    this.tellOutputLatency();
    this.emitStatus();
  }

  private onTransport(m: TransportMessage, arrivalMs: number): void {
    const context = this.context;
    if (!context || !this.hello) return;
    const dawRate = this.hello.sampleRateHz || 48000;
    // The arrival on the page's audio clock: currentTime, less the time the message waited in the event loop.
    const arrival = context.currentTime - Math.max(0, performance.now() - arrivalMs) / 1000;
    const told = this.timeline.onTransport({
      dawS: Number(m.blockSampleTime) / dawRate,
      songPosBeats: m.songPosBeats,
      barStartBeats: m.barStartBeats,
      tempoBpm: m.tempoBpm > 0 ? m.tempoBpm : 120,
      tsNum: m.tsNum,
      tsDenom: m.tsDenom,
      playing: (m.flags & TransportFlag.PLAYING) !== 0,
    }, arrival);
    if (told && this.wam) this.wam.audioNode.scheduleEvents({ type: 'wam-transport', time: context.currentTime, data: told });
  }

  private onMidiIn(sampleTime: bigint, data: number[]): void {
    const wam = this.wam;
    if (!wam || !this.timeline.ready || !this.hello) return;
    const time = this.timeline.pageTimeOfDaw(Number(sampleTime) / (this.hello.sampleRateHz || 48000));
    wam.audioNode.scheduleEvents({ type: 'wam-midi', time, data: { bytes: data } });
    this.inputs.push({ dueS: time, arrivedS: this.context!.currentTime, data });
    if (this.inputs.length > 256) this.inputs.shift();
  }

  private onPlanned(report: PlannedReport): void {
    if (!this.timeline.ready || this.socket.state !== 'open') return;
    const isAnswer = (this.sync?.mode ?? 1) === 1;
    const outcome = this.forwarder.planned(report, isAnswer);
    const start = this.timeline.songPositionOfWamBeat(report.startBeat) + outcome.movedBars * this.timeline.barBeats;
    this.plans.push({
      startBeat: start, firstBeat: outcome.firstBeat, movedBars: outcome.movedBars, sent: outcome.sent, skipped: outcome.skipped, forwardedAtBeat: this.songPositionNow(),
      marginMs: (outcome.marginBeats * 60_000) / (this.timeline.transport?.tempoBpm ?? 120),
    });
    if (this.plans.length > 256) this.plans.shift();
    this.emitStatus();
  }

  private onPhrase(report: PhraseReport): void {
    if (!this.timeline.ready) return;
    const noteStartBeats: Beats[] = [];
    const pitches: number[] = [];
    for (let i = 0; i + 3 < report.notes.length; i += 4) {
      pitches.push(report.notes[i]);
      noteStartBeats.push(this.timeline.songPositionOfWamBeat(report.startBeat + report.notes[i + 2]));
    }
    this.phrases.push({ startBeat: this.timeline.songPositionOfWamBeat(report.startBeat), noteStartBeats, pitches });
    if (this.phrases.length > 64) this.phrases.shift();
  }

  /** The song position an event sent now still reaches the DAW before its block. */
  private earliestSafeBeat(): Beats {
    const context = this.context;
    const tl = this.timeline;
    if (!context || !tl.ready || !this.hello) return -Infinity;
    return tl.beatAtDaw(tl.clock.dawAt(context.currentTime) + this.sendBudgetS());
  }

  /** How long before its song position an event must leave the page: the largest recent round trip (10 ms before one is measured), a DAW block and a margin, seconds. */
  private sendBudgetS(): number {
    const rttS = (this.rtts.length ? Math.max(...this.rtts) : 10) / 1000;
    const blockS = (this.hello?.maxBlockFrames || 128) / (this.hello?.sampleRateHz || 48000);
    return rttS + blockS + SEND_SAFETY_S;
  }

  /** Tells the WAM its output latency (the send budget and the planned report's trip) when it moved by a millisecond or more (at most at each STATS, 2 Hz). */
  private tellOutputLatency(): void {
    const node = this.wam?.audioNode;
    if (!node) return;
    const latencyS = this.sendBudgetS() + PLANNED_REPORT_S;
    if (Math.abs(latencyS - this.toldLatencyS) < 0.001) return;
    this.toldLatencyS = latencyS;
    node.setOutputLatency(latencyS);
  }

  private sendMidi(event: ForwardedEvent): void {
    this.socket.send({ type: 'MIDI_OUT', songPosBeats: event.beat, data: event.data });
    this.sent.push({ ...event, sentAtS: this.context?.currentTime ?? 0 });
    if (this.sent.length > 4096) this.sent.splice(0, this.sent.length - 4096);
  }

  private emitStatus(): void {
    this.options.onStatus?.(this.status);
  }

  /** Closes the socket and releases the WAM, its GUI and the audio context. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sync?.dispose();
    this.socket.dispose();
    for (const remove of this.removers) remove();
    this.removers.length = 0;
    if (this.gui && this.wam) this.wam.destroyGui(this.gui);
    this.capture?.port.postMessage({ destroy: true });
    this.capture?.disconnect();
    (this.wam?.audioNode as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    void this.context?.close();
  }
}
