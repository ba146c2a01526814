// The multi-pin oracle can fail: with ext4_break_layouts() and xfs_break_layouts() returning after
// one wakeup, a truncate goes on when the first busy page is released while the second is held.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

describe('multi-pin kill patch', () => {
  it('fails order=forward when the wait does not rescan, passes reverse; PASS everywhere without the patch', async () => {
    const broken = await daxlab(['run', 'test/plans/multi-pin.yaml', '--patch', 'test/patches/break-layouts-wait-once.patch']);
    expect(broken.report, broken.output.slice(-3000)).not.toBeNull();
    const byId = (order: string) => broken.report!.results.filter((c) => c.params.order === order);
    for (const c of byId('forward')) {
      expect(c.status, c.id).toBe('fail');
      expect(c.reason).toMatch(/^ftruncate returned [\d.]+ ms before the last reference was dropped, after page 3 was released but while page 11 was still referenced/);
    }
    for (const c of byId('reverse')) expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
    expect(byId('forward')).toHaveLength(2);
    expect(broken.exitCode).toBe(1);

    const stock = await daxlab(['run', 'test/plans/multi-pin.yaml']);
    expect(stock.report!.results.map((c) => c.status), stock.output.slice(-3000)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(stock.exitCode).toBe(0);
  });
});
