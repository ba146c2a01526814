// The virtiofs backend in the guest: setup-virtiofs.sh's answer is a mount with DAX, a skip (no DAX
// window) or an error; the scheduler mounts the share once, makes no pmem namespaces, and turns a
// missing window into a skip of every case, never a run without DAX.
import { describe, expect, it } from 'vitest';
import { CONFIGS_DIR } from '../../../src/cli/paths.js';
import { defaultPlan } from '../../../src/plan/defaults.js';
import type { TestCase } from '../../../src/plan/types.js';
import type { EventLog } from '../../../src/results/jsonl.js';
import type { BootedGuest } from '../../../src/run/booted-guest.js';
import type { GuestExec } from '../../../src/run/guest-port.js';
import { runPlanCases } from '../../../src/run/run-plan.js';
import { NoDaxWindowError, setupVirtiofs, virtiofsSetupOutcome } from '../../../src/run/virtiofs-mount.js';
import type { GuestOutput } from '../../../src/workloads/types.js';
import { fakeVm } from './fake-guest.js';

const NO_WINDOW = "no DAX window: the virtio-fs device has no cache region (QEMU's vhost-user-fs-pci without cache-size), so the kernel refused mount -o dax=always: virtio-fs: dax can't be enabled as filesystem device does not support it.";
const out = (exitCode: number | null, stdout: string, stderr: string, timedOut?: boolean): GuestOutput => ({ exitCode, stdout, stderr, ...(timedOut ? { timedOut } : {}) });

describe('virtiofsSetupOutcome', () => {
  it('exit 0 is the mount; exit 3 with "no DAX window:" is a skip; anything else an error', () => {
    expect(virtiofsSetupOutcome(out(0, 'virtiofs daxlab mounted at /m with dax=always: {"dax":true}\n', ''))).toEqual({ ok: 'virtiofs daxlab mounted at /m with dax=always: {"dax":true}' });
    expect(virtiofsSetupOutcome(out(3, '', `${NO_WINDOW}\n`))).toEqual({ skip: NO_WINDOW });
    expect(virtiofsSetupOutcome(out(3, '', 'something else\n'))).toEqual({ error: 'something else' });
    expect(virtiofsSetupOutcome(out(1, '', `${NO_WINDOW}\n`))).toEqual({ error: NO_WINDOW });
    expect(virtiofsSetupOutcome(out(1, '', 'setup-virtiofs: DAX is not active on /m: daxcheck says {"dax":false}\n'))).toEqual({ error: 'setup-virtiofs: DAX is not active on /m: daxcheck says {"dax":false}' });
    expect(virtiofsSetupOutcome(out(137, '', '', true))).toEqual({ error: 'timed out' });
    expect(virtiofsSetupOutcome(out(0, '', '', true))).toEqual({ error: 'timed out' });
  });
});

describe('setupVirtiofs', () => {
  it('runs setup-virtiofs.sh with the tag, mount point and bin dir; a missing window is NoDaxWindowError', async () => {
    const calls: string[][] = [];
    const guest = (r: GuestOutput): GuestExec => ({ exec: async (argv) => (calls.push(argv), r) });
    await expect(setupVirtiofs(guest(out(3, '', NO_WINDOW)), '/b', '/run/daxlab/virtiofs', '/b')).rejects.toEqual(new NoDaxWindowError(NO_WINDOW));
    expect(calls).toEqual([['/b/setup-virtiofs.sh', 'daxlab', '/run/daxlab/virtiofs', '/b']]);
    const err = await setupVirtiofs(guest(out(1, '', 'setup-virtiofs: the kernel has no virtio-fs (CONFIG_VIRTIO_FS)')), '/b', '/m', '/b').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(NoDaxWindowError);
    expect(err).toMatchObject({ code: 'GUEST_FAILED', message: 'virtiofs: setup-virtiofs: the kernel has no virtio-fs (CONFIG_VIRTIO_FS)' });
  });
});

const vfsCase = (workload: string, params: Record<string, string | number>, n = 1): TestCase => ({
  id: `virtiofs/${workload}/${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')}#${n}`,
  fs: 'virtiofs', workload, params, repeat: n, timeoutSec: 1,
});

// Runs cases on a fake guest whose setup-virtiofs.sh answers `share`; returns the results and the guest scripts called.
async function runOnShare(share: GuestOutput, cases: TestCase[]) {
  const log: string[] = [];
  const scripts: string[] = [];
  const plan = defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: {} });
  const wrap = (g: GuestExec): GuestExec => ({
    exec: async (argv, o) => {
      scripts.push(argv[0]!.split('/').pop()!);
      return argv[0]!.endsWith('/setup-virtiofs.sh') ? share : g.exec(argv, o);
    },
  });
  const boot = async (): Promise<BootedGuest> => {
    const vm = fakeVm(log, 1);
    return { ...vm, guest: wrap(vm.guest), lane: (n) => wrap(vm.lane(n)) };
  };
  const r = await runPlanCases({
    plan: { ...plan, backend: 'virtiofs', filesystems: ['virtiofs'] }, cases, kernelLabel: 'stock', image: '/bzImage', reporter: {},
    events: { write: () => undefined } as unknown as EventLog, boot, signal: new AbortController().signal, stages: {},
  });
  return { lines: r.results.map((x) => `${x.id} ${x.status}: ${x.reason}`), scripts };
}

describe('runPlanCases on the virtiofs backend', () => {
  it('no DAX window: every case is a skip with the reason, the share is tried once, no pmem namespaces', async () => {
    const r = await runOnShare(out(3, '', `${NO_WINDOW}\n`), [vfsCase('fault', { kind: 'ok' }), vfsCase('fault', { kind: 'ok' }, 2), vfsCase('fault', { kind: 'ok' }, 3)]);
    expect(r.lines).toEqual([1, 2, 3].map((n) => `virtiofs/fault/kind=ok#${n} skip: ${NO_WINDOW}`));
    expect(r.scripts.filter((s) => s === 'setup-virtiofs.sh')).toHaveLength(1);
    expect(r.scripts).not.toContain('setup-pmem.sh');
    expect(r.scripts).not.toContain('setup-fs.sh');
    expect(r.scripts).not.toContain('run-case.sh');
  });

  it('with DAX on the share the cases run on it; pin-reuse (it would fill the host file system) is a skip', async () => {
    const r = await runOnShare(out(0, 'virtiofs daxlab mounted at /run/daxlab/virtiofs with dax=always: {"dax":true}\n', ''), [
      vfsCase('fault', { kind: 'ok' }),
      vfsCase('pin-reuse', { index: 5, pages: 16, pin: 'iopoll' }),
    ]);
    expect(r.lines[0]).toBe('virtiofs/fault/kind=ok#1 pass: no fault injected');
    expect(r.lines[1]).toMatch(/^virtiofs\/pin-reuse\/index=5,pages=16,pin=iopoll#1 skip: pin-reuse fills the filesystem .* on virtiofs that would fill the host's file system/);
    expect(r.scripts).toContain('run-case.sh');
    expect(r.scripts).not.toContain('setup-pmem.sh');
  });

  it('any other setup failure is an error of every case, not a skip', async () => {
    const r = await runOnShare(out(1, '', 'setup-virtiofs: DAX is not active on /run/daxlab/virtiofs: daxcheck says {"dax":false}\n'), [vfsCase('fault', { kind: 'ok' })]);
    expect(r.lines).toEqual([
      'virtiofs/fault/kind=ok#1 error: filesystem setup failed: virtiofs: setup-virtiofs: DAX is not active on /run/daxlab/virtiofs: daxcheck says {"dax":false}',
    ]);
  });
});
