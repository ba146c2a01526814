// Each layout-changing path has its own kill patch: with it, exactly the racing operations that
// go through that path FAIL (at page 5: index 0 against index > 0 is the seed test's), and every other operation still PASSes (or is
// skipped where the filesystem cannot do it). Without any patch, everything passes.
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../src/results/types.js';
import { daxlab } from './cli-run.js';

const PLAN = 'test/plans/racers.yaml';

/** Patch -> the fs/race pairs it must break. */
const KILLS: Record<string, string[]> = {
  'ext4-setattr-no-break-layouts.patch': ['ext4/truncate', 'ext4/otrunc'],
  'ext4-fallocate-no-break-layouts.patch': ['ext4/punch', 'ext4/zero', 'ext4/collapse', 'ext4/insert'],
  'xfs-setattr-no-break-layouts.patch': ['xfs/truncate', 'xfs/otrunc'],
  'xfs-fallocate-no-break-layouts.patch': ['xfs/punch', 'xfs/zero', 'xfs/collapse', 'xfs/insert'],
  'xfs-remap-no-break-layouts.patch': ['xfs/clone', 'xfs/dedupe'],
};

/** What each case should be: fail when its path is killed, skip for reflink on ext4, else pass. */
function expected(c: CaseResult, killed: string[]): string {
  const key = `${c.fs}/${String(c.params.race)}`;
  if (c.fs === 'ext4' && (c.params.race === 'clone' || c.params.race === 'dedupe')) return 'skip';
  return killed.includes(key) ? 'fail' : 'pass';
}

function outcome(results: CaseResult[], killed: string[]) {
  return results.map((c) => ({ id: c.id, status: c.status, want: expected(c, killed), reason: c.reason }))
    .filter((c) => c.status !== c.want);
}

describe('per-path kill patches for pin-race', () => {
  it('passes every racer on the stock kernel', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    expect(r.report!.results).toHaveLength(16);
    expect(outcome(r.report!.results, [])).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  for (const [patch, killed] of Object.entries(KILLS)) {
    it(`${patch} fails exactly ${killed.join(', ')}`, async () => {
      const r = await daxlab(['run', PLAN, '--patch', `test/patches/${patch}`]);
      expect(r.report, r.output.slice(-3000)).not.toBeNull();
      expect(outcome(r.report!.results, killed)).toEqual([]);
      for (const c of r.report!.results.filter((x) => x.status === 'fail')) {
        expect(c.reason, c.id).toMatch(/returned [\d.]+ ms before the pinned read completed/);
      }
      expect(r.exitCode).toBe(1);
    });
  }
});
