// Process-wide registry of every QEMU and helper process daxlab started, so that
// SIGINT handlers and process exit leave nothing running.

/** A child process daxlab must stop before it exits. */
export interface TrackedChild {
  pid: number;
  name: string;
  /** Graceful stop (SIGTERM, then SIGKILL); resolves when the process is gone. */
  stop(): Promise<void>;
}

const live = new Set<TrackedChild>();
let exitHookInstalled = false;

/** Register a child; the returned function unregisters it. */
export function track(child: TrackedChild): () => void {
  if (!(child.pid > 0)) throw new Error(`refusing to track pid ${child.pid}`);
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: SIGKILL is all that can be done there.
    process.on('exit', killAllSync);
  }
  return () => live.delete(child);
}

/** The children still registered. */
export function liveChildren(): TrackedChild[] {
  return [...live];
}

/** Stop every registered child (newest first, as teardown runs in reverse). */
export async function killAll(): Promise<void> {
  const children = [...live].reverse();
  await Promise.allSettled(children.map((c) => c.stop()));
  for (const c of children) live.delete(c);
}

/** SIGKILL every registered child at once; for process 'exit' handlers. */
export function killAllSync(): void {
  for (const c of live) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}
