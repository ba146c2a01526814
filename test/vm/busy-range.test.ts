// The busy-range oracle can fail: with dax_layout_busy_page_range() scanning one page short of its
// inclusive end, daxlab's probe module sees the referenced page missed at the range's last page.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

describe('busy-range kill patch', () => {
  it('reports FAIL when the range scan stops one page short, PASS without the patch', async () => {
    const broken = await daxlab(['run', 'test/plans/busy-range.yaml', '--patch', 'test/patches/dax-busy-range-end-exclusive.patch']);
    expect(broken.report, broken.output.slice(-3000)).not.toBeNull();
    expect(broken.report!.results.map((c) => c.status)).toEqual(['fail', 'fail']);
    for (const c of broken.report!.results) {
      expect(c.reason).toMatch(/^pinned: range \[20480, 20480\] found no busy page though page 5 is referenced inside it/);
    }
    expect(broken.exitCode).toBe(1);

    const stock = await daxlab(['run', 'test/plans/busy-range.yaml']);
    expect(stock.report!.results.map((c) => c.status), stock.output.slice(-3000)).toEqual(['pass', 'pass']);
    expect(stock.report!.results[0]!.details?.entry).toBe('4 KiB (PTE)');
    expect(stock.exitCode).toBe(0);
  });
});
