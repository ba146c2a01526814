import { describe, it, expect } from 'vitest';
import { compareRuns, comparisonExitCode } from '../../../src/results/compare.js';
import { formatComparison, formatP } from '../../../src/results/compare-format.js';
import { mulberry32 } from '../../../src/results/inference/prng.js';
import { compareTimings, DEFAULT_TIMING_SETTINGS } from '../../../src/results/timing-compare.js';
import type { CaseResult } from '../../../src/results/types.js';
import { countsOf, result, summary } from './fixtures.js';

function run(kernel: string, results: CaseResult[]) {
  return { summary: summary({ kernel }, countsOf(results)), results };
}

const a = run('stock', [
  result({ id: 'pp', timings: { pinMs: 500 } }),
  result({ id: 'pf', timings: { pinMs: 500 } }),
  result({ id: 'fp', status: 'fail', reason: 'racer did not wait', timings: { pinMs: 520 } }),
  result({ id: 'ff', status: 'fail', reason: 'old failure', timings: { pinMs: 540 } }),
  result({ id: 'ps', timings: {} }),
  result({ id: 'ee', status: 'error', reason: 'guest died', timings: {} }),
  result({ id: 'gone', timings: {} }),
  result({ id: 'fl#1', timings: {} }),
  result({ id: 'fl#2', timings: {} }),
]);
const b = run('fixed', [
  result({ id: 'pp', timings: { pinMs: 1000 } }),
  result({ id: 'pf', status: 'fail', reason: 'kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry', timings: { pinMs: 1000 } }),
  result({ id: 'fp', timings: { pinMs: 1000 } }),
  result({ id: 'ff', status: 'fail', reason: 'new failure', timings: { pinMs: 1000 } }),
  result({ id: 'ps', status: 'skip', reason: 'no dax', timings: {} }),
  result({ id: 'ee', status: 'error', reason: 'guest died', timings: {} }),
  result({ id: 'added', workload: 'mmap-pin', timings: { faultMs: 4 } }),
  result({ id: 'fl#1', timings: {} }),
  result({ id: 'fl#2', status: 'fail', reason: 'raced once', timings: {} }),
]);

describe('compareRuns: status', () => {
  const c = compareRuns(a, b);

  it('classifies each case over its repeats', () => {
    expect(Object.fromEntries(c.cases.map((x) => [x.id, x.kind]))).toEqual({
      pp: 'still-passing',
      pf: 'regressed',
      fp: 'fixed',
      ff: 'still-failing',
      ps: 'changed',
      ee: 'unchanged',
      gone: 'missing',
      fl: 'newly-flaky',
      added: 'new',
    });
    expect(c.counts).toMatchObject({ regressed: 1, fixed: 1, 'newly-flaky': 1, changed: 1, 'still-failing': 1, new: 1, missing: 1, unchanged: 1, 'still-passing': 1 });
    expect(c.cases.find((x) => x.id === 'fl')?.b).toMatchObject({ outcome: 'flaky', statuses: ['pass', 'fail'], rate: { failed: 1, ran: 2 } });
  });

  it('lets the latest result win when an id repeats', () => {
    const x = compareRuns(run('a', [result({ id: 'i', status: 'fail' }), result({ id: 'i' })]), run('b', [result({ id: 'i' })]));
    expect(x.cases).toEqual([expect.objectContaining({ id: 'i', kind: 'still-passing' })]);
  });

  it('a flaky result counts as flaky, and flaky -> fail is a regression', () => {
    const x = compareRuns(run('a', [result({ id: 'k', status: 'flaky' })]), run('b', [result({ id: 'k', status: 'fail' })]));
    expect(x.cases[0]?.kind).toBe('regressed');
    expect(compareRuns(run('a', [result({ id: 'k' })]), run('b', [result({ id: 'k', status: 'flaky' })])).cases[0]?.kind).toBe('newly-flaky');
  });

  it('exit code: 1 on a regression, 3 when only newly flaky, 0 otherwise', () => {
    expect(comparisonExitCode(c)).toBe(1);
    const onlyFlaky = compareRuns(run('a', [result({ id: 'k' })]), run('b', [result({ id: 'k', status: 'flaky' })]));
    expect(comparisonExitCode(onlyFlaky)).toBe(3);
    expect(comparisonExitCode(compareRuns(run('a', [result({ id: 'k' })]), run('b', [result({ id: 'k' })])))).toBe(0);
  });
});

