// Directories that must not outlive daxlab (per-boot run dirs holding private keys): removed by
// their teardown normally, and synchronously at process exit (a forced second Ctrl-C, a crash).
import { rmSync } from 'node:fs';

const dirs = new Set<string>();
let hooked = false;

/** Register a directory for removal at exit; the returned function unregisters it. */
export function removeAtExit(dir: string): () => void {
  dirs.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', removeAllSync);
  }
  return () => dirs.delete(dir);
}

/** Remove every registered directory now (synchronous: usable in 'exit' handlers). */
export function removeAllSync(): void {
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
  dirs.clear();
}
