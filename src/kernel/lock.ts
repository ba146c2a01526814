// Locks shared between daxlab processes: flock(2) on a lock file, which the kernel releases when
// the holder dies, however it dies (SIGKILL, OOM killer), in any pid namespace. Node has no flock
// binding, so util-linux's flock(1) takes the lock on a descriptor daxlab opened and passes down
// (fd 3): a flock belongs to the open file description, so the lock stays held by daxlab's own
// descriptor after flock(1) exits, and closing it (or daxlab's death) releases it. The holder's
// pid and host are written into the file for messages only; nothing reads them for correctness.
import { spawn } from 'node:child_process';
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { DaxlabError } from '../errors.js';
import { dyingWithUs } from '../host/parent-death.js';

/** Who holds a lock, as its holder wrote it (for messages). */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export interface LockOptions {
  /** A shared (read) lock: any number of shared holders, no exclusive one. Default: exclusive. */
  shared?: boolean;
  /** Give up after this long (default one hour): a LOCK_TIMEOUT error naming the holder. */
  timeoutMs?: number;
  /** Aborting stops the wait at once (Ctrl-C): an INTERRUPTED error. */
  signal?: AbortSignal;
  /** Called once when the lock is busy, before waiting, with the holder when it is known. */
  onWait?: (holder: LockHolder | null) => void;
  /** What the lock protects, for messages ("the build lock of this tree"). */
  what?: string;
}

/** Releases a held lock; idempotent. */
export type Release = () => Promise<void>;

const BUSY = 75;

/** Pure: the holder record a lock file holds, or null when it holds none (or garbage). */
export function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
    return { pid: v.pid, host: v.host, since: String(v.since ?? ''), command: String(v.command ?? '') };
  } catch {
    return null;
  }
}

/** Pure: "daxlab pid 123 on host h (since ...)". */
export function describeHolder(h: LockHolder | null): string {
  if (!h) return 'another daxlab (holder unknown)';
  return `daxlab pid ${h.pid} on host ${h.host}${h.since ? ` (since ${h.since})` : ''}`;
}

/** The holder a lock file names (messages only: it may be stale). */
export function readHolder(path: string): LockHolder | null {
  try {
    return parseHolder(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// One flock(1) on fd 3 (our descriptor). Resolves 'locked', 'busy' (conflict or timeout) or 'aborted'.
function flockFd(fd: number, args: string[], signal?: AbortSignal): Promise<'locked' | 'busy' | 'aborted'> {
  if (signal?.aborted) return Promise.resolve('aborted');
  const flock = ['flock', ...args, '-E', String(BUSY), '3'];
  // Only a waiting flock(1) could outlive daxlab; one that does not wait (-n) needs no setpriv.
  const argv = args.includes('-n') ? flock : dyingWithUs(flock);
  return new Promise((resolve, reject) => {
    // detached: a terminal's Ctrl-C reaches daxlab, which decides; never the lock helper directly.
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe', fd], detached: true });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      reject(err.code === 'ENOENT'
        ? new DaxlabError('HOST_MISSING', 'flock is not installed (util-linux); daxlab needs it for its locks', ['fix: apt-get install -y util-linux'])
        : err);
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) resolve('aborted');
      else if (code === 0) resolve('locked');
      else if (code === BUSY) resolve('busy');
      else reject(new DaxlabError('HOST_MISSING', `flock failed (exit ${code ?? 'by signal'})`, stderr.trim().split('\n').filter(Boolean)));
    });
  });
}

function holderRecord(): string {
  const h: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: process.argv.slice(1).join(' ') };
  return `${JSON.stringify(h)}\n`;
}

function releaser(fd: number, exclusive: boolean): Release {
  let open = true;
  return async () => {
    if (!open) return;
    open = false;
    try {
      // Still held here: clear the record so a later reader does not name a holder that left.
      if (exclusive) ftruncateSync(fd, 0);
    } finally {
      closeSync(fd);
    }
  };
}

// The holder writes its record just after it gets the lock: a waiter that looks in between finds
// the file empty, so it looks again for up to a second before calling the holder unknown.
async function holderSoon(path: string): Promise<LockHolder | null> {
  for (let i = 0; i < 20; i++) {
    const h = readHolder(path);
    if (h) return h;
    await new Promise((r) => setTimeout(r, 50));
  }
  return readHolder(path);
}

function openLockFile(path: string): number {
  return openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
}

// True when `path` still names the file `fd` has open. A lock file may be removed by the one who
// holds it exclusively (cache gc); whoever then gets the lock on the removed file must start over.
function stillNamed(fd: number, path: string): boolean {
  try {
    const a = fstatSync(fd);
    const b = statSync(path);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

/**
 * Take the lock on `path` (the file is created if needed), waiting while another holds it. Only an
 * exclusive holder may remove the file; a waiter that then gets the removed file tries again.
 */
export async function acquireLock(path: string, o: LockOptions = {}): Promise<Release> {
  const deadline = Date.now() + (o.timeoutMs ?? 3_600_000);
  for (;;) {
    const release = await acquireOnce(path, { ...o, timeoutMs: Math.max(1, deadline - Date.now()) });
    if (release.fd !== undefined && stillNamed(release.fd, path)) return release.release;
    await release.release();
    o = { ...o, onWait: undefined };
  }
}

async function acquireOnce(path: string, o: LockOptions): Promise<{ fd: number; release: Release }> {
  const what = o.what ?? `the lock ${path}`;
  if (o.signal?.aborted) throw new DaxlabError('INTERRUPTED', `interrupted before taking ${what}`);
  const fd = openLockFile(path);
  const mode = o.shared ? '-s' : '-x';
  try {
    let got = await flockFd(fd, [mode, '-n'], o.signal);
    if (got === 'busy') {
      if (o.onWait) o.onWait(await holderSoon(path));
      const timeoutMs = o.timeoutMs ?? 3_600_000;
      got = await flockFd(fd, [mode, '-w', (timeoutMs / 1000).toFixed(3)], o.signal);
      if (got === 'busy') {
        throw new DaxlabError('LOCK_TIMEOUT', `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}, held by ${describeHolder(readHolder(path))}`, [
          `lock file: ${path}`,
          'the kernel releases the lock when its holder exits; wait for that run or stop it',
        ]);
      }
    }
    if (got === 'aborted') throw new DaxlabError('INTERRUPTED', `interrupted while waiting for ${what}`);
    if (!o.shared && stillNamed(fd, path)) {
      ftruncateSync(fd, 0);
      writeSync(fd, holderRecord(), 0);
    }
    return { fd, release: releaser(fd, !o.shared) };
  } catch (err) {
    // Closing also drops a lock flock(1) may have taken just as it was killed.
    closeSync(fd);
    throw err;
  }
}

/** Take the lock only if it is free at once; null when someone holds it. */
export async function tryLock(path: string, shared = false): Promise<Release | null> {
  for (;;) {
    const fd = openLockFile(path);
    try {
      if ((await flockFd(fd, [shared ? '-s' : '-x', '-n'])) !== 'locked') {
        closeSync(fd);
        return null;
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    if (stillNamed(fd, path)) return releaser(fd, false);
    closeSync(fd);
  }
}
