// Fault injection, real QEMU: daxlab killed with SIGKILL in the middle of a case (as the OOM killer
// would). No QEMU of it survives (started through setpriv --pdeathsig), and the run dir it could not
// remove (keys, pmem file) is removed by the next daxlab, which then runs clean.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';
import { caseBegan, processesMentioning, qemuOf, startDaxlab, waitFor } from './faults.js';

const HANG = 'ext4/fault/kind=hang#1';

describe('fault: SIGKILL', () => {
  it('leaves no QEMU behind, and the next daxlab removes its run dir and pmem file', async () => {
    const run = startDaxlab(['run', 'test/plans/fault-signal.yaml']);
    await waitFor('the hanging case to start', async () => (await qemuOf(run)).length > 0 && caseBegan(run.results, HANG), 300_000, run);
    const qemus = await qemuOf(run);
    const runDirs = [...run.runDirs];
    expect(runDirs.length).toBe(1);
    expect(existsSync(join(runDirs[0]!, 'pmem.img'))).toBe(true);
    run.child.kill('SIGKILL');
    await run.child;
    const t0 = Date.now();
    await waitFor('QEMU to die with daxlab', async () => (await processesMentioning(run.results)).length === 0, 5_000);
    console.log(`QEMU (pid ${qemus.map((q) => q.pid).join(', ')}) gone ${Date.now() - t0} ms after daxlab's SIGKILL`);
    for (const dir of runDirs) expect(await processesMentioning(dir), `processes using ${dir}`).toEqual([]);
    // Nothing of the killed run could remove its run dir: it is there, with its 1 GiB sparse pmem file.
    expect(existsSync(join(runDirs[0]!, 'pmem.img'))).toBe(true);

    const next = await daxlab(['boot', '--plan', 'test/plans/fault-signal.yaml', '--', 'true'], 600_000);
    expect(next.exitCode, next.output.slice(-3000)).toBe(0);
    for (const dir of runDirs) expect(existsSync(dir), `${dir} left by the killed run`).toBe(false);
  });
});
