// `daxlab compare a b`: status changes and statistically judged timing regressions between two runs.
import { DaxlabError } from '../errors.js';
import { compareRuns, comparisonExitCode } from '../results/compare.js';
import { formatComparison } from '../results/compare-format.js';
import { readRun } from '../results/inputs.js';
import { DEFAULT_TIMING_SETTINGS, type TimingSettings } from '../results/timing-compare.js';

/** Flags of `daxlab compare` (strings as commander gives them). */
export interface CompareFlags {
  alpha?: string;
  minShiftMs?: string;
  seed?: string;
  verbose?: boolean;
}

function numberFlag(name: string, value: string | undefined, fallback: number, ok: (n: number) => boolean, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new DaxlabError('USAGE', `${name}: expected ${what}, got "${value}"`);
  return n;
}

/** Pure: the decision rule's settings from the flags; a bad value is a usage error naming the flag. */
export function timingSettings(flags: CompareFlags): TimingSettings {
  const d = DEFAULT_TIMING_SETTINGS;
  return {
    alpha: numberFlag('--alpha', flags.alpha, d.alpha, (n) => n > 0 && n < 1, 'a number between 0 and 1'),
    minShiftMs: numberFlag('--min-shift-ms', flags.minShiftMs, d.minShiftMs, (n) => n >= 0, 'a number of milliseconds >= 0'),
    seed: numberFlag('--seed', flags.seed, d.seed, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
    resamples: d.resamples,
  };
}

/** Compare run b with baseline a (results directories, results.json or events.jsonl); returns the exit code. */
export function compareCommand(a: string, b: string, flags: CompareFlags = {}): number {
  const settings = timingSettings(flags);
  const c = compareRuns(readRun(a), readRun(b), settings);
  for (const line of formatComparison(c, Boolean(flags.verbose))) process.stdout.write(`${line}\n`);
  return comparisonExitCode(c);
}
