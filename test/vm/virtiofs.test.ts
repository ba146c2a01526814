// The virtiofs backend on a real guest, on a QEMU without a DAX window (Debian 12's 7.2): the run
// path's own boot (guestBooter, called directly: a run or the CLI skips this backend on such a QEMU
// before it builds or boots anything) starts virtiofsd before QEMU, the guest reaches the share,
// mount -o dax=always reports the missing window, the lanes turn that into a skip of every case,
// and shutting the VM down leaves no virtiofsd, no QEMU and no run directory behind.
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIGS_DIR } from '../../src/cli/paths.js';
import { guestBooter } from '../../src/cli/guest-booter.js';
import { probeHost } from '../../src/host/probe.js';
import { defaultConfigPaths, defaultPlan } from '../../src/plan/defaults.js';
import { expandPlan } from '../../src/plan/expand.js';
import type { Plan } from '../../src/plan/types.js';
import type { EventLog } from '../../src/results/jsonl.js';
import type { BootedGuest } from '../../src/run/booted-guest.js';
import { unsupportedBackend } from '../../src/run/host-check.js';
import { runPlanCases } from '../../src/run/run-plan.js';
import { mountPointOf } from '../../src/run/vm-lanes.js';
import { NoDaxWindowError, setupVirtiofs } from '../../src/run/virtiofs-mount.js';
import { liveChildren } from '../../src/vm/registry.js';
import { defaultWorkloadParamDefs } from '../../src/workloads/catalogue.js';
import { testKernel } from './test-kernel.js';

const NO_WINDOW = "no DAX window: the virtio-fs device has no cache region (QEMU's vhost-user-fs-pci without cache-size), so the kernel refused mount -o dax=always: virtio-fs: dax can't be enabled as filesystem device does not support it.";

// Processes whose command line names `needle` (our run dir or socket), as [pid, argv].
function processesNaming(needle: string): Array<[number, string[]]> {
  const out: Array<[number, string[]]> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((a) => a.includes(needle))) out.push([Number(name), argv]);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('virtiofs backend without a DAX window', () => {
  it('starts virtiofsd with the VM, shares the run dir\'s share, reports no DAX window, skips every case, and leaves nothing behind', async (ctx) => {
    const caps = await probeHost();
    if (!caps.virtiofsd || !caps.qemu) ctx.skip('needs virtiofsd and qemu-system-x86_64');
    if (caps.qemu!.virtiofsDaxWindow) ctx.skip('this QEMU has a DAX window: the no-window path cannot be shown here');
    const image = await testKernel('virtiofs');
    const base = defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: defaultWorkloadParamDefs() });
    const plan: Plan = {
      ...base, backend: 'virtiofs', filesystems: ['virtiofs'],
      kernel: { ...base.kernel, configs: defaultConfigPaths('virtiofs', CONFIGS_DIR) },
      vm: { ...base.vm, pmemMiB: 64, lanes: 2 },
    };
    // What a run decides before it builds: this QEMU cannot give the backend at all.
    expect(unsupportedBackend(plan, caps)).toMatch(/has no virtio-fs DAX window/);

    const logDir = await fs.mkdtemp(path.join(os.tmpdir(), 'daxlab-vfs-test-'));
    let booted: BootedGuest | undefined;
    let runDir = '';
    try {
      expect(liveChildren().map((c) => c.name)).toEqual([]);
      const boot = await guestBooter(plan, caps);
      booted = await boot(image, path.join(logDir, 'serial.log'), new AbortController().signal);
      runDir = path.dirname(booted.binDir);
      const share = path.join(runDir, 'share');
      const sock = path.join(runDir, 'virtiofsd.sock');

      // virtiofsd runs (started before QEMU, tracked beside it), serving the share over the socket.
      expect(liveChildren().map((c) => c.name).sort()).toEqual(['qemu', 'virtiofsd']);
      const vfsd = processesNaming(sock).filter(([, argv]) => argv[0]!.endsWith('virtiofsd'));
      expect(vfsd.length, JSON.stringify(processesNaming(runDir))).toBeGreaterThan(0);
      expect(vfsd[0]![1]).toEqual([caps.virtiofsd!, `--socket-path=${sock}`, '-o', `source=${share}`, '-o', 'cache=always']);
      expect((await fs.stat(share)).mode & 0o777).toBe(0o700);

      // The dax=always mount is refused, with the reason; nothing is left mounted at the lane's mount point.
      const g = booted.guest;
      const err = await setupVirtiofs(g, booted.binDir, mountPointOf('virtiofs'), booted.binDir).catch((e: unknown) => e);
      expect(err, String(err)).toBeInstanceOf(NoDaxWindowError);
      expect((err as Error).message).toBe(NO_WINDOW);
      const mounts = await g.exec(['cat', '/proc/mounts'], { timeoutMs: 10_000 });
      expect(mounts.stdout).not.toContain(` ${mountPointOf('virtiofs')} `);

      // Without DAX the share itself works: a file written in the guest is in the host's directory.
      const plain = '/run/daxlab/plain-share';
      expect((await g.exec(['mkdir', '-p', plain], { timeoutMs: 10_000 })).exitCode).toBe(0);
      expect(await g.exec(['mount', '-t', 'virtiofs', 'daxlab', plain], { timeoutMs: 30_000 })).toMatchObject({ exitCode: 0, stderr: '' });
      const text = `written in the guest ${Date.now()}\n`;
      const w = await g.exec(['sh', '-c', 'printf %s "$1" > "$2"', 'sh', text, `${plain}/from-guest.txt`], { timeoutMs: 10_000 });
      expect(w.exitCode, w.stderr).toBe(0);
      expect(await fs.readFile(path.join(share, 'from-guest.txt'), 'utf8')).toBe(text);
      expect((await g.exec(['umount', plain], { timeoutMs: 10_000 })).exitCode).toBe(0);

      // The run path's lanes on this guest: every case of the catalogue is a skip with that reason.
      const cases = expandPlan(plan);
      expect(cases.every((c) => c.id.startsWith('virtiofs/'))).toBe(true);
      const stages: Record<string, number> = {};
      const r = await runPlanCases({
        plan, cases, kernelLabel: 'stock', image, reporter: {}, events: { write: () => undefined } as unknown as EventLog,
        boot: async () => booted!, signal: new AbortController().signal, stages,
      });
      expect(r.results.map((x) => x.id)).toEqual(cases.map((c) => c.id));
      for (const x of r.results) {
        expect(x.status, `${x.id}: ${x.reason}`).toBe('skip');
        expect(x.reason).toBe(NO_WINDOW);
      }
      expect(r.findings).toEqual([]);
    } finally {
      // runPlanCases shut the VM down; this is for a test that failed before it did.
      await booted?.shutdown();
      await fs.rm(logDir, { recursive: true, force: true });
    }
    // Stopped with the VM: no tracked child, no process naming the run dir (QEMU, virtiofsd and its
    // sandboxed child), and the run dir with its share is gone.
    expect(liveChildren()).toEqual([]);
    expect(processesNaming(runDir)).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
  });
});
