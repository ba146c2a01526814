// One long-lived bash on an SSH channel that runs framed commands one at a time.
import type { Client, ClientChannel } from 'ssh2';
import { DaxlabError } from '../errors.js';
import { CommandLostError } from './command-lost.js';
import { FrameParser, frameCommand, marker, shellInit } from './framing.js';
import type { ExecResult } from './types.js';

// How long after killing a timed-out command the host waits for the shell to report.
const KILL_GRACE_MS = 5_000;

/** Kills every process group whose leader is a child of the given shell pid. */
export type GroupKiller = (shellPid: number) => Promise<void>;

/** A persistent guest shell; dead after its channel closes or a timed-out command cannot be killed. */
export class PersistentShell {
  private seq = 0;
  private current: { parser: FrameParser; onData: () => void; onDead: (why: string) => void } | undefined;
  private pid = 0;
  dead = false;

  private constructor(
    private readonly channel: ClientChannel,
    private readonly nonce: string,
    private readonly killGroups: GroupKiller,
  ) {
    channel.on('data', (d: Buffer) => this.feed('stdout', d));
    channel.stderr.on('data', (d: Buffer) => this.feed('stderr', d));
    channel.on('close', () => this.die('the guest shell channel closed'));
  }

  /** Start `bash --noprofile --norc` on a new exec channel, with job control on. */
  static async open(client: Client, nonce: string, killGroups: GroupKiller, timeoutMs = 30_000): Promise<PersistentShell> {
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      client.exec('exec /bin/bash --noprofile --norc', (err, ch) => {
        if (err) reject(new DaxlabError('GUEST_FAILED', `cannot start the guest shell: ${err.message}`));
        else resolve(ch);
      });
    });
    const shell = new PersistentShell(channel, nonce, killGroups);
    const init = await shell.send(shellInit(marker(nonce, 0)), marker(nonce, 0), timeoutMs, 'shell start');
    shell.pid = Number(init.stdout);
    if (!(shell.pid > 1)) {
      shell.close();
      throw new DaxlabError('GUEST_FAILED', `the guest shell did not start (${init.stderr.trim() || init.stdout})`);
    }
    return shell;
  }

  /** Run one command; never call again before the previous promise settles. */
  run(argv: readonly string[], timeoutMs: number): Promise<ExecResult> {
    const mark = marker(this.nonce, ++this.seq);
    return this.send(frameCommand(argv, mark), mark, timeoutMs, argv.join(' '), argv);
  }

  /** Close the channel (idempotent). */
  close(): void {
    if (!this.dead) this.channel.close();
    this.die('the guest shell was closed');
  }

  private send(input: string, mark: string, timeoutMs: number, what: string, argv?: readonly string[]): Promise<ExecResult> {
    if (this.dead) return Promise.reject(new DaxlabError('GUEST_FAILED', 'the guest shell is gone'));
    const parser = new FrameParser(mark);
    const started = performance.now();
    let timedOut = false;
    return new Promise<ExecResult>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const finish = (exitCode: number | null, out: { stdout: Buffer; stderr: Buffer }) => {
        timers.forEach(clearTimeout);
        this.current = undefined;
        resolve({ exitCode, stdout: out.stdout.toString(), stderr: out.stderr.toString(), timedOut, durationMs: performance.now() - started });
      };
      timers.push(
        setTimeout(() => {
          // Kill the command's process group; the shell then reports it as usual.
          timedOut = true;
          if (this.pid > 1) this.killGroups(this.pid).catch(() => undefined);
          timers.push(
            setTimeout(() => {
              // The guest did not answer even that: give up on this shell.
              finish(null, parser.partial());
              this.close();
            }, KILL_GRACE_MS),
          );
        }, timeoutMs),
      );
      this.current = {
        parser,
        onData: () => {
          const r = parser.result();
          if (r) finish(r.exitCode, r);
        },
        onDead: (why) => {
          timers.forEach(clearTimeout);
          this.current = undefined;
          if (!argv) return reject(new DaxlabError('GUEST_FAILED', `${why} while running: ${what}`));
          // Keep what the command had printed: the lost-guest report shows its tail.
          const out = parser.partial();
          const command = { argv: [...argv], durationMs: performance.now() - started, stdout: out.stdout.toString(), stderr: out.stderr.toString() };
          reject(new CommandLostError(`${why} while running: ${what}`, command));
        },
      };
      this.channel.write(input);
    });
  }

  private feed(stream: 'stdout' | 'stderr', d: Buffer): void {
    if (!this.current) return;
    this.current.parser.push(stream, d);
    this.current.onData();
  }

  private die(why: string): void {
    this.dead = true;
    this.current?.onDead(why);
  }
}
