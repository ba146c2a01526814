// The product's reason to exist, for real: the default plan passes on the stock kernel, and the
// seed's bug (dax_layout_busy_page_range(mapping, 0, 0)) makes every pin at index > 0 fail while
// index 0 still passes, and busy-range (which asks dax_layout_busy_page() directly) and
// multi-pin (pages 3 and 11 held) fail. The first run builds the kernel into the cache outside the clone.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const SEED_PATCH = 'test/patches/seed-busy-page-range-end-0.patch';

describe('pin-race against the seed bug', () => {
  it('passes every case of the default plan on the stock kernel', async () => {
    const r = await daxlab(['run']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const bad = r.report!.results.filter((c) => c.status !== 'pass');
    expect(bad.map((c) => `${c.id}: ${c.reason}`), r.output.slice(-3000)).toEqual([]);
    expect(r.report!.results.length).toBe(26);
    expect(r.exitCode).toBe(0);
  });

  it('fails exactly the index > 0 pin-race cases, busy-range and multi-pin with the seed bug applied', async () => {
    const r = await daxlab(['run', '--patch', SEED_PATCH]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const results = r.report!.results;
    const pins = results.filter((c) => c.workload === 'pin-race');
    expect(pins.length).toBe(16);
    for (const c of pins) {
      if (Number(c.params.index) > 0) {
        expect(c.status, c.id).toBe('fail');
        expect(c.reason).toMatch(/returned [\d.]+ ms before the pinned read completed \(pin at page 5\)/);
      } else {
        expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
      }
    }
    const busy = results.filter((c) => c.workload === 'busy-range');
    expect(busy.map((c) => c.status)).toEqual(['fail', 'fail']);
    for (const c of busy) expect(c.reason).toMatch(/^pinned: dax_layout_busy_page\(\) \(whole file\) found no busy page though page 5 is referenced inside it/);
    const multi = results.filter((c) => c.workload === 'multi-pin');
    expect(multi.map((c) => c.status)).toEqual(['fail', 'fail', 'fail', 'fail']);
    for (const c of multi) expect(c.reason).toMatch(/before the last reference was dropped, while both pages were still referenced/);
    const others = results.filter((c) => !['pin-race', 'busy-range', 'multi-pin'].includes(c.workload));
    expect(others.map((c) => `${c.id}: ${c.status}`)).toEqual(others.map((c) => `${c.id}: pass`));
    expect(r.exitCode).toBe(1);
  });
});
