// The statistics behind `compare`, checked against published values. Each expected number names
// where it was published.
import { describe, expect, it } from 'vitest';
import { bootstrapMedianShift, median } from '../../../src/results/inference/bootstrap.js';
import { holmAdjust } from '../../../src/results/inference/holm.js';
import { mannWhitney, minimumP, rank, uCounts } from '../../../src/results/inference/mann-whitney.js';
import { erfc, normalSf } from '../../../src/results/inference/normal.js';
import { mulberry32, seedFor } from '../../../src/results/inference/prng.js';

describe('erfc and the normal tail', () => {
  // Reference values of erfc: the C library's erfc (glibc 2.36, via Python's math.erfc).
  const LIBM: Array<[number, number]> = [
    [0.1, 0.8875370839817152], [0.5, 0.4795001221869535], [1, 0.15729920705028513],
    [2, 0.004677734981047265], [2.49, 0.000429287867733913], [2.5, 0.0004069520174449589],
    [3, 2.2090496998585438e-5], [4, 1.541725790028002e-8], [5, 1.5374597944280351e-12],
    [6, 2.1519736712498916e-17], [8, 1.1224297172982928e-29],
  ];
  it.each(LIBM)('erfc(%s) matches libm to 1e-13 relative', (x, ref) => {
    expect(Math.abs(erfc(x) - ref) / ref).toBeLessThan(1e-13);
  });

  it('is symmetric and bounded', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(-1) + erfc(1)).toBeCloseTo(2, 15);
    expect(erfc(Infinity)).toBe(0);
    // The textbook quantile: P(Z > 1.959964) = 0.025.
    expect(normalSf(1.959963984540054)).toBeCloseTo(0.025, 12);
  });
});

