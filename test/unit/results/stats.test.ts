import { describe, it, expect } from 'vitest';
import { summarize, timingStats } from '../../../src/results/stats.js';
import { result } from './fixtures.js';

describe('summarize', () => {
  it('computes n, min, max, mean, median, p90 and sample stdev', () => {
    const s = summarize([4, 1, 3, 2, 5, 6, 7, 8, 9, 10]);
    expect(s.n).toBe(10);
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    expect(s.mean).toBe(5.5);
    expect(s.median).toBe(5.5);
    expect(s.p90).toBeCloseTo(9.1, 10);
    expect(s.stdev).toBeCloseTo(3.0276503540974917, 10);
  });

  it('handles odd counts and a single value', () => {
    expect(summarize([3, 1, 2]).median).toBe(2);
    expect(summarize([7])).toEqual({ n: 1, min: 7, max: 7, mean: 7, median: 7, p90: 7, stdev: 0 });
  });

  it('returns n=0 and NaN fields for an empty sample, ignoring non-finite values', () => {
    const s = summarize([NaN, Infinity]);
    expect(s.n).toBe(0);
    expect(s.median).toBeNaN();
    expect(s.stdev).toBeNaN();
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    summarize(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('timingStats', () => {
  it('groups by workload.timing over pass and fail cases only', () => {
    const stats = timingStats([
      result({ timings: { pinMs: 500, raceMs: 10 } }),
      result({ status: 'fail', timings: { pinMs: 700 } }),
      result({ status: 'error', timings: { pinMs: 99999 } }),
      result({ status: 'skip', timings: { pinMs: 0 } }),
      result({ workload: 'mmap-pin', timings: { pinMs: 40 } }),
    ]);
    expect(Object.keys(stats)).toEqual(['mmap-pin.pinMs', 'pin-race.pinMs', 'pin-race.raceMs']);
    expect(stats['pin-race.pinMs']).toMatchObject({ n: 2, min: 500, max: 700, median: 600 });
    expect(stats['pin-race.raceMs']?.n).toBe(1);
    expect(stats['mmap-pin.pinMs']?.median).toBe(40);
  });

  it('is empty without timings', () => {
    expect(timingStats([])).toEqual({});
    expect(timingStats([result({ timings: {} })])).toEqual({});
  });
});
