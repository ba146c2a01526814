// The register-buffers oracle can fail: with io_uring pinning registered buffers without
// FOLL_LONGTERM, IORING_REGISTER_BUFFERS on an fsdax mapping succeeds and daxlab reports FAIL.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';

describe('register-buffers kill patch', () => {
  it('reports FAIL when the long-term pin refusal is bypassed, PASS without the patch', async () => {
    const broken = await daxlab(['run', 'test/plans/register-buffers.yaml', '--patch', 'test/patches/io_uring-register-without-longterm.patch']);
    expect(broken.report, broken.output.slice(-3000)).not.toBeNull();
    expect(broken.report!.results.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(broken.report!.results[0]!.reason).toMatch(/succeeded/);
    expect(broken.exitCode).toBe(1);

    const stock = await daxlab(['run', 'test/plans/register-buffers.yaml']);
    expect(stock.report!.results.map((c) => c.status), stock.output.slice(-3000)).toEqual(['pass', 'pass']);
    expect(stock.exitCode).toBe(0);
  });
});
