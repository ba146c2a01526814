import { describe, expect, it } from 'vitest';
import type { KnownIssue } from '../../../src/plan/types.js';
import { compareRuns } from '../../../src/results/compare.js';
import { formatCaseLine } from '../../../src/results/console.js';
import { applyKnownIssues, findKnownIssue, knownIssuesFor } from '../../../src/results/known.js';
import { toJUnit } from '../../../src/results/junit.js';
import { timingStats } from '../../../src/results/stats.js';
import { formatSummary, knownLine } from '../../../src/results/summary.js';
import type { CaseResult } from '../../../src/results/types.js';
import { countStatuses, exitCodeFor } from '../../../src/run/exit-code.js';
import { countsOf, result, summary } from './fixtures.js';

const KNOWN: KnownIssue[] = [
  { case: '*/pin-unlink/*', reason: '6.12 evicts a pinned DAX inode', ref: 'v6.15 fs/dax refcount series' },
  { case: '*', reason: 'catch-all', ref: 'never used first' },
];
const ID = 'ext4/pin-unlink/mode=close#1';
const WARN = 'kernel log: WARNING at ../src/fs/dax.c:390 dax_disassociate_entry';

function unlink(over: Partial<CaseResult> = {}): CaseResult {
  return result({ id: ID, workload: 'pin-unlink', params: { mode: 'close' }, timings: { pinMs: 510 }, ...over });
}

describe('knownIssuesFor', () => {
  const scoped: KnownIssue[] = [
    { case: '*/pin-munmap/*', reason: 'any kernel', ref: 'a' },
    { case: '*/pin-unlink/*', reason: 'before the refcount series', ref: 'b', kernels: ['6.1', '>=6.12 <6.15'] },
    { case: '*/pin-race/*', reason: 'only 6.1', ref: 'c', kernels: ['6.1'] },
  ];

  it("keeps unscoped entries and those whose ranges hold the kernel's release", () => {
    expect(knownIssuesFor(scoped, '6.1.192').map((k) => k.ref)).toEqual(['a', 'b', 'c']);
    expect(knownIssuesFor(scoped, '6.12.118').map((k) => k.ref)).toEqual(['a', 'b']);
    expect(knownIssuesFor(scoped, '6.15.0').map((k) => k.ref)).toEqual(['a']);
  });

  it('with no release known, applies only the unscoped entries', () => {
    expect(knownIssuesFor(scoped, null).map((k) => k.ref)).toEqual(['a']);
  });

  it('so a 6.1-only failure stays a FAIL on 6.12', () => {
    const race = result({ id: 'ext4/pin-race/index=0#1', workload: 'pin-race', status: 'fail', reason: 'r' });
    expect(applyKnownIssues(race, knownIssuesFor(scoped, '6.12.118')).status).toBe('fail');
    expect(applyKnownIssues(race, knownIssuesFor(scoped, '6.1.192')).status).toBe('xfail');
  });
});

describe('applyKnownIssues', () => {
  it('turns a matching fail into xfail, keeping the reason behind "known issue: "', () => {
    const r = applyKnownIssues(unlink({ status: 'fail', reason: WARN, klogMatches: ['[1.0] WARNING: x'] }), KNOWN);
    expect(r).toMatchObject({
      status: 'xfail',
      reason: `known issue: ${WARN}`,
      known: { reason: '6.12 evicts a pinned DAX inode', ref: 'v6.15 fs/dax refcount series' },
      klogMatches: ['[1.0] WARNING: x'],
      timings: { pinMs: 510 },
    });
  });

  it('flags a matching pass as xpass', () => {
    const r = applyKnownIssues(unlink({ reason: 'the read completed' }), KNOWN);
    expect(r.status).toBe('xpass');
    expect(r.reason).toBe(
      'expected to fail (6.12 evicts a pinned DAX inode) but passed: remove the known-issue entry if it was fixed',
    );
    expect(r.known?.ref).toBe('v6.15 fs/dax refcount series');
  });

  it('keeps skip and error as they are, with the entry attached', () => {
    for (const status of ['skip', 'error'] as const) {
      const r = applyKnownIssues(unlink({ status, reason: 'guest died' }), KNOWN);
      expect(r).toMatchObject({ status, reason: 'guest died', known: { ref: 'v6.15 fs/dax refcount series' } });
    }
  });

  it('returns an unmatched result untouched, and never mutates its input', () => {
    const r = result({ status: 'fail', reason: 'x' });
    expect(applyKnownIssues(r, KNOWN.slice(0, 1))).toBe(r);
    expect(applyKnownIssues(r, [])).toBe(r);
    const f = unlink({ status: 'fail', reason: WARN });
    applyKnownIssues(f, KNOWN);
    expect(f.status).toBe('fail');
    expect(f.known).toBeUndefined();
  });

  it('uses the first matching entry and is idempotent', () => {
    expect(findKnownIssue('xfs/pin-race/-#1', KNOWN)?.reason).toBe('catch-all');
    expect(findKnownIssue(ID, KNOWN)?.reason).toBe('6.12 evicts a pinned DAX inode');
    const once = applyKnownIssues(unlink({ status: 'fail', reason: WARN }), KNOWN);
    expect(applyKnownIssues(once, KNOWN)).toEqual(once);
  });
});

