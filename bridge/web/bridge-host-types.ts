/**
 * The bridge host's typed surface: the parts of the Deep Improv WAM and node
 * it drives, its options, the status line's fields (docs/bridge.md) and the
 * records it keeps of what it forwarded, for tests and diagnostics.
 */
import type { PhraseReport, PlannedReport } from '../../protocol/node-processor.ts';
import type { ForwardedEvent } from './output-forwarder.ts';
import type { ConnectionState } from './socket.ts';
import type { Beats } from './timeline.ts';
import type { SyncedNode } from './wam-sync.ts';

/** The parts of the Deep Improv node the bridge uses. */
export interface BridgedNode extends AudioNode, SyncedNode {
  readonly instanceId: string;
  scheduleEvents(...events: { type: string; time: number; data: unknown }[]): void;
  connectEvents(toId: string, output?: number): void;
  onPlanned(listener: (report: PlannedReport) => void): () => void;
  onCancel(listener: () => void): () => void;
  onPhrase(listener: (report: PhraseReport) => void): () => void;
  /** How long planned output takes to reach the DAW, seconds: the WAM decides that much earlier. */
  setOutputLatency(seconds: number): void;
}

/** The parts of the Deep Improv WAM the bridge uses. */
export interface BridgedWam {
  readonly audioNode: BridgedNode;
  createGui(): Promise<HTMLElement>;
  destroyGui(gui: Element): void;
}

/** What the status line shows (see docs/bridge.md). */
export interface BridgeStatus {
  connection: ConnectionState;
  audio: 'none' | 'suspended' | 'running' | 'closed';
  wam: 'loading' | 'ready' | 'error';
  message: string;
  host: string;
  sampleRateHz: number;
  roundTripMs: number;
  offsetMs: number;
  driftPpm: number;
  jitterMs: number;
  lagMs: number;
  exact: number;
  late: number;
  dropped: number;
  overflow: number;
  movedAnswers: number;
  ignoredMessages: number;
}

/** Options of {@link BridgeHost}. */
export interface BridgeHostOptions {
  /** `ws://127.0.0.1:<port>/<token>/ws`. */
  socketUrl: string;
  /** The WAM module (`../index.js` beside the page). */
  pluginUrl: string;
  /** The capture processor module. */
  captureUrl: string;
  /** Extra delay before every outgoing message, ms (the `?delay=` test option; default 0). */
  sendDelayMs?: number;
  /** Where the plugin's GUI goes. */
  guiContainer?: HTMLElement;
  onStatus?: (status: BridgeStatus) => void;
}

/** One MIDI_OUT as sent, for tests and diagnostics. */
export interface SentEvent extends ForwardedEvent {
  /** Page time it was handed to the socket, seconds. */
  sentAtS: number;
}

/** One plan the WAM made and the page forwarded, for tests and diagnostics. */
export interface ForwardedPlan {
  /** Song position the WAM planned the answer or window to start at (moved bars included), beats. */
  startBeat: Beats;
  /** Song position of its first event sent, beats (NaN when none). */
  firstBeat: Beats;
  movedBars: number;
  sent: number;
  skipped: number;
  /** The DAW's song position when it was forwarded (the page's estimate), beats. */
  forwardedAtBeat: Beats;
  /** How far ahead of the latest safe moment the plan's first event came, ms (negative: it had to move). */
  marginMs: number;
}
