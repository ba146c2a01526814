// The pin-signal oracle can fail: with the layout-break waits made uninterruptible, SIGALRM no
// longer interrupts a waiting ftruncate (eintr FAILs) and SIGKILL no longer ends it (kill FAILs),
// while the restart mode, which only needs the truncate to wait, still passes.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const PLAN = 'test/plans/pin-signal.yaml';

describe('pin-signal kill patch', () => {
  it('passes eintr, restart and kill on the stock kernel', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const bad = r.report!.results.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.reason}`);
    expect(bad).toEqual([]);
    expect(r.report!.results).toHaveLength(6);
    expect(r.exitCode).toBe(0);
  });

  it('fails eintr and kill, passes restart, when the wait is uninterruptible', async () => {
    const r = await daxlab(['run', PLAN, '--patch', 'test/patches/dax-layout-wait-uninterruptible.patch']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    for (const c of r.report!.results) {
      const mode = String(c.params.mode);
      expect(c.status, `${c.id}: ${c.reason}`).toBe(mode === 'restart' ? 'pass' : 'fail');
      if (mode === 'eintr') expect(c.reason).toMatch(/^ftruncate was not interrupted by SIGALRM/);
      if (mode === 'kill') expect(c.reason).toMatch(/^SIGKILL did not end the wait/);
    }
    expect(r.exitCode).toBe(1);
  });
});
