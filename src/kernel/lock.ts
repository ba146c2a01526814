// A directory lock shared between daxlab processes: rename is atomic; a lock whose owner died is stale.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A unique sibling name for `path` (lock dirs are created and removed under temporary names). */
function sibling(path: string, what: string): string {
  return `${path}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Remove the lock dir if it still holds `owner` ("" for none). It is renamed away first, so the removal
 * never races with a new lock being renamed into place; a lock that turns out to belong to someone
 * else is put back.
 */
async function removeLock(path: string, owner: string): Promise<void> {
  const grave = sibling(path, 'old');
  try {
    await rename(path, grave);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const inside = await readFile(join(grave, 'pid'), 'utf8').catch(() => '');
  if (inside !== owner && (await rename(grave, path).then(() => true, () => false))) return;
  await rm(grave, { recursive: true, force: true });
}

/** Acquire `path` as a lock directory; waits while a live process holds it. Returns a release function. */
export async function acquireLock(
  path: string,
  onWait?: (ownerPid: number) => void,
  pollMs = 1000,
): Promise<() => Promise<void>> {
  let told = false;
  for (;;) {
    // The lock appears with its pid file already inside (rename is atomic and fails onto a non-empty
    // dir), so a waiter never sees a live lock without an owner and mistakes it for debris.
    const tmp = sibling(path, 'new');
    await mkdir(tmp);
    await writeFile(join(tmp, 'pid'), String(process.pid));
    try {
      await rename(tmp, path);
      return () => removeLock(path, String(process.pid));
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
    }
    const text = await readFile(join(path, 'pid'), 'utf8').catch(() => '');
    const owner = Number.parseInt(text, 10);
    if (Number.isFinite(owner) && !alive(owner)) {
      await removeLock(path, text);
      continue;
    }
    if (!Number.isFinite(owner)) {
      // No pid: released meanwhile, or debris (e.g. an older daxlab died between mkdir and writing its pid).
      await new Promise((r) => setTimeout(r, 50));
      const again = await readFile(join(path, 'pid'), 'utf8').catch(() => '');
      if (again === '') await removeLock(path, '');
      continue;
    }
    if (!told) onWait?.(owner);
    told = true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
