// The pin-fault oracle can fail: with the layout-break wait keeping the fault lock while it sleeps
// (dax-wait-keeps-fault-lock.patch), a fault on another page of the file stalls until the pinned
// read completes, while the racing call itself still waits for the pin (pin-race passes).
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

const byWorkload = (rs: Array<{ workload: string; status: string }>) => rs.map((c) => `${c.workload} ${c.status}`).sort();

describe('pin-fault kill patch', () => {
  it('reports FAIL when the wait keeps the fault lock, PASS without the patch', async () => {
    const broken = await daxlab(['run', 'test/plans/pin-fault.yaml', '--patch', 'test/patches/dax-wait-keeps-fault-lock.patch']);
    expect(broken.report, broken.output.slice(-3000)).not.toBeNull();
    expect(byWorkload(broken.report!.results), broken.output.slice(-3000)).toEqual([
      'pin-fault fail', 'pin-fault fail', 'pin-fault fail', 'pin-fault fail', 'pin-race pass', 'pin-race pass',
    ]);
    for (const c of broken.report!.results.filter((r) => r.workload === 'pin-fault')) {
      expect(c.reason).toMatch(/^a page fault on page 0 during the layout-break wait took [\d.]+ ms and returned (only )?[\d.]+ ms (after|before) the pinned read completed/);
    }
    expect(broken.exitCode).toBe(1);

    const stock = await daxlab(['run', 'test/plans/pin-fault.yaml']);
    expect(byWorkload(stock.report!.results), stock.output.slice(-3000)).toEqual([
      'pin-fault pass', 'pin-fault pass', 'pin-fault pass', 'pin-fault pass', 'pin-race pass', 'pin-race pass',
    ]);
    for (const c of stock.report!.results.filter((r) => r.workload === 'pin-fault')) {
      expect(c.timings.faultReturnAfterPinMs).toBeLessThan(-100);
    }
    expect(stock.exitCode).toBe(0);
  });
});
