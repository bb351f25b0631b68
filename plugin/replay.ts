/**
 * Replay: feeds a stored session back through the plugin, so a performer can
 * hear other settings on the same performance. The MIDI the performer played
 * (records with direction 'in') and the notes and drum hits found in the
 * audio are scheduled into the node as wam-midi events, in their original
 * timing, starting now. Reads ahead about a second at a time, so a long
 * session streams instead of loading at once.
 */
import type { WamEvent } from '@webaudiomodules/api';

/** What replay needs of the node. */
export interface ReplayTarget {
  readonly context: BaseAudioContext;
  scheduleEvents(...events: WamEvent[]): void;
}

/** A running replay. */
export interface ReplayHandle {
  /** Resolves when every record has been scheduled (or the replay was stopped). */
  readonly done: Promise<{ scheduled: number }>;
  /** Stops scheduling (already scheduled events still play). */
  stop(): void;
}

/** Seconds scheduled ahead of the audio clock. */
const READ_AHEAD_S = 1;

/**
 * Replays `sessionId` from the session log into `target`.
 * @throws Error (through `done`) when the session does not exist.
 */
export function replaySession(target: ReplayTarget, sessionId: string, dbName?: string): ReplayHandle {
  let stopped = false;
  const done = (async () => {
    const { SessionCatalog, replay } = await import('../log/index.ts');
    const catalog = await SessionCatalog.open(dbName);
    let scheduled = 0;
    let offsetS = Number.NaN;
    try {
      for await (const record of replay(catalog, sessionId)) {
        if (stopped) break;
        let bytes: number[] | null = null;
        let durationS = 0;
        if (record.kind === 'midi' && record.direction === 'in' && record.bytes.length >= 1 && record.bytes.length <= 3 && record.bytes[0] < 0xf0) {
          bytes = [record.bytes[0], record.bytes[1] ?? 0, record.bytes[2] ?? 0];
        } else if (record.kind === 'note') {
          bytes = [record.source === 'audio-drums' ? 0x99 : 0x90, record.pitch, Math.max(1, record.velocity)];
          durationS = Math.max(record.durationS, 0.05);
        }
        if (!bytes) continue;
        if (Number.isNaN(offsetS)) offsetS = target.context.currentTime + 0.1 - record.audioTimeS;
        const time = record.audioTimeS + offsetS;
        // Stay about a second ahead of the audio clock.
        while (!stopped && time - target.context.currentTime > READ_AHEAD_S) await new Promise((r) => setTimeout(r, 250));
        if (stopped) break;
        target.scheduleEvents({ type: 'wam-midi', time, data: { bytes: bytes as [number, number, number] } });
        if (durationS > 0) target.scheduleEvents({ type: 'wam-midi', time: time + durationS, data: { bytes: [bytes[0] & 0xef, bytes[1], 0] } });
        scheduled++;
      }
    } finally {
      catalog.close?.();
    }
    return { scheduled };
  })();
  return { done, stop: () => { stopped = true; } };
}