describe('Mann-Whitney U', () => {
  // SciPy's documented example (scipy.stats.mannwhitneyu, "Examples"; data from Shier 2004):
  // U1 = 17, exact two-sided p = 0.1111111111111111, exact 'less' p (females, males) =
  // 0.05555555555555555, asymptotic p with continuity correction 0.11134688653314041, without
  // 0.0864107329737.
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];

  it('SciPy example, exact', () => {
    const r = mannWhitney(males, females);
    expect(r).toMatchObject({ u: 17, method: 'exact', ties: false });
    expect(r.p).toBeCloseTo(0.1111111111111111, 14);
    expect(mannWhitney(females, males, { alternative: 'less' }).p).toBeCloseTo(0.05555555555555555, 14);
  });

  it('SciPy example, normal approximation with and without continuity correction', () => {
    expect(mannWhitney(males, females, { exact: false }).p).toBeCloseTo(0.11134688653314041, 13);
    expect(mannWhitney(males, females, { exact: false, continuity: false }).p).toBeCloseTo(0.0864107329737, 12);
  });

  // R's ?wilcox.test example (Hollander & Wolfe 1973, p. 69f: permeability constants of the human
  // chorioamnion), printed by R as "W = 35, p-value = 0.1272" (exact, alternative = "greater") and
  // "W = 35, p-value = 0.1103" with exact = FALSE, correct = FALSE.
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  it("R's wilcox.test example, one-sided", () => {
    const r = mannWhitney(x, y, { alternative: 'greater' });
    expect(r.u).toBe(35);
    expect(r.method).toBe('exact');
    expect(r.p).toBeCloseTo(0.1272, 4);
    expect(mannWhitney(x, y, { alternative: 'greater', exact: false, continuity: false }).p).toBeCloseTo(0.1103, 4);
  });

  // R: wilcox.test(extra ~ group, data = sleep) prints "Wilcoxon rank sum test with continuity
  // correction ... W = 25.5, p-value = 0.06933" (ties: normal approximation, tie-corrected variance).
  // The sleep data (Cushny & Peebles 1905, as in Student 1908 and R's datasets::sleep).
  it("R's sleep example with ties", () => {
    const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const r = mannWhitney(g1, g2);
    expect(r).toMatchObject({ u: 25.5, method: 'normal', ties: true });
    expect(r.p).toBeCloseTo(0.06933, 5);
  });

  // Critical values of U for a two-tailed test at alpha = 0.05 (the standard table, e.g. the
  // Mann-Whitney U table reproduced at numeracy-bank.net and docstoc "Critical values of
  // Mann-Whitney U at p = 0.05 (two-tailed test)"): n1 = n2 = 5: 2; 8, 8: 13; 10, 10: 23;
  // 5, 10: 8; 20, 20: 127. U at the critical value is significant, one more is not.
  it.each([[5, 5, 2], [8, 8, 13], [10, 10, 23], [5, 10, 8], [20, 20, 127]])(
    'critical value n1=%s n2=%s: U=%s', (n1, n2, crit) => {
      // Samples whose first has U = u: start it on the lowest ranks, then move its values up
      // (the largest first, at most n2 places each); the values are the ranks themselves.
      const sample = (u: number) => {
        const a: number[] = [];
        let left = u;
        for (let i = n1; i >= 1; i--) {
          const up = Math.min(n2, left);
          left -= up;
          a.push(i + up);
        }
        const b = Array.from({ length: n1 + n2 }, (_, i) => i + 1).filter((v) => !a.includes(v));
        return mannWhitney(a, b);
      };
      expect(sample(crit).u).toBe(crit);
      expect(sample(crit).p).toBeLessThanOrEqual(0.05);
      expect(sample(crit + 1).p).toBeGreaterThan(0.05);
    });

  it('counts the exact null distribution: sums to C(N, n1), symmetric, known small cases', () => {
    const c = uCounts(3, 3).map(Number);
    expect(c).toEqual([1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
    expect(c.reduce((s, v) => s + v, 0)).toBe(20);
    const big = uCounts(20, 20);
    expect(big.reduce((s, v) => s + v, 0n)).toBe(137846528820n); // C(40, 20)
    expect(big[0]).toBe(1n);
    expect(big[400]).toBe(1n);
  });

  it('ranks ties by their average', () => {
    expect(rank([10, 20, 20, 30])).toEqual({ ranks: [1, 2.5, 2.5, 4], tieSizes: [2] });
  });

  it('says how small a p-value the sample sizes allow', () => {
    expect(minimumP(3, 3)).toBeCloseTo(0.1, 15); // 2 / C(6, 3)
    expect(minimumP(4, 4)).toBeCloseTo(2 / 70, 15);
    expect(minimumP(10, 10)).toBeCloseTo(2 / 184756, 15);
  });

  it('gives p = 1 when every value is tied', () => {
    expect(mannWhitney([500, 500, 500], [500, 500]).p).toBe(1);
  });
});

describe('Holm correction', () => {
  // pingouin.holm documentation example: [.50, .003, .32, .054, .0003] ->
  // [0.64, 0.012, 0.64, 0.162, 0.0015].
  it('matches the pingouin example', () => {
    const adj = holmAdjust([0.5, 0.003, 0.32, 0.054, 0.0003]);
    [0.64, 0.012, 0.64, 0.162, 0.0015].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 12));
  });

  // stdlib-js @stdlib/stats/padjust documentation: padjust([0.319, 0.201, 0.4, 0.374, 0.113], 'holm')
  // returns [~0.957, 0.804, ..., ~0.957, ~0.565].
  it('matches the stdlib padjust example', () => {
    const adj = holmAdjust([0.319, 0.201, 0.4, 0.374, 0.113]);
    expect(adj[0]).toBeCloseTo(0.957, 3);
    expect(adj[1]).toBeCloseTo(0.804, 12);
    expect(adj[3]).toBeCloseTo(0.957, 3);
    expect(adj[4]).toBeCloseTo(0.565, 12);
  });

  it('skips NaN and keeps the order', () => {
    expect(holmAdjust([NaN, 0.01, 0.04])).toEqual([NaN, 0.02, 0.04]);
  });
});

describe('seeded generator and bootstrap', () => {
  it('mulberry32 is deterministic, in [0, 1), and differs by seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mulberry32(43)()).not.toBe(xs[0]);
    // Roughly uniform: the mean of 1000 draws is near 1/2.
    expect(xs.reduce((s, v) => s + v, 0) / xs.length).toBeGreaterThan(0.45);
    expect(seedFor(1, 'a')).not.toBe(seedFor(1, 'b'));
  });

  it('median shift interval: same seed, same interval; contains the true shift', () => {
    const a = [100, 103, 98, 101, 99, 102, 100, 97, 104, 101];
    const b = a.map((v) => v + 30);
    const one = bootstrapMedianShift(a, b, { seed: 7 });
    expect(bootstrapMedianShift(a, b, { seed: 7 })).toEqual(one);
    expect(one.estimate).toBe(30);
    expect(one.lower).toBeLessThanOrEqual(30);
    expect(one.upper).toBeGreaterThanOrEqual(30);
    expect(one.lower).toBeGreaterThan(0);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('median shift interval covers zero when nothing moved', () => {
    const a = [100, 103, 98, 101, 99, 102];
    const b = [101, 99, 102, 100, 98, 103];
    const ci = bootstrapMedianShift(a, b, { seed: 1 });
    expect(ci.lower).toBeLessThan(0);
    expect(ci.upper).toBeGreaterThan(0);
  });
});
