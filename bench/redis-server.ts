// A real redis-server for lab tests and the lab benchmark: on a free loopback port, in its own directory, with the
// persistence the README asks labs for (AOF, fsync on every write), stopped and restarted at will.
import { execa, type ResultPromise } from 'execa';
import { Redis } from 'ioredis';
import { freePort } from '../src/vm/ports.js';

/** One redis-server process at a time on a fixed port and directory. */
export class RedisServer {
  private proc: ResultPromise | null = null;
  readonly url: string;

  private constructor(readonly port: number, readonly dir: string) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  /** Start a server on a free port, persisting into dir. */
  static async start(dir: string): Promise<RedisServer> {
    const s = new RedisServer(await freePort(), dir);
    await s.restart();
    return s;
  }

  /** (Re)start the server on the same port and directory; resolves once it answers PING. */
  async restart(): Promise<void> {
    this.proc = execa('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes',
    ], { reject: false, stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const c = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => undefined);
      try {
        await c.connect();
        if ((await c.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer`);
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        c.disconnect();
      }
    }
  }

  /** Stop it (SIGTERM: redis flushes its AOF and exits). */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p) return;
    p.kill('SIGTERM');
    await p;
  }
}
