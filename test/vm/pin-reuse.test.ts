// The pin-reuse oracle, for real: on the stock kernel every truncate waits and the new file that
// reuses the pinned block keeps its data; with the seed bug (dax_layout_busy_page_range(mapping,
// 0, 0)) a pin at page 5 is not waited for, and the polled read's data lands in the other file.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const PLAN = 'test/plans/pin-reuse.yaml';
const SEED_PATCH = 'test/patches/seed-busy-page-range-end-0.patch';

describe('pin-reuse against the seed bug', () => {
  it('passes on the stock kernel, the pinned block reused by the new file', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const results = r.report!.results;
    expect(results.map((c) => `${c.id}: ${c.status} ${c.reason}`).filter((s) => !/: pass /.test(s))).toEqual([]);
    expect(results.length).toBe(4);
    for (const c of results) expect(c.reason, c.id).toMatch(/the new file reused the pinned block/);
    expect(r.exitCode).toBe(0);
  });

  it('fails index 5 with stale DMA in another file and an early truncate, passes index 0, with the seed bug', async () => {
    const r = await daxlab(['run', PLAN, '--patch', SEED_PATCH]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const results = r.report!.results;
    expect(results.length).toBe(4);
    for (const c of results) {
      if (Number(c.params.index) === 5) {
        expect(c.status, c.id).toBe('fail');
        expect(c.reason).toMatch(
          /^stale DMA from the pinned read overwrote page \d+ of another file \(block reused after truncate\); ftruncate returned [\d.]+ ms before the pinned read completed \(pin at page 5\)/,
        );
      } else {
        expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
      }
    }
    expect(r.exitCode).toBe(1);
  });
});
