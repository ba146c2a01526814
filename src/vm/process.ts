// Spawning one child process (QEMU or a helper) that is tracked until it is gone.
import { execa } from 'execa';
import { dyingWithUs } from '../host/parent-death.js';
import { track } from './registry.js';
import type { VmExit } from './types.js';

/** A spawned, tracked child with a bounded tail of its stderr. */
export interface Child {
  pid: number;
  name: string;
  exited: Promise<VmExit>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** What the process wrote to stdout and stderr (last 64 KiB). */
  output(): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves when it is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Spawn argv (never through a shell) and register it in the process registry. It is started through
 * setpriv --pdeathsig SIGKILL, so it dies with daxlab even when daxlab is killed with SIGKILL.
 */
export function spawnTracked(name: string, argv: readonly string[]): Child {
  if (!argv[0]) throw new Error(`${name}: empty argv`);
  const [file, ...args] = dyingWithUs(argv, 'SIGKILL') as [string, ...string[]];
  // cleanup: execa kills it if node exits; buffer: false, since the tail is kept below.
  const sub = execa(file, args, {
    cleanup: true,
    detached: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    forceKillAfterDelay: false,
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-OUTPUT_LIMIT);
  };
  sub.stdout?.on('data', keep);
  sub.stderr?.on('data', keep);
  let done = false;
  const exited: Promise<VmExit> = sub.then(
    (r) => ({ code: r.exitCode ?? null, signal: r.signal ?? null }),
    (e: { exitCode?: number; signal?: string }) => ({ code: e.exitCode ?? null, signal: e.signal ?? null }),
  );
  let stopping: Promise<void> | undefined;
  const child: Child = {
    pid: sub.pid ?? -1,
    name,
    exited,
    hasExited: () => done,
    output: () => out,
    stop(graceMs = 2_000) {
      stopping ??= (async () => {
        if (done) return;
        sub.kill('SIGTERM');
        const timer = setTimeout(() => sub.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
  // A failed spawn has no pid; never register one (kill(-1) would signal everything).
  const untrack = child.pid > 0 ? track({ pid: child.pid, name, stop: () => child.stop() }) : () => true;
  void exited.then(() => {
    done = true;
    untrack();
  });
  return child;
}
