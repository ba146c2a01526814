import { describe, expect, it } from 'vitest';
import { windowReclaim } from '../../../src/workloads/window-reclaim.js';
import { ENV, output, testCase } from './fixtures.js';

const tc = testCase('window-reclaim', { index: 5, pin: 'iopoll', ranges: 600 }, undefined, 'virtiofs');
// What a kernel that waits gives: the touches began during the read, range 0 was reclaimed
// (page 5 unmapped afterwards), and the data is in page 5 only.
const WAITED = {
  pin: 'iopoll', index: 5, ranges: 600, hold_ms: 500, dev_ok: true,
  read_start_ns: 1_000_000, read_end_ns: 501_000_000, read_ret: 4096, read_errno: 0,
  touch_start_ns: 101_000_000, touch_end_ns: 900_000_000, slowest_touch_ns: 400_000_000, slowest_range: 513,
  mapped_after: 0, landed: true, misplaced_range: -1, dax: true,
};

describe('window-reclaim', () => {
  it('runs windowreclaim with the lane device and pin time, as an argv; only on virtiofs; alone on its fs', () => {
    expect(windowReclaim.command(tc, ENV)).toEqual([
      `${ENV.binDir}/windowreclaim`, '--file', expect.stringMatching(/^\/mnt\/dax\//), '--ranges', '600', '--index', '5',
      '--dev', '/dev/nullb0', '--pin', 'iopoll', '--hold-ms', '500', '--lead-ms', expect.stringMatching(/^\d+$/),
    ]);
    expect(windowReclaim.notRunnable?.(tc)).toBeUndefined();
    expect(windowReclaim.notRunnable?.(testCase('window-reclaim', { index: 5 }, undefined, 'xfs'))).toMatch(/virtiofs backend only/);
    expect(windowReclaim.exclusive?.(tc)).toBe('fs');
    expect(windowReclaim.inDefaultPlan).toBe(false);
  });

  it('passes when range 0 was reclaimed and the data landed in the pinned page only', () => {
    const v = windowReclaim.judge(tc, output(WAITED), ENV);
    expect(v.status, v.reason).toBe('pass');
    expect(v.timings.slowestTouchMs).toBe(400);
  });

  it("fails when the data landed in another range's slot, or not in the page", () => {
    const v = windowReclaim.judge(tc, output({ ...WAITED, misplaced_range: 513, landed: false }), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/landed at file offset 1075859456 \(range 513, page 5\).*reclaimed and given to range 513 while the page was pinned/);
    expect(windowReclaim.judge(tc, output({ ...WAITED, landed: false }), ENV).reason).toMatch(/page 5 does not hold the pinned read's data/);
  });

  it('is an error, never a pass, when nothing was reclaimed, nothing raced, or the device or read failed', () => {
    const kept = windowReclaim.judge(tc, output({ ...WAITED, mapped_after: 1 }), ENV);
    expect(kept.status).toBe('error');
    expect(kept.reason).toMatch(/range 0 was never reclaimed .* use more ranges than vm.pmem \/ 2/);
    expect(windowReclaim.judge(tc, output({ ...WAITED, touch_start_ns: 600_000_000 }), ENV).reason).toMatch(/nothing raced/);
    expect(windowReclaim.judge(tc, output({ ...WAITED, dev_ok: false }), ENV).status).toBe('error');
    expect(windowReclaim.judge(tc, output({ ...WAITED, read_ret: -1, read_errno: 5 }), ENV).reason).toMatch(/pinning read failed/);
    expect(windowReclaim.judge(tc, output({ ...WAITED, mapped_after: -1 }), ENV).reason).toMatch(/pagemap/);
    const { landed: _l, ...noLanded } = WAITED;
    expect(windowReclaim.judge(tc, output(noLanded), ENV).reason).toMatch(/lacks landed/);
  });
});
