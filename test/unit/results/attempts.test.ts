// Folding a case's attempts (first failure plus re-runs) into one result, and how every reporter
// shows a flaky case.
import { describe, expect, it } from 'vitest';
import { foldAttempts } from '../../../src/results/attempts.js';
import { formatCaseLine, formatSummary } from '../../../src/results/console.js';
import { toJsonReport, fromJsonReport } from '../../../src/results/json.js';
import { toJUnit } from '../../../src/results/junit.js';
import { countStatuses, exitCodeFor } from '../../../src/run/exit-code.js';
import { countsOf, result, summary } from './fixtures.js';

const fail1 = result({
  status: 'fail', reason: 'ftruncate returned 392 ms before the pinned read completed', durationMs: 600,
  timings: { raceAfterPinMs: -392 }, klogMatches: ['WARNING: at fs/dax.c:397'],
});
const fail2 = result({ status: 'fail', reason: 'ftruncate returned 12 ms early', durationMs: 610, timings: { raceAfterPinMs: -12 } });
const pass = result({ status: 'pass', reason: 'ftruncate waited for the pin', durationMs: 620, timings: { raceAfterPinMs: 1.5 } });
const error = result({ status: 'error', reason: 'delay device did not hold the pin', durationMs: 100, timings: {} });

describe('foldAttempts', () => {
  it('returns a single attempt as it is', () => {
    expect(foldAttempts([pass])).toBe(pass);
  });

  it('fail then pass is flaky, with the first failure as evidence and every attempt listed', () => {
    const r = foldAttempts([fail1, fail2, pass]);
    expect(r.status).toBe('flaky');
    expect(r.reason).toBe('failed 2 of 3 attempts: ftruncate returned 392 ms before the pinned read completed');
    expect(r.timings).toEqual({ raceAfterPinMs: -392 });
    expect(r.klogMatches).toEqual(['WARNING: at fs/dax.c:397']);
    expect(r.durationMs).toBe(1830);
    expect(r.attempts).toEqual([
      { status: 'fail', reason: fail1.reason, durationMs: 600 },
      { status: 'fail', reason: fail2.reason, durationMs: 610 },
      { status: 'pass', reason: pass.reason, durationMs: 620 },
    ]);
  });

  it('all failing is a fail', () => {
    const r = foldAttempts([fail1, fail2, fail1]);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('failed 3 of 3 attempts: ftruncate returned 392 ms before the pinned read completed');
    expect(r.attempts).toHaveLength(3);
  });

  it('known issues keep their label: xfail then pass is flaky, xfail only is xfail', () => {
    expect(foldAttempts([{ ...fail1, status: 'xfail' }, pass]).status).toBe('flaky');
    expect(foldAttempts([{ ...fail1, status: 'xfail' }, { ...fail2, status: 'xfail' }]).status).toBe('xfail');
  });

  it('an error then a pass is a pass that says so; errors only stay an error', () => {
    const r = foldAttempts([error, pass]);
    expect(r.status).toBe('pass');
    expect(r.reason).toBe('ftruncate waited for the pin (passed on attempt 2 of 2 after error: delay device did not hold the pin)');
    expect(foldAttempts([error, error]).status).toBe('error');
    expect(() => foldAttempts([])).toThrow(RangeError);
  });
});

describe('flaky in the reports', () => {
  const flaky = foldAttempts([fail1, pass]);
  const results = [result(), flaky];

  it('console: FLAKY line, a flaky count line before the verdict, the verdict line unchanged', () => {
    expect(formatCaseLine(flaky)).toMatch(/^FLAKY ext4\/pin-race/);
    const lines = formatSummary(summary({}, countsOf(results)), results);
    expect(lines.slice(-2)).toEqual(['flaky: 1 case failed, then passed when re-run', '1 passed, 0 failed, 0 skipped, 0 errors']);
    expect(lines).toContain('  fs    workload  pass  fail  skip  error  flaky');
    expect(lines).toContain('Flaky (failed, then passed when re-run):');
  });

  it('JSON: the status and the attempts survive a round trip', () => {
    const back = fromJsonReport(JSON.parse(JSON.stringify(toJsonReport(summary(), results))));
    expect(back.results[1]).toMatchObject({ status: 'flaky', attempts: flaky.attempts });
  });

  it('JUnit: a passing testcase with a flakyFailure per failed attempt (Surefire convention)', () => {
    const xml = toJUnit(summary({}, countsOf(results)), results);
    expect(xml).toContain('failures="0" errors="0" skipped="0"');
    expect(xml).toMatch(/<flakyFailure message="ftruncate returned 392 ms before the pinned read completed" type="fail"><stackTrace>ftruncate returned 392 ms[^<]*kernel log:/);
    expect(xml).not.toContain('<failure');
  });

  it('exit codes: 1 > 69 > 3 > 4 > 0', () => {
    const code = (...s: Array<'pass' | 'fail' | 'skip' | 'error' | 'xfail' | 'xpass' | 'flaky'>) =>
      exitCodeFor(countStatuses(s.map((status) => ({ status }))));
    expect(code('pass', 'flaky', 'error', 'fail')).toBe(1);
    expect(code('pass', 'flaky', 'xpass')).toBe(1);
    expect(code('pass', 'flaky', 'error', 'skip')).toBe(69);
    expect(code('pass', 'flaky', 'skip')).toBe(3);
    expect(code('skip', 'skip')).toBe(4);
    expect(code('skip', 'xfail')).toBe(0);
    expect(code('pass', 'skip')).toBe(0);
    expect(code()).toBe(0);
    // A results.json from before flaky existed has no flaky count.
    expect(exitCodeFor({ pass: 1, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0 })).toBe(0);
  });
});
