import { describe, expect, it } from 'vitest';
import { formatSummary, mixesCells } from '../../../src/results/summary.js';
import { countsOf, result, summary } from './fixtures.js';

const A = 'ext4/pin-race/index=5,pin=pread,race=truncate#1';
const B = 'xfs/pin-race/index=5,pin=pread,race=truncate#1';

describe('mixesCells', () => {
  it('is false for no results and for one kernel on one target', () => {
    expect(mixesCells([])).toBe(false);
    expect(mixesCells([result(), result({ id: B, fs: 'xfs' })])).toBe(false);
  });

  it('is true for two kernels, or one kernel on two targets', () => {
    expect(mixesCells([result(), result({ kernel: 'patched' })])).toBe(true);
    expect(mixesCells([result({ target: 'a' }), result({ target: 'b' })])).toBe(true);
  });

  it('takes a missing target as local', () => {
    expect(mixesCells([result(), result({ target: 'local' })])).toBe(false);
    expect(mixesCells([result(), result({ target: 'box' })])).toBe(true);
  });
});

describe('formatSummary with results of two kernels', () => {
  const results = [
    result({ kernel: 'stock', target: 'local' }),
    result({ kernel: 'stock', target: 'local', id: B, fs: 'xfs', status: 'fail', reason: 'no wait' }),
    result({ kernel: 'patched', target: 'local' }),
    result({ kernel: 'patched', id: B, fs: 'xfs', status: 'error', reason: 'guest died' }),
  ];
  const lines = formatSummary(summary({ kernel: 'stock, patched' }, countsOf(results)), results);

  it('names each failure "<kernel>@<target>:<id>"', () => {
    expect(lines).toContain(`  FAIL stock@local:${B}: no wait`);
    expect(lines).toContain(`  ERROR patched@local:${B}: guest died`);
    expect(lines.some((l) => l === `  FAIL ${B}: no wait`)).toBe(false);
  });

  it('adds a kernel@target column to the count table, one row per cell, fs and workload', () => {
    const start = lines.indexOf('Results:');
    expect(start).toBe(0);
    expect(lines.slice(1, 6)).toEqual([
      '  kernel@target  fs    workload  pass  fail  skip  error',
      '  stock@local    ext4  pin-race  1     0     0     0',
      '  stock@local    xfs   pin-race  0     1     0     0',
      '  patched@local  ext4  pin-race  1     0     0     0',
      '  patched@local  xfs   pin-race  0     0     0     1',
    ]);
  });

  it('still ends with the verdict line over all kernels', () => {
    expect(lines.at(-1)).toBe('2 passed, 1 failed, 0 skipped, 1 errors');
  });
});

describe('formatSummary with one kernel', () => {
  const results = [
    result({ id: B, fs: 'xfs', status: 'fail', reason: 'no wait' }),
    result(),
    result({ id: 'ext4/pin-race/index=5,pin=pread,race=truncate#2', status: 'error', reason: 'guest died' }),
  ];
  const lines = formatSummary(summary({}, countsOf(results)), results);

  it('names failures by id alone', () => {
    expect(lines).toContain(`  FAIL ${B}: no wait`);
    expect(lines).toContain('  ERROR ext4/pin-race/index=5,pin=pread,race=truncate#2: guest died');
    expect(lines.some((l) => l.includes('stock@local'))).toBe(false);
  });

  it('has no kernel@target column and sorts rows by fs and workload', () => {
    expect(lines.slice(0, 4)).toEqual([
      'Results:',
      '  fs    workload  pass  fail  skip  error',
      '  ext4  pin-race  1     0     0     1',
      '  xfs   pin-race  0     1     0     0',
    ]);
  });

  it('one kernel on an explicit target is still one cell', () => {
    const onTarget = results.map((r) => ({ ...r, target: 'box' }));
    const l = formatSummary(summary({}, countsOf(onTarget)), onTarget);
    expect(l).toContain(`  FAIL ${B}: no wait`);
    expect(l[1]).toBe('  fs    workload  pass  fail  skip  error');
  });
});

describe('formatSummary with one kernel on two targets', () => {
  it('names failures with their target', () => {
    const results = [result({ target: 'a', status: 'fail', reason: 'r1' }), result({ target: 'b' })];
    const lines = formatSummary(summary({}, countsOf(results)), results);
    expect(lines).toContain(`  FAIL stock@a:${A}: r1`);
    expect(lines[1]).toMatch(/^ {2}kernel@target {2}fs/);
  });
});

describe('formatSummary names known issues, flaky cases and failure rates with their cell', () => {
  const A2 = A.replace('#1', '#2');
  const results = [
    result({ kernel: 'k1', status: 'xfail', reason: 'known', known: { reason: 'r', ref: 'bug 1' } }),
    result({ kernel: 'k2', status: 'flaky', reason: 'once' }),
    result({ kernel: 'k1', id: A2, status: 'pass' }),
    result({ kernel: 'k2', id: A2, status: 'fail', reason: 'no wait' }),
  ];
  const lines = formatSummary(summary({ kernel: 'k1, k2' }, countsOf(results)), results);

  it('XFAIL and FLAKY lines carry <kernel>@<target>:', () => {
    expect(lines).toContain(`  XFAIL k1@local:${A}: known [bug 1]`);
    expect(lines).toContain(`  FLAKY k2@local:${A}: once`);
  });

  it('the failure rate of each cell says which cell it is', () => {
    const rates = lines.filter((l) => / {2}ext4\/pin-race\//.test(l) || /@local:ext4\/pin-race\/index=5,pin=pread,race=truncate$/.test(l));
    expect(rates.some((l) => l.endsWith('k1@local:ext4/pin-race/index=5,pin=pread,race=truncate'))).toBe(true);
    expect(rates.some((l) => l.endsWith('k2@local:ext4/pin-race/index=5,pin=pread,race=truncate'))).toBe(true);
  });
});
