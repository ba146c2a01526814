// Nightly, not CI (the thp kernel is a second cold build): the busy-page scan on PMD-mapped files.
// A range that touches a 2 MiB entry must find a pin on any of its 512 pages, and the kill patch
// that checks only an entry's first page must make exactly the pins on other pages invisible.
import { describe, expect, it } from 'vitest';
import { daxlab } from '../vm/cli-run.js';

const PLAN = 'test/plans/thp-busy-range.yaml';

describe('busy-range on PMD-mapped files', () => {
  it('stock: every file is PMD-mapped and every range answer is right', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    expect(r.report!.results).toHaveLength(10);
    for (const c of r.report!.results) {
      expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
      expect(c.details?.entry, c.id).toBe('2 MiB (PMD)');
    }
    expect(r.exitCode).toBe(0);
  });

  it("first pfn only: pins on an entry's first page (0, 512) are found, pins on other pages (5, 511, 1023) are not", async () => {
    const r = await daxlab(['run', PLAN, '--patch', 'test/patches/dax-busy-page-first-pfn-only.patch']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    for (const c of r.report!.results) {
      const first = Number(c.params.index) % 512 === 0;
      expect(c.status, `${c.id}: ${c.reason}`).toBe(first ? 'pass' : 'fail');
      if (!first) expect(c.reason).toMatch(/^pinned: .* found no busy page though page \d+ is referenced inside it/);
    }
    expect(r.exitCode).toBe(1);
  });
});
