// The busy-locked oracle fails on the stock kernel, a real finding: Debian's 6.12 scan skips a
// locked DAX entry (get_unlocked_entry() inside xas_for_each() finds no entry), whether the entry
// sits in an xarray node (16 pages) or in the head (one page). With the test-only fix, the scan
// waits in place and every case passes.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const PLAN = 'test/plans/busy-locked.yaml';
const byId = (r: { results: Array<{ id: string; status: string; reason: string }> }) =>
  Object.fromEntries(r.results.map((c) => [c.id.replace(/#\d+$/, ''), c.status]));

describe('busy-locked', () => {
  it('FAILs on stock 6.12, PASSes with the fix', async () => {
    const stock = await daxlab(['run', PLAN]);
    expect(stock.report, stock.output.slice(-3000)).not.toBeNull();
    expect(byId(stock.report!)).toEqual({
      'ext4/busy-locked/index=5,pages=16': 'fail', 'xfs/busy-locked/index=5,pages=16': 'fail',
      'ext4/busy-locked/index=0,pages=1': 'fail', 'xfs/busy-locked/index=0,pages=1': 'fail',
    });
    for (const c of stock.report!.results.filter((x) => x.status === 'fail')) {
      expect(c.reason).toMatch(/^its own page range with page \d+'s DAX entry locked returned while the entry was still locked and found no busy page though the page is referenced/);
    }
    expect(stock.exitCode).toBe(1);

    const fixed = await daxlab(['run', PLAN, '--patch', 'test/patches/fix-dax-scan-waits-for-locked-entry.patch']);
    expect(fixed.report!.results.map((c) => c.status), fixed.output.slice(-3000)).toEqual(['pass', 'pass', 'pass', 'pass']);
    for (const c of fixed.report!.results) expect(c.reason).toMatch(/slept on page \d+'s locked 4 KiB \(PTE\) DAX entry until it was unlocked/);
    expect(fixed.exitCode).toBe(0);
  });
});
