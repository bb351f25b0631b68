/**
 * A module worker that records a synthetic session with `SessionLog`, as the
 * plugin's worker does. Messages in: `{ type: 'record', dbName, seconds }`,
 * then `{ type: 'close' }`. Messages out: `{ type: 'recorded', id, status, stats }`
 * (after `flush()`), then `{ type: 'closed', status }`.
 */
import { SessionLog } from '../../../log/session-log.ts';
import { SyntheticSession } from './synthetic-session.ts';
import { writeSynthetic } from './browser-entry.ts';

let log: SessionLog | undefined;

self.onmessage = async (event: MessageEvent<{ type: 'record'; dbName: string; seconds: number } | { type: 'close' }>) => {
  const message = event.data;
  if (message.type === 'record') {
    log = await SessionLog.open({ dbName: message.dbName });
    const synth = new SyntheticSession({ seed: 4 });
    const id = await log.start(synth.meta('from a worker'));
    await writeSynthetic(log, synth, 0, message.seconds);
    await log.flush();
    self.postMessage({ type: 'recorded', id, status: log.status, stats: log.stats });
  } else {
    await log?.close();
    self.postMessage({ type: 'closed', status: log?.status });
  }
};
