// GuestSession over ssh2: one persistent shell for fast commands, one-shot channels as fallback.
import { randomBytes } from 'node:crypto';
import type ssh2 from 'ssh2';
import { DaxlabError } from '../errors.js';
import { connectClient, type ConnectOptions } from './connect.js';
import { shellQuote } from './quote.js';
import { PersistentShell } from './shell.js';
import type { ExecOptions, ExecResult, GuestSession, InteractiveIo, SessionClosed } from './types.js';

/** Connect (with retry until opts.deadlineMs) and start the session's long-lived shell. */
export async function connectGuest(opts: ConnectOptions): Promise<GuestSession> {
  const client = await connectClient(opts);
  const session = new Ssh2Session(client);
  try {
    await session.exec(['true'], { timeoutMs: Math.max(10_000, opts.deadlineMs - Date.now()) });
  } catch (err) {
    await session.close();
    throw err;
  }
  return session;
}

class Ssh2Session implements GuestSession {
  readonly closed: Promise<SessionClosed>;
  private readonly nonce = randomBytes(12).toString('hex');
  private readonly lanes = new Map<number, { shell?: PersistentShell; queue: Promise<unknown> }>();
  private ended: SessionClosed | undefined;
  private markClosed!: (c: SessionClosed) => void;

  constructor(private readonly client: ssh2.Client) {
    this.closed = new Promise((res) => (this.markClosed = res));
    client.on('error', (err) => this.end(`ssh error: ${err.message}`));
    client.on('close', () => this.end('the ssh connection closed'));
  }

  exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    return this.execOnLane(0, argv, opts);
  }

  lane(n: number): { exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> } {
    return { exec: (argv, opts) => this.execOnLane(n, argv, opts) };
  }

  private execOnLane(n: number, argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    if (opts.stdin !== undefined) return this.execChannel(argv, opts);
    let lane = this.lanes.get(n);
    if (!lane) this.lanes.set(n, (lane = { queue: Promise.resolve() }));
    const l = lane;
    const run = l.queue.then(() => this.runOnShell(l, argv, opts.timeoutMs));
    l.queue = run.catch(() => undefined);
    return run;
  }

  execChannel(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    if (this.ended) return Promise.reject(this.closedError());
    const secs = String(Math.max(opts.timeoutMs, 1) / 1000);
    const command = shellQuote(['timeout', '-k', '2', secs, ...argv]);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, ch) => {
        if (err) return reject(new DaxlabError('GUEST_FAILED', `cannot open an exec channel: ${err.message}`));
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        let code: number | null = null;
        let hostTimedOut = false;
        const timer = setTimeout(() => {
          hostTimedOut = true;
          ch.close();
        }, opts.timeoutMs + 5_000);
        ch.on('data', (d: Buffer) => out.push(d));
        ch.stderr.on('data', (d: Buffer) => errs.push(d));
        ch.on('exit', (c: number | null) => (code = c));
        ch.on('close', () => {
          clearTimeout(timer);
          const durationMs = performance.now() - started;
          const timedOut = hostTimedOut || ((code === 124 || code === 137) && durationMs >= opts.timeoutMs);
          if (code === null && !hostTimedOut && this.ended) {
            return reject(new DaxlabError('GUEST_FAILED', `${this.ended.reason} while running: ${argv.join(' ')}`));
          }
          resolve({ exitCode: code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errs).toString(), timedOut, durationMs });
        });
        ch.end(opts.stdin ?? '');
      });
    });
  }

  interactive(io: InteractiveIo): Promise<number> {
    if (this.ended) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      this.client.shell({ term: io.term, rows: io.rows, cols: io.cols }, (err, ch) => {
        if (err) return reject(new DaxlabError('GUEST_FAILED', `cannot open a shell: ${err.message}`));
        let code = 0;
        io.input.on('data', (d: Buffer) => ch.write(d));
        ch.on('data', (d: Buffer) => io.output.write(d));
        ch.stderr.on('data', (d: Buffer) => io.output.write(d));
        ch.on('exit', (c: number | null) => (code = c ?? 255));
        ch.on('close', () => resolve(code));
      });
    });
  }

  onClose(cb: (c: SessionClosed) => void): void {
    void this.closed.then(cb);
  }

  async close(): Promise<void> {
    if (!this.ended) {
      for (const l of this.lanes.values()) l.shell?.close();
      this.client.end();
      this.end('closed by daxlab');
    }
    await this.closed;
  }

  private async runOnShell(lane: { shell?: PersistentShell }, argv: readonly string[], timeoutMs: number): Promise<ExecResult> {
    this.assertOpen();
    if (!lane.shell || lane.shell.dead) {
      lane.shell = await PersistentShell.open(this.client, this.nonce, (pid) => this.killGroups(pid));
    }
    return lane.shell.run(argv, timeoutMs);
  }

  // Each child of the session shell leads its own process group (set -m): kill the groups.
  private async killGroups(shellPid: number): Promise<void> {
    const script = 'for p in $(pgrep -P "$1"); do pkill -KILL -g "$p"; done; true';
    await this.execChannel(['sh', '-c', script, 'sh', String(shellPid)], { timeoutMs: 10_000 });
  }

  private assertOpen(): void {
    if (this.ended) throw this.closedError();
  }

  private closedError(): DaxlabError {
    return new DaxlabError('GUEST_FAILED', `the guest session is closed (${this.ended?.reason ?? 'unknown'})`);
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = { reason };
    for (const l of this.lanes.values()) l.shell?.close();
    this.markClosed(this.ended);
  }
}
