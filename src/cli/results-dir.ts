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

/** Files a run, build or boot writes into its results directory: one present means it is taken. */
export const OUTPUT_FILES = [EVENTS_FILE, 'results.json', 'junit.xml', 'serial.log', join('build', 'build.log')] as const;

/** Pure: the default directory with a suffix for the n-th try (1: none, 2: "-2", ...). */
export function numbered(dir: string, n: number): string {
  return n <= 1 ? dir : `${dir}-${n}`;
}

function mkdirOrThrow(dir: string, recursive: boolean): boolean {
  try {
    mkdirSync(dir, { recursive });
    return true;
  } catch (err) {
    if (!recursive && (err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw resultsIoError('create the results directory', dir, realMkdirError(dir, err));
  }
}

/**
 * Create the results directory of a run, build or boot; nothing is ever overwritten. An explicit one
 * may exist but must hold none of OUTPUT_FILES; the default one is always new (two commands in the
 * same second with the same label get "<dir>" and "<dir>-2").
 */
export function prepareResultsDir(explicit: string | undefined, label: string, now = new Date()): string {
  if (explicit !== undefined) {
    const dir = resolve(explicit);
    const taken = OUTPUT_FILES.find((f) => existsSync(join(dir, f)));
    if (taken) {
      throw new DaxlabError('USAGE', `results directory ${dir} already holds a run (${taken})`, [
        'fix: pass another --results directory, or leave --results out for a fresh timestamped one',
      ]);
    }
    mkdirOrThrow(dir, true);
    return dir;
  }
  const base = resolve(defaultResultsDir(now, label));
  mkdirOrThrow(dirname(base), true);
  for (let n = 1; ; n++) {
    if (mkdirOrThrow(numbered(base, n), false)) return numbered(base, n);
  }
}
