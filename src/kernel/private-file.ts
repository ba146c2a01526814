// Temporary files daxlab hands to other programs (the uncommitted diff of a --source tree): always
// in a fresh private directory (mkdtemp, 0700; the file 0600), removed when done, never a
// predictable name in a shared /tmp.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Call `use` with the path of a private file holding `data`; the file and its directory are removed after. */
export async function withPrivateFile<T>(name: string, data: Uint8Array, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'daxlab-tmp-'));
  try {
    const path = join(dir, name);
    await writeFile(path, data, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
