// The layout-break watchdog can fail: with fsdax-put-no-wakeup.patch nothing wakes a truncate that
// waits for a pinned DAX page once the pin is released (what Debian's 6.1 does for block O_DIRECT
// pins), so every racing call is interrupted by the guest programs' watchdog and the case FAILs
// with the time it was still waiting. Without the patch every case passes and no watchdog fires.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const PLAN = 'test/plans/lost-wakeup.yaml';
const CASES = 16;

describe('lost wakeup of the layout-break wait', () => {
  it('stock 6.12: every racing call returns by itself after the pin', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    expect(r.report!.results).toHaveLength(CASES);
    const bad = r.report!.results.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.reason}`);
    expect(bad).toEqual([]);
    for (const c of r.report!.results) expect(c.details?.watchdogMs, c.id).toBe(-1);
    expect(r.exitCode).toBe(0);
  });

  it('fsdax-put-no-wakeup.patch: every racing call is still waiting 2 s after the pin, and FAILs', async () => {
    const r = await daxlab(['run', PLAN, '--patch', 'test/patches/fsdax-put-no-wakeup.patch']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    expect(r.report!.results).toHaveLength(CASES);
    for (const c of r.report!.results) {
      expect(c.status, `${c.id}: ${c.reason}`).toBe('fail');
      expect(c.reason, c.id).toMatch(/never returned after .* completed: still waiting \d+ ms later, when the guest's watchdog interrupted it/);
      expect(c.details?.watchdogMs as number, c.id).toBeGreaterThanOrEqual(2000);
    }
    expect(r.exitCode).toBe(1);
  });
});
