// The absolute host path of a script in guest-scripts/ (the guest sees the host root read-only).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** guest-scripts/<name>, found upwards from src/workloads (tests) or dist/src/workloads (built). */
export function guestScript(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir) && !existsSync(join(dir, 'guest-scripts', name))) dir = dirname(dir);
  return join(dir, 'guest-scripts', name);
}
