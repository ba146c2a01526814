// Fault injection, real QEMU: a case that hangs (interruptible sleep, then uninterruptible on a
// frozen filesystem) ends at the case timeout as ERROR with the guest's task stacks (sysrq w and t,
// pressed through QMP) and the run goes on with a fresh VM; a kernel command line that never
// reaches init ends the run at the boot timeout with the serial tail; a taken port is retried.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareSshDir } from '../../src/guest/keys.js';
import { probeHost } from '../../src/host/probe.js';
import { launchVm } from '../../src/vm/launch.js';
import { liveChildren } from '../../src/vm/registry.js';
import type { VmHandle } from '../../src/vm/types.js';
import { byId, expectJournalMatchesReport, expectNoLeftovers, startDaxlab } from './faults.js';
import { testKernel } from './test-kernel.js';

describe('fault: guest hang', () => {
  it('times out hung cases with task stacks attached, then passes the next case on a fresh VM', async () => {
    const run = startDaxlab(['run', 'test/plans/fault-hang.yaml']);
    const r = await run.child;
    const output = String(r.all ?? '');
    expect(r.exitCode, output.slice(-3000)).toBe(69);
    const report = expectJournalMatchesReport(run.results);
    expect(report.results.map((c) => `${c.id} ${c.status}`)).toEqual([
      'ext4/fault/kind=hang#1 error',
      'ext4/fault/kind=dstate#1 error',
      'ext4/register-buffers/-#1 pass',
    ]);
    for (const id of ['ext4/fault/kind=hang#1', 'ext4/fault/kind=dstate#1']) {
      const c = byId(report.results, id);
      // The reason names the timeout, the guest command that was running, and the stacks.
      expect(c.reason).toMatch(/^case timed out after 10 s \(plan timeouts\.case\): the guest was running `\S+\/run-case\.sh '[^']+' \d+ \S+\/fault\.sh /);
      expect(c.reason).toMatch(/console last said "[^"]*daxlab: begin ext4\/fault\/kind=/);
      expect(c.reason).toMatch(/; task stacks \(sysrq w, t\) attached$/);
      expect(c.klogMatches.join('\n')).toMatch(/sysrq: Show Blocked State/);
      // Timeout plus stack collection: bounded, well before any ssh or boot timeout.
      expect(c.durationMs).toBeGreaterThanOrEqual(10_000);
      expect(c.durationMs).toBeLessThan(25_000);
      console.log(`${id}: ended after ${c.durationMs} ms (timeout 10 s)`);
    }
    // The D-state task shows up among the blocked tasks, in the filesystem freeze wait.
    const dstate = byId(report.results, 'ext4/fault/kind=dstate#1').klogMatches.join('\n');
    expect(dstate).toMatch(/task:fault\.sh\s+state:D/);
    expect(dstate).toMatch(/percpu_down_read|percpu_rwsem_wait|sb_start_write/);
    expect(run.runDirs.size, 'one boot per hung case plus one').toBe(3);
    await expectNoLeftovers(run);
  });

  it('ends the run at the boot timeout when the kernel never reaches init', async () => {
    // root= on a block device that never appears, with rootwait: the kernel waits forever.
    const run = startDaxlab(['run', 'test/plans/fault-boot.yaml', '--append', 'root=/dev/vdz', '--append', 'rootfstype=ext4', '--append', 'rootwait']);
    const r = await run.child;
    const elapsed = Date.now() - run.startedAt;
    const output = String(r.all ?? '');
    expect(r.exitCode, output.slice(-3000)).toBe(69);
    const report = expectJournalMatchesReport(run.results);
    const c = byId(report.results, 'ext4/register-buffers/-#1');
    expect(c.status).toBe('error');
    expect(c.reason).toMatch(/^boot failed: the guest never got ready: DAXLAB-READY \(sshd started by init\) did not appear on the serial console within 15 s \(plan timeouts\.boot\)/);
    expect(c.klogMatches.join('\n')).toMatch(/Waiting for root device \/dev\/vdz/);
    expect(output).toMatch(/Waiting for root device \/dev\/vdz/);
    expect(elapsed).toBeLessThan(30_000);
    console.log(`boot timeout (15 s) reported after ${elapsed} ms of run time`);
    expect(run.runDirs.size).toBe(1);
    await expectNoLeftovers(run);
  });

  it('retries QEMU on another port when the first one is taken', async () => {
    const kernel = await testKernel();
    const caps = await probeHost();
    const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'daxlab-run-port-'));
    const blocker = net.createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const taken = (blocker.address() as net.AddressInfo).port;
    let vm: VmHandle | undefined;
    try {
      await prepareSshDir(runDir);
      const pmemFile = path.join(runDir, 'pmem.img');
      await fs.writeFile(pmemFile, '');
      await fs.truncate(pmemFile, 64 * 1024 * 1024);
      const spec = { kernelImage: kernel, cmdline: [], cpus: 1, memoryMiB: 512, backend: 'pmem' as const, pmemFile, pmemMiB: 64 };
      const t0 = Date.now();
      vm = await launchVm({ ...spec, sshPort: taken, serialLog: path.join(runDir, 'serial.log'), init: path.resolve('guest-scripts/init.sh'), runDir }, caps);
      expect(vm.sshPort).not.toBe(taken);
      await vm.waitReady(180_000);
      console.log(`port ${taken} taken: QEMU retried on ${vm.sshPort}, guest ready after ${Date.now() - t0} ms`);
    } finally {
      blocker.close();
      await vm?.kill();
      await fs.rm(runDir, { recursive: true, force: true });
    }
    expect(liveChildren()).toEqual([]);
  });
});
