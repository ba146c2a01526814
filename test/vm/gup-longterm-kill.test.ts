// The gup-longterm oracle can fail: with check_vma_flags() no longer refusing FOLL_LONGTERM on
// fsdax VMAs, the kernel's own gup_test pins the whole DAX mapping and daxlab reports FAIL.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

describe('gup-longterm kill patch', () => {
  it('reports FAIL when mm/gup lets FOLL_LONGTERM pin fsdax, PASS without the patch', async () => {
    const broken = await daxlab(['run', 'test/plans/gup-longterm.yaml', '--patch', 'test/patches/gup-longterm-fsdax-allowed.patch']);
    expect(broken.report, broken.output.slice(-3000)).not.toBeNull();
    expect(broken.report!.results.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(broken.report!.results[0]!.reason).toMatch(/^gup_test PIN_LONGTERM pinned 2097152 of 2097152 bytes/);
    expect(broken.exitCode).toBe(1);

    const stock = await daxlab(['run', 'test/plans/gup-longterm.yaml']);
    expect(stock.report!.results.map((c) => c.status), stock.output.slice(-3000)).toEqual(['pass', 'pass']);
    expect(stock.report!.results[0]!.details).toMatchObject({ daxLongtermPinnedBytes: 0, daxBasicPinnedBytes: 2097152 });
    expect(stock.exitCode).toBe(0);
  });
});
