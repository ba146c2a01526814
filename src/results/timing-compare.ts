// Timing regressions between two runs, told apart from noise: for each case (its repeats) and each
// timing with at least two values on both sides, a Mann-Whitney U test and a bootstrap interval of
// the median shift; the p-values are Holm-corrected over all those comparisons.
//
// A timing regression is reported only when all three hold: the Holm-corrected p-value is below
// alpha, the (1 - alpha) bootstrap interval of median(b) - median(a) excludes zero, and the shift's
// size exceeds minShiftMs. Either direction counts: slower is a performance regression, faster in a
// wait oracle means something stopped waiting.
import { caseKey } from './case-groups.js';
import { bootstrapMedianShift, median, type ShiftInterval } from './inference/bootstrap.js';
import { holmAdjust } from './inference/holm.js';
import { mannWhitney, minimumP, type RankTest } from './inference/mann-whitney.js';
import { seedFor } from './inference/prng.js';
import { TIMED_STATUSES } from './stats.js';
import type { CaseResult } from './types.js';

/** The decision rule's settings. */
export interface TimingSettings {
  alpha: number;
  minShiftMs: number;
  seed: number;
  resamples: number;
}

/**
 * Timings that are evidence, not measurements of the kernel, and are never compared: waitSeenMs is
 * how long the guest's sampler saw the racing call asleep, which depends on when the sampler thread
 * got a CPU (with lanes, on what the other cases of the guest were doing). Two stock runs of the
 * default plan with 10 repeats differed by 28 ms in its median on one case; returnAfterPinMs, the
 * kernel-side timing of the same wait, by 3.5 ms.
 */
export const NOT_COMPARED: ReadonlySet<string> = new Set(['waitSeenMs']);

/** Defaults: alpha 0.05, 20 ms, seed 1, 2000 resamples (README: "What counts as a timing regression"). */
export const DEFAULT_TIMING_SETTINGS: TimingSettings = { alpha: 0.05, minShiftMs: 20, seed: 1, resamples: 2000 };

/** One case and timing compared. */
export interface TimingTest {
  case: string;
  timing: string;
  a: number[];
  b: number[];
  medianA: number;
  medianB: number;
  shift: ShiftInterval;
  test: RankTest;
  /** Holm-corrected p-value over every comparison. */
  pAdjusted: number;
  regression: boolean;
}

/** Every comparison made, the regressions among them, and what could not be compared. */
export interface TimingComparison {
  settings: TimingSettings;
  tests: TimingTest[];
  regressions: TimingTest[];
  /** Case timings present on both sides but with fewer than two values on one (not tested). */
  tooFewRepeats: number;
  /** When no comparison could ever reach significance: why, and how many repeats would. */
  powerNote?: string;
}

// case key -> timing name -> values, over the results that ran to completion.
function samples(results: readonly CaseResult[]): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>();
  const latest = new Map<string, CaseResult>();
  for (const r of results) latest.set(r.id, r); // a resumed run's repeated id counts once
  for (const r of latest.values()) {
    if (!TIMED_STATUSES.includes(r.status)) continue;
    const key = caseKey(r.id);
    let byTiming = out.get(key);
    if (!byTiming) out.set(key, (byTiming = new Map()));
    for (const [name, v] of Object.entries(r.timings)) {
      if (!Number.isFinite(v) || NOT_COMPARED.has(name)) continue;
      let xs = byTiming.get(name);
      if (!xs) byTiming.set(name, (xs = []));
      xs.push(v);
    }
  }
  return out;
}

// The smallest n (equal on both sides) whose exact test can reach p < alpha / m.
function repeatsNeeded(alpha: number, m: number): number {
  for (let n = 2; n < 50; n++) if (minimumP(n, n) < alpha / m) return n;
  return 50;
}

/** Compare the timings of runs a (baseline) and b, case by case; see the file comment for the rule. */
export function compareTimings(a: readonly CaseResult[], b: readonly CaseResult[], settings: TimingSettings): TimingComparison {
  const sa = samples(a);
  const sb = samples(b);
  const pending: Array<Omit<TimingTest, 'pAdjusted' | 'regression'>> = [];
  let tooFewRepeats = 0;
  for (const [key, timingsA] of sa) {
    const timingsB = sb.get(key);
    if (!timingsB) continue;
    for (const [timing, xa] of timingsA) {
      const xb = timingsB.get(timing);
      if (!xb) continue;
      if (xa.length < 2 || xb.length < 2) {
        tooFewRepeats++;
        continue;
      }
      // A value that never varies (pinMs: the plan's setting) is configuration, not a measurement.
      const all = [...xa, ...xb];
      if (all.every((v) => v === all[0])) continue;
      const shift = bootstrapMedianShift(xa, xb, {
        seed: seedFor(settings.seed, `${key}\0${timing}`),
        resamples: settings.resamples,
        level: 1 - settings.alpha,
      });
      pending.push({ case: key, timing, a: xa, b: xb, medianA: median(xa), medianB: median(xb), shift, test: mannWhitney(xa, xb) });
    }
  }
  const adjusted = holmAdjust(pending.map((t) => t.test.p));
  const tests = pending.map((t, i): TimingTest => {
    const pAdjusted = adjusted[i] ?? 1;
    const excludesZero = t.shift.lower > 0 || t.shift.upper < 0;
    const regression = pAdjusted < settings.alpha && excludesZero && Math.abs(t.shift.estimate) > settings.minShiftMs;
    return { ...t, pAdjusted, regression };
  });
  const m = tests.length;
  const reachable = tests.some((t) => minimumP(t.test.n1, t.test.n2) * m < settings.alpha);
  const out: TimingComparison = { settings, tests, regressions: tests.filter((t) => t.regression), tooFewRepeats };
  if (m > 0 && !reachable) {
    const n = Math.min(...tests.map((t) => Math.min(t.test.n1, t.test.n2)));
    out.powerNote =
      `with ${n} repeat${n === 1 ? '' : 's'} per side the rank test cannot reach p < ${settings.alpha} after the Holm ` +
      `correction over ${m} comparisons; run with --repeats ${repeatsNeeded(settings.alpha, m)} or more to detect timing shifts`;
  }
  return out;
}
