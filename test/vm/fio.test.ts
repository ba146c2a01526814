// The fio workloads' oracles can fail. fio-fixedbufs: with io_uring pinning registered buffers
// without FOLL_LONGTERM, fio registers its fsdax buffer and runs the reads (FAIL). fio-race: with
// the seed bug, the truncate returns while fio's read into page 5 is in flight (FAIL); page 0 passes.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

describe('fio workloads', () => {
  it('fio-fixedbufs: FAIL with the io_uring kill patch, PASS without it', async () => {
    const broken = await daxlab(['run', 'test/plans/fio-fixedbufs.yaml', '--patch', 'test/patches/io_uring-register-without-longterm.patch']);
    expect(broken.report, broken.output.slice(-3000)).not.toBeNull();
    expect(broken.report!.results.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(broken.report!.results[0]!.reason).toMatch(/^fio registered its buffer in an fsdax mapping .* and ran 4 reads/);
    expect(broken.exitCode).toBe(1);

    const stock = await daxlab(['run', 'test/plans/fio-fixedbufs.yaml']);
    expect(stock.report!.results.map((c) => `${c.status} ${c.reason}`), stock.output.slice(-3000)).toEqual([
      'pass fio could not register its buffer in an fsdax mapping: EOPNOTSUPP (95), before any I/O',
      'pass fio could not register its buffer in an fsdax mapping: EOPNOTSUPP (95), before any I/O',
    ]);
    expect(stock.exitCode).toBe(0);
  });

  it('fio-race: index 5 FAILs with the seed bug, index 0 passes; all pass on the stock kernel', async () => {
    const seed = await daxlab(['run', 'test/plans/fio-race.yaml', '--patch', 'test/patches/seed-busy-page-range-end-0.patch']);
    expect(seed.report, seed.output.slice(-3000)).not.toBeNull();
    expect(seed.report!.results.length).toBe(4);
    for (const c of seed.report!.results) {
      if (Number(c.params.index) === 5) {
        expect(c.status, c.id).toBe('fail');
        // The early truncate disassociates the pinned page: the kernel warns too (taint W).
        expect(c.reason).toMatch(/^truncate returned [\d.]+ ms before fio's pinned read completed .*fio buffer at page 5\)(; kernel tainted during the case: W \(kernel issued a warning\))?$/);
      } else {
        expect(c.status, `${c.id}: ${c.reason}`).toBe('pass');
      }
    }
    expect(seed.exitCode).toBe(1);

    const stock = await daxlab(['run', 'test/plans/fio-race.yaml']);
    expect(stock.report!.results.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.reason}`), stock.output.slice(-3000))
      .toEqual([]);
    expect(stock.exitCode).toBe(0);
  });
});
