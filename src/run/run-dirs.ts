// Per-boot run directories (/tmp/daxlab-run-*: keys, sockets, the pmem file), marked with their
// owner: the daxlab that made one holds an flock on its owner.lock for as long as it uses it. The
// kernel drops that lock when the owner dies, however it dies, so a later daxlab can tell a dead
// owner's directory from a live one (in any pid namespace, with no pid reuse to fear) and remove it.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { acquireLock, tryLock, type Release } from '../kernel/lock.js';

/** Name prefix of a run directory in use (or left by a dead owner). */
export const RUN_DIR_PREFIX = 'daxlab-run-';
// A run directory being set up, before its lock is held: renamed to RUN_DIR_PREFIX once it is.
const NEW_PREFIX = 'daxlab-new-';
const OWNER_LOCK = 'owner.lock';
// Directories without an owner lock (made by an older daxlab, or by one killed in the instant
// between mkdtemp and the lock) are only removed once this old: their owner cannot be asked.
const UNOWNED_MAX_AGE_MS = 24 * 3600_000;

/** A private (0700) run directory and the release of its owner lock. */
export interface RunDir {
  path: string;
  release: Release;
}

/** Make a run directory under `root` whose owner lock this process holds from the first moment it has its name. */
export async function createRunDir(root = tmpdir()): Promise<RunDir> {
  const fresh = await mkdtemp(join(root, NEW_PREFIX));
  let release: Release | undefined;
  try {
    release = await acquireLock(join(fresh, OWNER_LOCK), { timeoutMs: 10_000, what: 'the owner lock of a new run directory' });
    const path = join(root, RUN_DIR_PREFIX + basename(fresh).slice(NEW_PREFIX.length));
    await rename(fresh, path);
    return { path, release };
  } catch (err) {
    await release?.();
    await rm(fresh, { recursive: true, force: true });
    throw err;
  }
}

/** Pure: the entries of a temp dir that are run directories, finished or half-made. */
export function runDirCandidates(names: string[]): string[] {
  return names.filter((n) => n.startsWith(RUN_DIR_PREFIX) || n.startsWith(NEW_PREFIX));
}

// The owner lock, taken (the owner is gone), 'unowned' for an old directory without one, or null
// while its owner lives (or when the directory is not ours to judge: removed meanwhile, unreadable).
async function ownerIsGone(dir: string, now: number): Promise<Release | 'unowned' | null> {
  const lock = join(dir, OWNER_LOCK);
  if (!existsSync(lock)) {
    const st = await stat(dir).catch(() => null);
    return st && now - st.mtimeMs > UNOWNED_MAX_AGE_MS ? 'unowned' : null;
  }
  return tryLock(lock).catch(() => null);
}

/** Remove the run directories (and their pmem files) whose owner died; returns the paths removed. */
export async function sweepRunDirs(root = tmpdir(), now = Date.now()): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of runDirCandidates(names)) {
    const dir = join(root, name);
    const gone = await ownerIsGone(dir, now);
    if (gone === null) continue;
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // not ours to remove (permissions): leave it
    } finally {
      if (gone !== 'unowned') await gone();
    }
  }
  return removed;
}
