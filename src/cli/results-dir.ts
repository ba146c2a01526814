// Where a run's results go: a fresh directory per run, never one that already holds a run.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DaxlabError } from '../errors.js';
import { resultsIoError } from '../results/ioerror.js';
import { EVENTS_FILE } from '../results/jsonl.js';

/** Pure: the default directory name for a run started at `now` ("daxlab-results/20261125-154012-stock"). */
export function defaultResultsDir(now: Date, label: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('daxlab-results', `${stamp}-${label.replace(/[^A-Za-z0-9._-]/g, '_')}`);
}

// A recursive mkdir reports ENOENT for any failure below an existing parent (e.g. a read-only
// file system); a plain mkdir of the last component tells the real reason.
function realMkdirError(dir: string, err: unknown): unknown {
  if ((err as NodeJS.ErrnoException)?.code !== 'ENOENT' || !existsSync(dirname(dir))) return err;
  try {
    mkdirSync(dir);
  } catch (plain) {
    return plain;
  }
  return err;
}

/** Create the results directory; refuse one that already holds a run's journal (nothing is overwritten). */
export function prepareResultsDir(explicit: string | undefined, label: string, now = new Date()): string {
  const dir = resolve(explicit ?? defaultResultsDir(now, label));
  if (existsSync(join(dir, EVENTS_FILE))) {
    throw new DaxlabError('USAGE', `results directory ${dir} already holds a run (${EVENTS_FILE})`, [
      'fix: pass another --results directory, or leave --results out for a fresh timestamped one',
    ]);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw resultsIoError('create the results directory', dir, realMkdirError(dir, err));
  }
  return dir;
}
