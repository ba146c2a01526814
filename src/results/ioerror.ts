// Wrapping of file system errors into RESULTS_IO errors that name the file and errno.
import { DaxlabError } from '../errors.js';

/** A RESULTS_IO error for a failed operation on a file, naming the errno (ENOSPC, EROFS, EACCES, ...). */
export function resultsIoError(action: string, path: string, err: unknown): DaxlabError {
  if (err instanceof DaxlabError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'EIO';
  const why = e instanceof Error ? e.message : String(err);
  const hint = HINTS[code];
  return new DaxlabError('RESULTS_IO', `cannot ${action} ${path}: ${code} (${why})`, hint ? [hint] : []);
}

const HINTS: Record<string, string> = {
  ENOSPC: 'the results file system is full; free space or pick another results directory',
  EROFS: 'the results directory is on a read-only file system; pick another results directory',
  EACCES: 'no permission to write there; check the owner and mode of the results directory',
  EPERM: 'no permission to write there; check the owner and mode of the results directory',
  ENOENT: 'the path does not exist',
};