describe('formatComparison', () => {
  it('lists status changes first, then the timing verdict', () => {
    expect(formatComparison(compareRuns(a, b))).toEqual([
      'Comparing stock (smoke) -> fixed (smoke)',
      '1 regressed, 1 fixed, 1 newly-flaky, 1 changed, 1 still-failing, 1 new, 1 missing, 1 unchanged, 1 still-passing',
      'regressed:',
      '  pf  pass -> fail  kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry',
      'fixed:',
      '  fp  fail -> pass  racer did not wait',
      'newly-flaky:',
      '  fl  pass -> flaky (1 of 2 repeats failed)  raced once',
      'changed:',
      '  ps  pass -> skip  no dax',
      'still-failing:',
      '  ff  fail -> fail  new failure',
      'new:',
      '  added  - -> pass  racer waited 512 ms',
      'missing:',
      '  gone  pass -> -  racer waited 512 ms',
      'unchanged:',
      '  ee  error -> error  guest died',
      'timing: no regression (Mann-Whitney U, Holm over 0 comparisons, alpha 0.05, |shift| > 20 ms, 95% bootstrap CI excluding 0)',
      'timing: 4 case timing(s) with fewer than 2 repeats on a side were not tested',
    ]);
  });

  it('says so when both runs are empty', () => {
    expect(formatComparison(compareRuns(run('a', []), run('b', [])))[1]).toBe('no cases');
  });

  it('formats p-values', () => {
    expect([formatP(0.5), formatP(0.0312), formatP(0.0000421)]).toEqual(['0.5', '0.031', '4.2e-5']);
  });
});

// Repeats of one case with a timing drawn around a centre with +-5 ms of noise (seeded).
function repeats(id: string, n: number, centre: number, seed: number): CaseResult[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) =>
    result({ id: `${id}#${i + 1}`, timings: { pinMs: 500, raceAfterPinMs: Math.round((centre + (random() - 0.5) * 10) * 10) / 10 } }));
}

describe('compareTimings', () => {
  const s = DEFAULT_TIMING_SETTINGS;

  it('finds a +30 ms shift with 10 repeats and estimates it inside its interval', () => {
    const ta = [...repeats('c1', 10, 1.5, 1), ...repeats('c2', 10, 2, 2)];
    const tb = [...repeats('c1', 10, 31.5, 3), ...repeats('c2', 10, 2, 4)];
    const t = compareTimings(ta, tb, s);
    // pinMs never varies (the plan's setting): not tested. Two cases x raceAfterPinMs are.
    expect(t.tests.map((x) => `${x.case} ${x.timing}`)).toEqual(['c1 raceAfterPinMs', 'c2 raceAfterPinMs']);
    expect(t.regressions).toHaveLength(1);
    const r = t.regressions[0]!;
    expect(r.case).toBe('c1');
    expect(r.shift.estimate).toBeGreaterThan(25);
    expect(r.shift.estimate).toBeLessThan(35);
    expect(r.shift.lower).toBeLessThanOrEqual(r.shift.estimate);
    expect(r.shift.upper).toBeGreaterThanOrEqual(r.shift.estimate);
    expect(r.pAdjusted).toBeLessThan(0.05);
    expect(t.powerNote).toBeUndefined();
  });

  it('never compares evidence timings (waitSeenMs), however far they move', () => {
    const seen = (id: string, centre: number) => Array.from({ length: 10 }, (_, i) =>
      result({ id: `${id}#${i + 1}`, timings: { returnAfterPinMs: 2 + (i % 3), waitSeenMs: centre + i } }));
    const t = compareTimings(seen('c', 395), seen('c', 300), s);
    expect(t.tests.map((x) => x.timing)).toEqual(['returnAfterPinMs']);
    expect(t.regressions).toEqual([]);
  });

  it('a significant shift under the threshold is not a regression', () => {
    const t = compareTimings(repeats('c', 10, 1.5, 5), repeats('c', 10, 16.5, 6), s);
    expect(t.tests[0]!.pAdjusted).toBeLessThan(0.05);
    expect(t.regressions).toEqual([]);
  });

  it('noise without a shift: no regression over many cases', () => {
    const ta = Array.from({ length: 20 }, (_, i) => repeats(`c${i}`, 5, 1.5, 100 + i)).flat();
    const tb = Array.from({ length: 20 }, (_, i) => repeats(`c${i}`, 5, 1.5, 200 + i)).flat();
    expect(compareTimings(ta, tb, s).regressions).toEqual([]);
  });

  it('says when the repeats are too few for any timing shift to be significant', () => {
    const t = compareTimings(repeats('c', 3, 1.5, 7), repeats('c', 3, 400, 8), s);
    expect(t.tests).toHaveLength(1);
    expect(t.regressions).toEqual([]);
    expect(t.powerNote).toBe('with 3 repeats per side the rank test cannot reach p < 0.05 after the Holm correction over 1 comparisons; run with --repeats 4 or more to detect timing shifts');
  });

  it('same seed, same intervals', () => {
    const ta = repeats('c', 6, 1.5, 9);
    const tb = repeats('c', 6, 40, 10);
    expect(compareTimings(ta, tb, s)).toEqual(compareTimings(ta, tb, s));
    expect(compareTimings(ta, tb, { ...s, seed: 2 }).tests[0]!.shift).not.toEqual(compareTimings(ta, tb, s).tests[0]!.shift);
  });
});
