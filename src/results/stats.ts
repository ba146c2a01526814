// Summary statistics of case timings, grouped per workload and timing name.
import type { CaseResult, CaseStatus } from './types.js';

/** Summary of a sample. For an empty sample n is 0 and every other field is NaN. */
export interface Stats {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
  /** Sample standard deviation (n - 1 denominator); 0 for a single value. */
  stdev: number;
}

/** Quantile q (0..1) of an ascending array, interpolating linearly between closest ranks (R's type 7). */
export function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

/** n, min, max, mean, median, p90 (interpolated) and sample stdev of finite values; non-finite values are ignored. */
export function summarize(values: number[]): Stats {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { n: 0, min: NaN, max: NaN, mean: NaN, median: NaN, p90: NaN, stdev: NaN };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const ss = xs.reduce((s, v) => s + (v - mean) ** 2, 0);
  return {
    n,
    min: xs[0] ?? NaN,
    max: xs[n - 1] ?? NaN,
    mean,
    median: quantile(xs, 0.5),
    p90: quantile(xs, 0.9),
    stdev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
  };
}

/**
 * Statuses whose timings count: a skip or an error usually ran only partly. xfail and xpass are a
 * fail and a pass that ran to completion; the known-issues list only relabels them, so it must not
 * change the measurements. A flaky result carries its first attempt's timings, which also ran through.
 */
export const TIMED_STATUSES: readonly CaseStatus[] = ['pass', 'fail', 'xfail', 'xpass', 'flaky'];

/** Stats of every timing, keyed `${workload}.${timing}` and sorted by key; only cases that ran to completion count. */
export function timingStats(results: CaseResult[]): Record<string, Stats> {
  const groups = new Map<string, number[]>();
  for (const r of results) {
    if (!TIMED_STATUSES.includes(r.status)) continue;
    for (const [name, value] of Object.entries(r.timings)) {
      if (!Number.isFinite(value)) continue;
      const key = `${r.workload}.${name}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(value);
    }
  }
  const out: Record<string, Stats> = {};
  for (const key of [...groups.keys()].sort()) out[key] = summarize(groups.get(key) ?? []);
  return out;
}
