import { describe, expect, it } from 'vitest';
import { formatMargins, oracleMargins } from '../../../src/results/margins.js';
import type { CaseResult } from '../../../src/results/types.js';

const r = (workload: string, status: CaseResult['status'], returnAfterPinMs?: number, waitSeenMs?: number): CaseResult => ({
  id: `ext4/${workload}/-#1`, kernel: 'k', backend: 'pmem', fs: 'ext4', workload, params: {}, repeat: 1, status, reason: '',
  timings: { ...(returnAfterPinMs === undefined ? {} : { returnAfterPinMs }), ...(waitSeenMs === undefined ? {} : { waitSeenMs }) },
  klogMatches: [], startedAt: '', durationMs: 1,
});

describe('oracleMargins', () => {
  it('reports per workload how close passing calls came to the tolerance and how early failing ones were', () => {
    const ms = oracleMargins([
      r('pin-race', 'pass', 1.2, 390), r('pin-race', 'pass', -12, 380), r('pin-race', 'fail', -390), r('pin-race', 'xfail', -385),
      r('pin-reuse', 'pass', 3, 400), r('pin-reuse', 'error', -40), r('register-buffers', 'pass'),
    ], 50);
    expect(ms.map((m) => m.workload)).toEqual(['pin-race', 'pin-reuse']);
    expect(ms[0]).toMatchObject({ headroomMs: 38, minWaitSeenMs: 380 });
    expect(ms[0]!.passed).toMatchObject({ n: 2, min: -12, max: 1.2 });
    expect(ms[0]!.failed).toMatchObject({ n: 2, min: -390, max: -385 });
    expect(ms[1]!.failed.n).toBe(0);
    expect(formatMargins(ms, 50)[1]).toBe('  pin-race: 2 passed, returned -12.0 .. -5.4 (median) .. 1.2 ms after the pin, headroom 38.0 ms, asleep in the wait >= 380.0 ms; 2 failed, -390.0 .. -385.0 ms');
  });
});
