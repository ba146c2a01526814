// Bootstrap confidence interval of a median shift, median(b) - median(a), by the percentile method:
// resample each sample with replacement (independently), take the shift of the resampled medians,
// repeat, and read the interval off the quantiles of those shifts. The generator is seeded, so the
// same samples and seed always give the same interval.
import { quantile } from '../stats.js';
import { mulberry32, randomIndex } from './prng.js';

/** A point estimate with its interval. */
export interface ShiftInterval {
  /** median(b) - median(a) of the samples themselves. */
  estimate: number;
  lower: number;
  upper: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  resamples: number;
}

export interface BootstrapOptions {
  seed: number;
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** Median of a sample (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const xs = [...values].sort((x, y) => x - y);
  return quantile(xs, 0.5);
}

function resampledMedian(xs: readonly number[], scratch: number[], random: () => number): number {
  for (let i = 0; i < xs.length; i++) scratch[i] = xs[randomIndex(random, xs.length)]!;
  scratch.sort((x, y) => x - y);
  return quantile(scratch, 0.5);
}

/** Percentile-bootstrap interval of median(b) - median(a); non-finite values are dropped. */
export function bootstrapMedianShift(aIn: readonly number[], bIn: readonly number[], o: BootstrapOptions): ShiftInterval {
  const a = aIn.filter(Number.isFinite);
  const b = bIn.filter(Number.isFinite);
  if (a.length === 0 || b.length === 0) throw new RangeError('bootstrapMedianShift needs at least one value in each sample');
  const resamples = o.resamples ?? 2000;
  const level = o.level ?? 0.95;
  const random = mulberry32(o.seed);
  const sa = new Array<number>(a.length);
  const sb = new Array<number>(b.length);
  const shifts = new Array<number>(resamples);
  for (let i = 0; i < resamples; i++) shifts[i] = resampledMedian(b, sb, random) - resampledMedian(a, sa, random);
  shifts.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return {
    estimate: median(b) - median(a),
    lower: quantile(shifts, tail),
    upper: quantile(shifts, 1 - tail),
    level,
    resamples,
  };
}
