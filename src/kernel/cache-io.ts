// File system errors in daxlab's cache (trees, object dirs, kernel entries) as CACHE_IO errors
// (exit 69) naming the path and errno, never a stack trace.
import { DaxlabError } from '../errors.js';

const HINTS: Record<string, string> = {
  ENOSPC: 'the cache file system is full: free space (daxlab cache gc --max-size GIB), or set DAXLAB_CACHE to a larger file system',
  EDQUOT: 'the disk quota is exhausted: free space (daxlab cache gc), or set DAXLAB_CACHE elsewhere',
  EROFS: 'the cache is on a read-only file system: set DAXLAB_CACHE to a writable directory',
  EACCES: 'no permission in the cache: check the owner and mode of the cache directory (or set DAXLAB_CACHE)',
  EPERM: 'no permission in the cache: check the owner and mode of the cache directory (or set DAXLAB_CACHE)',
};

/** Pure: true for a Node file system error (errno code plus the path it was about). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  const e = err as NodeJS.ErrnoException;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.path === 'string';
}

/** A CACHE_IO error for a failed operation on a path in the cache (a DaxlabError passes through). */
export function cacheIoError(action: string, path: string, err: unknown): DaxlabError {
  if (err instanceof DaxlabError) return err;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  const code = typeof e?.code === 'string' ? e.code : 'EIO';
  // copyFile names its source in `path` and the file it failed to write in `dest`.
  const where = e?.dest ?? e?.path;
  const at = typeof where === 'string' && where !== path ? ` (${e.syscall ?? 'at'} ${where})` : isFsError(err) ? '' : ` (${(err as Error)?.message ?? String(err)})`;
  const hint = HINTS[code];
  return new DaxlabError('CACHE_IO', `cannot ${action} ${path}: ${code}${at}`, hint ? [hint] : []);
}