describe('known issues in the reports', () => {
  const xfail = applyKnownIssues(unlink({ status: 'fail', reason: WARN }), KNOWN);
  const xpass = applyKnownIssues(unlink({ id: 'xfs/pin-unlink/mode=close#1', fs: 'xfs', reason: 'ok' }), KNOWN);
  const results = [result(), xfail, xpass];

  it('labels case lines XFAIL and XPASS', () => {
    expect(formatCaseLine(xfail)).toBe(`XFAIL ${ID}  0.52s  known issue: ${WARN}`);
    expect(formatCaseLine(xpass)).toMatch(/^XPASS xfs\/pin-unlink\/mode=close#1 {2}0\.52s {2}expected to fail/);
    expect(formatCaseLine(xfail, true)).toMatch(/^\x1b\[36mXFAIL\x1b\[0m /);
  });

  it('counts them apart from pass and fail, and puts the known line just before the verdict line', () => {
    const counts = countStatuses(results);
    expect(counts).toEqual({ pass: 1, fail: 0, skip: 0, error: 0, xfail: 1, xpass: 1, flaky: 0 });
    const lines = formatSummary(summary({}, counts), results);
    expect(lines.slice(-3)).toEqual([
      'Total: 3 cases in 1m05s (plan smoke, kernel stock, accel kvm)',
      'known issues: 1 failed as expected, 1 passed unexpectedly',
      '1 passed, 0 failed, 0 skipped, 0 errors',
    ]);
    expect(lines).toContain('  fs    workload    pass  fail  skip  error  xfail  xpass');
    expect(lines).toContain('  ext4  pin-unlink  0     0     0     0      1      0');
    expect(lines).toContain('Known issues:');
    expect(lines).toContain(`  XFAIL ${ID}: known issue: ${WARN} [v6.15 fs/dax refcount series]`);
    expect(lines.indexOf('  XPASS xfs/pin-unlink/mode=close#1: ' + xpass.reason + ' [v6.15 fs/dax refcount series]')).toBeGreaterThan(
      lines.indexOf('Known issues:'),
    );
    expect(lines).not.toContain('Failures and errors:');
  });

  it('leaves the summary as it was when nothing matched, and reads old counts without xfail/xpass', () => {
    expect(knownLine({ pass: 1, fail: 0, skip: 0, error: 0 })).toBeUndefined();
    const lines = formatSummary(summary({}, countsOf([result()])), [result()]);
    expect(lines.some((l) => l.startsWith('known issues:') || l.includes('xfail'))).toBe(false);
  });

  it('xfail does not fail the run; xpass exits 1', () => {
    expect(exitCodeFor(countStatuses([result(), xfail]))).toBe(0);
    expect(exitCodeFor(countStatuses([result(), xfail, xpass]))).toBe(1);
    expect(exitCodeFor(countStatuses([xfail, { ...result(), status: 'error' }]))).toBe(69);
  });

  it('JUnit: xfail is skipped with the known-issue message, xpass a failure', () => {
    const xml = toJUnit(summary({}, countStatuses(results)), results);
    expect(xml).toContain('<testsuites name="daxlab smoke" tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toContain(
      `<skipped message="known issue: ${WARN}">known issue: ${WARN}\nknown issue: 6.12 evicts a pinned DAX inode\nref: v6.15 fs/dax refcount series\ntimings (ms):\n  pinMs = 510</skipped>`,
    );
    expect(xml).toContain('<failure message="unexpected pass: expected to fail (6.12 evicts a pinned DAX inode) but passed:');
  });

  it('timing stats keep xfail and xpass: they ran to completion', () => {
    expect(timingStats(results)['pin-unlink.pinMs']?.n).toBe(2);
  });

  it('compare treats xfail as a fail and xpass as a pass', () => {
    const run = (rs: CaseResult[]) => ({ summary: summary({}, countStatuses(rs)), results: rs });
    const plainFail = unlink({ status: 'fail', reason: WARN });
    const c = compareRuns(run([plainFail, result({ id: 'p' })]), run([xfail, applyKnownIssues(result({ id: 'p', status: 'fail' }), [{ case: 'p', reason: 'r', ref: 'x' }])]));
    expect(c.cases.map((x) => [x.id, x.kind, x.a?.statuses.join(), x.b?.statuses.join()])).toEqual([
      [ID.replace(/#\d+$/, ''), 'still-failing', 'fail', 'xfail'],
      ['p', 'regressed', 'pass', 'xfail'],
    ]);
    expect(compareRuns(run([xfail]), run([applyKnownIssues(unlink(), KNOWN)])).cases[0]?.kind).toBe('fixed');
  });
});
