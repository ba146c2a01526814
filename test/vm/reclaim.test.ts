// Memory reclaim must not evict a DAX inode whose pages are still referenced: 6.12 eviction does
// not wait for pins, and what keeps reclaim away is inode_lru_isolate() refusing inodes whose
// mapping still holds entries. The kill patch lifts that for DAX inodes: a one-page file's inode is
// evicted with its page referenced and the kernel warns; a 16-page file is still kept by
// mapping_shrinkable().
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const PLAN = 'test/plans/reclaim.yaml';

describe('multi-pin race=reclaim kill patch', () => {
  it('fails the one-page file when inode reclaim may evict DAX inodes with entries; PASS without the patch', async () => {
    const broken = await daxlab(['run', PLAN, '--patch', 'test/patches/inode-reclaim-evicts-dax.patch']);
    expect(broken.report, broken.output.slice(-3000)).not.toBeNull();
    for (const c of broken.report!.results) {
      if (Number(c.params.pages) === 1) {
        expect(c.status, c.id).toBe('fail');
        expect(c.reason).toMatch(/kernel log: WARNING at fs\/dax\.c:\d+ dax_disassociate_entry/);
      } else {
        expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
      }
    }
    expect(broken.report!.results).toHaveLength(4);
    expect(broken.exitCode).toBe(1);

    const stock = await daxlab(['run', PLAN]);
    expect(stock.report!.results.map((c) => c.status), stock.output.slice(-3000)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(stock.exitCode).toBe(0);
  });
});
