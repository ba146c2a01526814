import { describe, expect, it } from 'vitest';
import { explainingCase, failingFindings } from '../../../src/results/findings.js';
import type { KlogFinding } from '../../../src/results/types.js';
import { formatSummary } from '../../../src/results/summary.js';
import { result, summary } from './fixtures.js';

const WARN = '[   13.526469] WARNING: CPU: 1 PID: 145 at fs/dax.c:390 dax_disassociate_entry+0x41/0x72';
const ALONE = '[    9.571242] WARNING: CPU: 0 PID: 129 at fs/dax.c:390 dax_disassociate_entry+0x41/0x72';
const overlap = (over: Partial<KlogFinding> = {}): KlogFinding => ({
  phase: 'overlap', cases: ['ext4/a#1', 'ext4/b#1'], serialLog: 's', lines: [WARN], kernel: 'stock', ...over,
});

describe('failingFindings: overlap lines a case logs again alone', () => {
  it('explains an overlap line that one of its cases logged again in its own window (other CPU, PID, time)', () => {
    const results = [result({ id: 'ext4/a#1', status: 'xfail', klogMatches: [] }), result({ id: 'ext4/b#1', status: 'xfail', klogMatches: [ALONE] })];
    expect(explainingCase(overlap(), results)).toBe('ext4/b#1');
    expect(failingFindings([overlap()], results)).toEqual([]);
  });

  it('keeps failing when no re-run logged it, or only a different line', () => {
    const other = '[ 9.1] WARNING: CPU: 0 PID: 1 at fs/dax.c:400 dax_insert_entry+0x1/0x2';
    const results = [result({ id: 'ext4/a#1', klogMatches: [] }), result({ id: 'ext4/b#1', status: 'fail', klogMatches: [other] })];
    expect(failingFindings([overlap()], results)).toHaveLength(1);
  });

  it('needs every line of the finding from one case', () => {
    const two = overlap({ lines: [WARN, '[ 13.6] BUG: KASAN: use-after-free in dax_foo+0x1/0x2'] });
    const results = [result({ id: 'ext4/a#1', klogMatches: ['[ 2.0] BUG: KASAN: use-after-free in dax_foo+0x9/0x10'] }), result({ id: 'ext4/b#1', klogMatches: [ALONE] })];
    expect(failingFindings([two], results)).toHaveLength(1);
    const both = [result({ id: 'ext4/b#1', klogMatches: [ALONE, '[ 2.0] BUG: KASAN: use-after-free in dax_foo+0x9/0x10'] })];
    expect(failingFindings([two], both)).toEqual([]);
  });

  it('does not take a case of another kernel, or a case the finding does not name', () => {
    expect(failingFindings([overlap()], [result({ id: 'ext4/b#1', kernel: 'thp', klogMatches: [ALONE] })])).toHaveLength(1);
    expect(failingFindings([overlap()], [result({ id: 'ext4/c#1', klogMatches: [ALONE] })])).toHaveLength(1);
  });

  it('never explains findings between cases, at boot or at the end', () => {
    const results = [result({ id: 'ext4/a#1', klogMatches: [ALONE] })];
    for (const phase of ['between', 'boot', 'end'] as const) {
      expect(failingFindings([{ phase, after: 'ext4/a#1', lines: [WARN] }], results)).toHaveLength(1);
    }
  });
});

describe('formatSummary: explained overlap findings', () => {
  it('says which findings fail the run and which case logged the others again alone', () => {
    const results = [result({ id: 'ext4/b#1', status: 'xfail', klogMatches: [ALONE] })];
    const between: KlogFinding = { phase: 'between', after: 'ext4/b#1', lines: [WARN] };
    const text = formatSummary(summary({ findings: [overlap(), between] }, { xfail: 1 }), results).join('\n');
    expect(text).toMatch(/Kernel-log findings outside cases \(2; 1 fail the run; the others were logged again by a case run alone\)/);
    expect(text).toMatch(/explained: ext4\/b#1, run alone, logged it in its own window/);
  });
});
