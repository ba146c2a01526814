// Nightly, not CI: the thp fragment is a second kernel configuration, a second cold build (about
// 10 minutes here), which would push CI from empty caches past its 60 minutes.
// PMD (2 MiB) fsdax mappings, for real: with the thp fragment, 4 MiB files are mapped by PMDs
// (a handful of faults for 1024 pages), truncate and punch still wait for pins anywhere, and the
// seed bug changes shape: its scan of range [0, 0] finds the PMD entry at index 0, which covers
// pages 0-511, so only pins at page 512 and beyond are missed.
import { describe, expect, it } from 'vitest';
import { daxlab } from '../vm/cli-run.js';

const PLAN = 'test/plans/thp.yaml';

describe('pin-race on PMD-mapped files', () => {
  it('stock: every file is PMD-mapped and every racer waits', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    expect(r.report!.results).toHaveLength(16);
    for (const c of r.report!.results) {
      expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
      expect(c.details?.map2mAligned, c.id).toBe(true);
      expect(Number(c.details?.mapFaults), `${c.id}: faults`).toBeLessThanOrEqual(16);
    }
    expect(r.exitCode).toBe(0);
  });

  it('seed bug: pins in the first PMD (pages 5, 511) are still waited for, pins at 512 and 1023 are not', async () => {
    const r = await daxlab(['run', PLAN, '--patch', 'test/patches/seed-busy-page-range-end-0.patch']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    for (const c of r.report!.results) {
      const index = Number(c.params.index);
      expect(c.status, `${c.id}: ${c.reason}`).toBe(index >= 512 ? 'fail' : 'pass');
    }
    expect(r.exitCode).toBe(1);
  });
});
