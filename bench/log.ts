/**
 * Session log benchmark, in headless Chromium with real IndexedDB.
 *
 * One hour of the synthetic live session (test/helpers/log/synthetic-session.ts:
 * 93.75 frames/s of 36 features, ~80 MIDI and other records per second) is
 * generated in the page first, then written through `SessionLog` with its
 * default options, as fast as the page can, until `close()` has committed
 * everything. Then:
 * - `write_ratio_vs_realtime`: audio seconds written per wall second (target ≥ 50).
 * - `mb_per_hour`: stored page bytes of that hour, in MB (10^6 bytes) (budget ≤ 30).
 * - `mb_per_hour_on_disk`: growth of `navigator.storage.estimate().usage`
 *   (IndexedDB's files, LevelDB overhead included; coarse).
 * - `export_ms_one_hour`: `exportBundle` of the hour (read from IndexedDB and assemble the file).
 * - `import_ms_one_hour`, `read_all_ms_one_hour`, `csv_ms_one_hour`, `midi_ms_one_hour`: the other whole-session paths.
 *
 * `benchLog()` prints nothing; running this file directly prints the JSON.
 */
import { pathToFileURL } from 'node:url';
import { openLogPage } from '../test/helpers/log/browser-harness.ts';
import type { LogKit } from '../test/helpers/log/browser-entry.ts';
import type { SessionLogOptions } from '../log/options.ts';

/** The figures of one run. */
export interface LogBenchResult {
  write_ratio_vs_realtime: number;
  mb_per_hour: number;
  export_ms_one_hour: number;
  mb_per_hour_on_disk: number | null;
  import_ms_one_hour: number;
  read_all_ms_one_hour: number;
  csv_ms_one_hour: number;
  midi_ms_one_hour: number;
  bundle_mb_one_hour: number;
  records_per_second: number;
  status: string;
}

/**
 * Runs the benchmark (about a minute and a half on two cores).
 * @param seconds session length in audio seconds (default 3600; figures are scaled to one hour).
 * @param options writer options (default: the writer's defaults).
 */
export async function benchLog(seconds = 3600, options: Partial<SessionLogOptions> = {}): Promise<LogBenchResult> {
  const h = await openLogPage();
  try {
    return await h.page.evaluate(async ({ seconds, options }) => {
      const k = (globalThis as unknown as { logKit: LogKit }).logKit;
      const dbName = 'bench-log';
      const importDb = 'bench-log-import';
      await k.deleteDatabase(dbName);
      await k.deleteDatabase(importDb);
      const synth = new k.SyntheticSession({ seed: 42 });
      // Generate first, so the timing is the log's alone.
      const data = Array.from({ length: seconds }, (_, s) => synth.second(s));
      const records = data.reduce((n, d) => n + d.events.length, 0);
      const usage = async (): Promise<number | null> => (await navigator.storage?.estimate?.())?.usage ?? null;
      const usageBefore = await usage();

      const writer = await k.log.SessionLog.open({ ...options, dbName });
      const f = synth.options.featureNames.length;
      const t0 = performance.now();
      const id = await writer.start(synth.meta('bench'));
      for (let s = 0; s < seconds; s++) {
        const second = data[s];
        // Like the live stream: features in ~30 Hz batches, events in between.
        let e = 0;
        for (let b = 0; b < 30; b++) {
          const from = Math.floor((b * second.frameCount) / 30);
          const to = Math.floor(((b + 1) * second.frameCount) / 30);
          const eventsTo = Math.floor(((b + 1) * second.events.length) / 30);
          while (e < eventsTo) writer.append(second.events[e++]);
          writer.appendFeatures(second.firstHopIndex + from, second.features.subarray(from * f, to * f), to - from);
        }
        if ((s + 1) % 5 === 0) await new Promise((r) => setTimeout(r, 0));
      }
      await writer.close();
      const writeMs = performance.now() - t0;
      const status = `${writer.status.state}: ${writer.status.message}`;
      const usageAfter = await usage();

      const catalog = await k.log.SessionCatalog.open(dbName);
      const row = await catalog.require(id);
      let t = performance.now();
      const bundle = await k.log.exportBundle(catalog, id);
      const exportMs = performance.now() - t;
      const target = await k.log.SessionCatalog.open(importDb);
      t = performance.now();
      await k.log.importBundle(target, bundle);
      const importMs = performance.now() - t;
      t = performance.now();
      await catalog.readRecords(id);
      const readMs = performance.now() - t;
      t = performance.now();
      await k.log.exportCsv(catalog, id);
      const csvMs = performance.now() - t;
      t = performance.now();
      await k.log.exportMidi(catalog, id);
      const midiMs = performance.now() - t;
      catalog.close();
      target.close();
      await k.deleteDatabase(dbName);
      await k.deleteDatabase(importDb);

      const perHour = 3600 / seconds;
      const round = (x: number, digits: number): number => Number(x.toFixed(digits));
      return {
        write_ratio_vs_realtime: round(seconds / (writeMs / 1000), 1),
        mb_per_hour: round((row.storedBytes / 1e6) * perHour, 2),
        export_ms_one_hour: round(exportMs * perHour, 0),
        mb_per_hour_on_disk: usageBefore === null || usageAfter === null ? null : round(((usageAfter - usageBefore) / 1e6) * perHour, 2),
        import_ms_one_hour: round(importMs * perHour, 0),
        read_all_ms_one_hour: round(readMs * perHour, 0),
        csv_ms_one_hour: round(csvMs * perHour, 0),
        midi_ms_one_hour: round(midiMs * perHour, 0),
        bundle_mb_one_hour: round((bundle.length / 1e6) * perHour, 2),
        records_per_second: round(records / seconds + synth.framesPerSecond, 1),
        status,
      };
    }, { seconds, options });
  } finally {
    await h.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.argv[2] ?? 3600);
  const options = process.argv[3] ? (JSON.parse(process.argv[3]) as Partial<SessionLogOptions>) : {};
  console.log(JSON.stringify(await benchLog(seconds, options)));
}
