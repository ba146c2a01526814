// The racers plan and the per-path kill patches, shared by the CI test (test/vm/racer-kill.test.ts:
// the stock run and two paths) and the nightly one (the other three paths).
import { expect } from 'vitest';
import type { CaseResult } from '../../src/results/types.js';
import { daxlab } from './cli-run.js';

export const PLAN = 'test/plans/racers.yaml';

/** Patch -> the fs/race pairs it must break. */
export const KILLS: Record<string, string[]> = {
  'ext4-setattr-no-break-layouts.patch': ['ext4/truncate', 'ext4/otrunc'],
  'ext4-fallocate-no-break-layouts.patch': ['ext4/punch', 'ext4/zero', 'ext4/collapse', 'ext4/insert'],
  'xfs-setattr-no-break-layouts.patch': ['xfs/truncate', 'xfs/otrunc'],
  'xfs-fallocate-no-break-layouts.patch': ['xfs/punch', 'xfs/zero', 'xfs/collapse', 'xfs/insert', 'xfs/unshare'],
  'xfs-remap-no-break-layouts.patch': ['xfs/clone', 'xfs/dedupe'],
  'xfs-scrub-truncates-page-cache.patch': ['xfs/scrub'],
};

/** The paths CI checks (test/vm/racer-kill.test.ts); the nightly suite checks the rest of KILLS. */
export const CI_KILLS = ['ext4-setattr-no-break-layouts.patch', 'xfs-remap-no-break-layouts.patch', 'xfs-scrub-truncates-page-cache.patch'];

/** What each case should be: fail when its path is killed, skip for reflink, scrub and unshare on ext4, else pass. */
function expected(c: CaseResult, killed: string[]): string {
  const key = `${c.fs}/${String(c.params.race)}`;
  if (c.fs === 'ext4' && ['clone', 'dedupe', 'scrub', 'unshare'].includes(String(c.params.race))) return 'skip';
  return killed.includes(key) ? 'fail' : 'pass';
}

/** The cases whose status is not what the killed paths make it. */
export function outcome(results: CaseResult[], killed: string[]) {
  return results.map((c) => ({ id: c.id, status: c.status, want: expected(c, killed), reason: c.reason }))
    .filter((c) => c.status !== c.want);
}

/**
 * Run the racers plan with one kill patch: exactly its operations FAIL, and the run exits 1. The
 * waiting operations fail early; scrub, which need not wait, fails on the kernel log.
 */
export async function checkKill(patch: string): Promise<void> {
  const killed = KILLS[patch]!;
  const r = await daxlab(['run', PLAN, '--patch', `test/patches/${patch}`]);
  expect(r.report, r.output.slice(-3000)).not.toBeNull();
  expect(outcome(r.report!.results, killed)).toEqual([]);
  for (const c of r.report!.results.filter((x) => x.status === 'fail')) {
    expect(c.reason, c.id).toMatch(c.params.race === 'scrub'
      ? /kernel log: WARNING at fs\/dax\.c:\d+ dax_disassociate_entry/
      : /returned [\d.]+ ms before the pinned read completed/);
  }
  expect(r.exitCode).toBe(1);
}
