import { describe, expect, it } from 'vitest';
import { checkResult } from '../../../src/workloads/guest-json.js';
import { output } from './fixtures.js';

describe('checkResult', () => {
  it('turns a {"skip": reason} line into a skip verdict with that reason, for any program', () => {
    expect(checkResult('x', output({ skip: 'no gup_test in this kernel' }))).toEqual({
      verdict: { status: 'skip', reason: 'no gup_test in this kernel', timings: {} },
    });
  });

  it('still reports errors, timeouts and a missing line as errors', () => {
    expect(checkResult('x', output({ error: 'boom', errno: 5 }, { exitCode: 3 }))).toMatchObject({
      verdict: { status: 'error', reason: 'x: boom: EIO (5)' },
    });
    expect(checkResult('x', output('no json\n', { timedOut: true }))).toMatchObject({ verdict: { status: 'error', reason: 'x timed out' } });
    expect(checkResult('x', output('no json\n'))).toMatchObject({ verdict: { status: 'error', reason: 'x printed no JSON result (exit 0)' } });
    expect(checkResult('x', output({ ok: 1 }))).toEqual({ line: { ok: 1 } });
  });
});
