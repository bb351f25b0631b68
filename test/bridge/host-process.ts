/**
 * Drives the bridge's test CLAP host (dist/clap-test/host, built by
 * `npm run build:clap`) for the browser tests and the benchmark: spawns it on
 * the built plugin, writes commands, collects its JSON lines and lets callers
 * wait for a line that matches. The editor URL comes from the plugin's log
 * line (and DEEP_IMPROV_OPEN points at `true`, so no browser is started).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The test host and the plugin it loads. */
export const HOST_PATH = `${ROOT}dist/clap-test/host`;
export const CLAP_PATH = `${ROOT}dist/clap/DeepImprov.clap`;

/** One JSON line of the host. */
export interface HostLine {
  ev: string;
  inst?: number;
  [key: string]: unknown;
}

/** An `out` line: an event at the plugin's note output. */
export interface OutLine extends HostLine {
  ev: 'out';
  inst: number;
  sample: number;
  beat: number;
  bytes: number[];
}

/** True when the host and plugin are built. */
export function hostBuilt(): boolean {
  return existsSync(HOST_PATH) && existsSync(CLAP_PATH);
}

export class HostProcess {
  readonly lines: HostLine[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<() => void>();
  private buffer = '';
  private exited = false;
  readonly exit: Promise<number | null>;

  /** Spawns the host; `env` adds variables (e.g. DEEP_IMPROV_PORT). */
  constructor(env: Record<string, string> = {}) {
    this.child = spawn(HOST_PATH, [CLAP_PATH], { env: { ...process.env, DEEP_IMPROV_OPEN: 'true', ...env }, stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const text = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!text) continue;
        try {
          this.lines.push(JSON.parse(text) as HostLine);
        } catch {
          this.lines.push({ ev: 'unparsed', text });
        }
      }
      for (const wake of [...this.waiters]) wake();
    });
    this.child.stderr.resume();
    this.exit = new Promise((resolve) => this.child.on('exit', (code) => {
      this.exited = true;
      for (const wake of [...this.waiters]) wake();
      resolve(code);
    }));
  }

  /** Sends one command line. */
  send(command: string): void {
    if (!this.exited) this.child.stdin.write(`${command}\n`);
  }

  /**
   * Resolves with the first line (from index `from`) matching `match`.
   * @throws Error after `timeoutMs` or when the host exits first.
   */
  waitFor(match: (line: HostLine) => boolean, timeoutMs = 20_000, from = 0): Promise<HostLine> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (let i = from; i < this.lines.length; i++) {
          if (match(this.lines[i])) {
            done();
            resolve(this.lines[i]);
            return;
          }
        }
        if (this.exited) {
          done();
          reject(new Error('the test host exited'));
        }
      };
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching host line within ${timeoutMs} ms; last lines: ${JSON.stringify(this.lines.slice(-5))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Creates an instance and opens its editor; resolves with its number and editor URL. */
  async newInstance(): Promise<{ inst: number; url: string }> {
    const from = this.lines.length;
    this.send('new');
    const created = await this.waitFor((l) => l.ev === 'instance', 10_000, from);
    const inst = created.inst as number;
    this.send(`gui ${inst}`);
    await this.waitFor((l) => l.ev === 'gui' && l.inst === inst, 10_000, from);
    const log = await this.waitFor((l) => l.ev === 'log' && l.inst === inst && /http:\/\/127\.0\.0\.1:\d+\//.test(String(l.msg)), 10_000, from);
    const url = /http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(String(log.msg))![0];
    return { inst, url };
  }

  /** `out` lines of one instance, from line index `from`. */
  outs(inst: number, from = 0): OutLine[] {
    return this.lines.slice(from).filter((l): l is OutLine => l.ev === 'out' && l.inst === inst);
  }

  /** Quits (printing the process cost first); resolves with that line, if any. */
  async quit(): Promise<HostLine | undefined> {
    if (this.exited) return undefined;
    const from = this.lines.length;
    this.send('quit');
    const cost = await this.waitFor((l) => l.ev === 'process-cost', 10_000, from).catch(() => undefined);
    await Promise.race([this.exit, new Promise((r) => setTimeout(r, 5000))]);
    if (!this.exited) this.child.kill('SIGKILL');
    return cost;
  }

  /** Kills the host at once. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** The test host's sample rate, Hz, and block size, frames. */
export const SAMPLE_RATE = 48000;
export const BLOCK = 128;
