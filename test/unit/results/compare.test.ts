import { describe, it, expect } from 'vitest';
import { compareRuns, formatComparison } from '../../../src/results/compare.js';
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
]);
const b = run('fixed', [
  result({ id: 'pp', timings: { pinMs: 1000 } }),
  result({ id: 'pf', status: 'fail', reason: 'kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry', timings: { pinMs: 1000 } }),
  result({ id: 'fp', timings: { pinMs: 1000 } }),
  result({ id: 'ff', status: 'fail', reason: 'new failure', timings: { pinMs: 1000 } }),
  result({ id: 'ps', status: 'skip', reason: 'no dax', timings: {} }),
  result({ id: 'ee', status: 'error', reason: 'guest died', timings: {} }),
  result({ id: 'added', workload: 'mmap-pin', timings: { faultMs: 4 } }),
]);

describe('compareRuns', () => {
  const c = compareRuns(a, b);

  it('classifies each case by id', () => {
    expect(Object.fromEntries(c.cases.map((x) => [x.id, x.kind]))).toEqual({
      pp: 'still-passing',
      pf: 'regressed',
      fp: 'fixed',
      ff: 'still-failing',
      ps: 'changed',
      ee: 'unchanged',
      gone: 'missing',
      added: 'new',
    });
    expect(c.counts).toEqual({ regressed: 1, fixed: 1, changed: 1, 'still-failing': 1, new: 1, missing: 1, unchanged: 1, 'still-passing': 1 });
    expect(c.cases.find((x) => x.id === 'gone')).toEqual({ id: 'gone', kind: 'missing', a: 'pass', reasonA: 'racer waited 512 ms' });
  });

  it('computes median deltas per workload.timing', () => {
    expect(c.timings.map((t) => [t.key, t.a?.median, t.b?.median, t.delta, t.ratio])).toEqual([
      ['mmap-pin.faultMs', undefined, 4, undefined, undefined],
      ['pin-race.pinMs', 510, 1000, 490, 1000 / 510],
    ]);
  });

  it('lets the latest result win when an id repeats', () => {
    const x = compareRuns(run('a', [result({ id: 'i', status: 'fail' }), result({ id: 'i' })]), run('b', [result({ id: 'i' })]));
    expect(x.cases).toEqual([expect.objectContaining({ id: 'i', kind: 'still-passing' })]);
  });
});

describe('formatComparison', () => {
  it('lists transitions (not steady passes) and timing medians', () => {
    expect(formatComparison(compareRuns(a, b))).toEqual([
      'Comparing stock (smoke) -> fixed (smoke)',
      '1 regressed, 1 fixed, 1 changed, 1 still-failing, 1 new, 1 missing, 1 unchanged, 1 still-passing',
      'regressed:',
      '  pf  pass -> fail  kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry',
      'fixed:',
      '  fp  fail -> pass  racer did not wait',
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
      'Timings:',
      '  timing            median a  median b  delta',
      '  mmap-pin.faultMs  -         4 ms      -',
      '  pin-race.pinMs    510 ms    1.00 s    +490 ms (x1.96)',
    ]);
  });

  it('says so when both runs are empty', () => {
    expect(formatComparison(compareRuns(run('a', []), run('b', [])))).toEqual(['Comparing a (smoke) -> b (smoke)', 'no cases']);
  });
});
