// pin-unlink's oracle both ways, for real: stock 6.12 evicts a pinned DAX file's inode without
// waiting (kernel WARN, umount returns during the DMA), so both cases FAIL and the plan's known
// issue turns them into XFAIL; a test-only fix that makes ext4 eviction wait for pins makes both
// pass, which the known-issue entry reports as XPASS (the entry is stale: exit 1).
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const PLAN = 'test/plans/pin-unlink.yaml';

describe('pin-unlink on stock 6.12 and with an eviction fix', () => {
  it('stock: eviction and umount during a pin are known failures (XFAIL)', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const byMode = Object.fromEntries(r.report!.results.map((c) => [String(c.params.umount), c]));
    expect(byMode.no!.status).toBe('xfail');
    expect(byMode.no!.klogMatches.join('\n')).toMatch(/WARNING: .* dax_disassociate_entry/);
    expect(byMode.yes!.status).toBe('xfail');
    expect(byMode.yes!.reason).toMatch(/umount returned [\d.]+ ms before the pinned read completed/);
    expect(r.exitCode).toBe(0);
  });

  it('with fix-ext4-evict-wait-for-pins.patch both pass and are flagged XPASS', async () => {
    const r = await daxlab(['run', PLAN, '--patch', 'test/patches/fix-ext4-evict-wait-for-pins.patch']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    for (const c of r.report!.results) {
      expect(c.status, `${c.id}: ${c.reason}`).toBe('xpass');
      expect(c.klogMatches).toEqual([]);
    }
    const yes = r.report!.results.find((c) => c.params.umount === 'yes')!;
    expect(yes.timings.umountAfterPinMs).toBeGreaterThan(-50);
    expect(r.exitCode).toBe(1);
  });
});
