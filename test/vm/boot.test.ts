// Boots a real kernel under QEMU with daxlab's builder, launcher, init and SSH session.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../src/errors.js';
import { probeHost } from '../../src/host/probe.js';
import type { HostCaps } from '../../src/host/types.js';
import { launchVm } from '../../src/vm/launch.js';
import { killAll, liveChildren } from '../../src/vm/registry.js';
import type { VmHandle } from '../../src/vm/types.js';
import { prepareSshDir } from '../../src/guest/keys.js';
import { connectGuest } from '../../src/guest/session.js';
import type { GuestSession } from '../../src/guest/types.js';
import { testKernel } from './test-kernel.js';

let KERNEL = '';
const INIT = path.resolve('guest-scripts/init.sh');

describe('boot a real kernel', () => {
  let caps: HostCaps;
  let runDir: string;
  let vm: VmHandle | undefined;
  let session: GuestSession | undefined;
  const times: Record<string, number> = {};

  beforeAll(async () => {
    try {
      await boot();
    } catch (err) {
      // Show the serial and QEMU tails that BOOT_FAILED carries.
      console.error(String(err), ...((err as { detail?: string[] }).detail ?? []).map((l) => `\n  ${l}`));
      throw err;
    }
  });

  async function boot(): Promise<void> {
    KERNEL = await testKernel();
    caps = await probeHost();
    runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'daxlab-boot-'));
    const keys = await prepareSshDir(runDir);
    const pmemFile = path.join(runDir, 'pmem.img');
    await fs.writeFile(pmemFile, '');
    await fs.truncate(pmemFile, 256 * 1024 * 1024);
    vm = await launchVm(
      {
        kernelImage: KERNEL,
        cmdline: [],
        cpus: 2,
        memoryMiB: 1024,
        backend: 'pmem',
        pmemFile,
        pmemMiB: 256,
        sshPort: 0,
        serialLog: path.join(runDir, 'serial.log'),
        init: INIT,
        runDir,
      },
      caps,
    );
    await vm.waitReady(180_000);
    times.ready = performance.now() - vm.startedAt;
    session = await connectGuest({
      port: vm.sshPort,
      privateKey: keys.clientKey,
      hostPublicKey: keys.hostPublicKey,
      deadlineMs: Date.now() + 120_000,
    });
    times.ssh = performance.now() - vm.startedAt;
  }

  afterAll(async () => {
    await session?.close();
    await vm?.kill();
    await killAll();
    if (runDir) await fs.rm(runDir, { recursive: true, force: true });
  });

  it('runs commands through the persistent shell', async () => {
    const r = await session!.exec(['uname', '-r'], { timeoutMs: 10_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+/);
    const q = await session!.exec(['printf', '%s|%s', '$(id)', "it's;`x`"], { timeoutMs: 10_000 });
    expect(q.stdout).toBe("$(id)|it's;`x`");
    const e = await session!.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 10_000 });
    expect(e).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
  });

  it('mounts the host root read-only over 9p and /root as tmpfs', async () => {
    const r = await session!.exec(['cat', '/proc/mounts'], { timeoutMs: 10_000 });
    const mounts = r.stdout.split('\n').map((l) => l.split(' '));
    const root = mounts.find((m) => m[1] === '/');
    expect(root?.[2]).toBe('9p');
    expect(root?.[3]?.split(',')).toContain('ro');
    expect(mounts.find((m) => m[1] === '/root')?.[2]).toBe('tmpfs');
    expect(mounts.find((m) => m[1] === runDir)).toBeDefined();
  });

  it('times out a command, kills its children and keeps the shell usable', async () => {
    const r = await session!.exec(['sh', '-c', 'sleep 300 & sleep 301'], { timeoutMs: 1_000 });
    expect(r).toMatchObject({ timedOut: true, exitCode: 137 });
    expect(r.durationMs).toBeLessThan(4_000);
    expect((await session!.exec(['echo', 'still here'], { timeoutMs: 10_000 })).stdout).toBe('still here\n');
    const left = await session!.exec(['pgrep', '-f', 'sleep 30[01]'], { timeoutMs: 10_000 });
    expect(left.stdout).toBe('');
  });

  it('feeds stdin through a one-shot channel', async () => {
    const r = await session!.exec(['tr', 'a-z', 'A-Z'], { timeoutMs: 10_000, stdin: 'hello\n' });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'HELLO\n' });
  });

  it('execs quickly (median of 20 `true`)', async () => {
    const d: number[] = [];
    for (let i = 0; i < 20; i++) d.push((await session!.exec(['true'], { timeoutMs: 10_000 })).durationMs);
    d.sort((a, b) => a - b);
    times.execMedian = d[10]!;
    // `true` is a bash builtin; /bin/true pays for fork and exec in the guest.
    const f: number[] = [];
    for (let i = 0; i < 20; i++) f.push((await session!.exec(['/bin/true'], { timeoutMs: 10_000 })).durationMs);
    f.sort((a, b) => a - b);
    times.forkMedian = f[10]!;
    const one = await session!.execChannel(['true'], { timeoutMs: 10_000 });
    times.execChannel = one.durationMs;
    console.log(`accel=${vm!.accel} QEMU start->DAXLAB-READY ${times.ready!.toFixed(0)} ms, ->ssh ready ${times.ssh!.toFixed(0)} ms, ` +
      `exec median ${times.execMedian.toFixed(1)} ms (/bin/true ${times.forkMedian.toFixed(1)} ms), one-shot exec ${times.execChannel.toFixed(1)} ms`);
    expect(times.execMedian).toBeLessThan(100);
    expect(times.forkMedian).toBeLessThan(1_000);
  });

  it('binds the ssh forward to 127.0.0.1 only', async () => {
    const ss = await execa('ss', ['-Hltn', `sport = :${vm!.sshPort}`]);
    const locals = ss.stdout.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[3]);
    expect(locals).toEqual([`127.0.0.1:${vm!.sshPort}`]);
  });

  it('powers off and leaves no QEMU behind', async () => {
    // sysrq o powers off at once; the command never answers, so do not wait for it.
    void session!.execChannel(['sh', '-c', 'sync; echo o > /proc/sysrq-trigger'], { timeoutMs: 30_000 }).catch(() => undefined);
    const exit = await Promise.race([vm!.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
    expect(exit).toMatchObject({ code: 0 });
    await expect(session!.closed).resolves.toHaveProperty('reason');
    expect(liveChildren()).toEqual([]);
    expect(() => process.kill(vm!.pid, 0)).toThrow();
  });
});

describe('boot failures', () => {
  it('retries a taken port, then reports a kernel panic as BOOT_FAILED with the serial tail', async () => {
    KERNEL = await testKernel();
    const caps = await probeHost();
    const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'daxlab-panic-'));
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    let vm: VmHandle | undefined;
    try {
      const pmemFile = path.join(runDir, 'pmem.img');
      await fs.writeFile(pmemFile, '');
      await fs.truncate(pmemFile, 64 * 1024 * 1024);
      vm = await launchVm(
        {
          kernelImage: KERNEL,
          // The last rootfstype wins: the 9p root cannot mount as ext4, so the kernel panics.
          cmdline: ['rootfstype=ext4'],
          cpus: 1,
          memoryMiB: 512,
          backend: 'pmem',
          pmemFile,
          pmemMiB: 64,
          sshPort: taken,
          serialLog: path.join(runDir, 'serial.log'),
          init: INIT,
          runDir,
        },
        caps,
      );
      expect(vm.sshPort).not.toBe(taken);
      const err = await vm.waitReady(180_000).then(
        () => undefined,
        (e: unknown) => e as DaxlabError,
      );
      expect(err).toBeInstanceOf(DaxlabError);
      expect(err!.code).toBe('BOOT_FAILED');
      expect(err!.message).toMatch(/kernel panic/);
      expect(err!.detail.join('\n')).toMatch(/Kernel panic - not syncing/);
      expect(err!.detail.length).toBeLessThanOrEqual(40);
      // panic=-1 and -no-reboot: QEMU ends by itself.
      await expect(vm.exited).resolves.toBeDefined();
    } finally {
      blocker.close();
      await vm?.kill();
      await fs.rm(runDir, { recursive: true, force: true });
    }
  });
});

describe('virtio-fs backend', () => {
  it('starts virtiofsd first and the guest mounts the share', async (ctx) => {
    KERNEL = await testKernel();
    const caps = await probeHost();
    if (!caps.virtiofsd) return; // nothing to test without virtiofsd
    const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'daxlab-vfs-'));
    const share = path.join(runDir, 'share');
    await fs.mkdir(share);
    await fs.writeFile(path.join(share, 'hello.txt'), 'from the host\n');
    const keys = await prepareSshDir(runDir);
    let vm: VmHandle | undefined;
    let s: GuestSession | undefined;
    try {
      vm = await launchVm(
        {
          kernelImage: KERNEL,
          cmdline: [],
          cpus: 2,
          memoryMiB: 1024,
          backend: 'virtiofs',
          pmemFile: '',
          pmemMiB: 0,
          sshPort: 0,
          serialLog: path.join(runDir, 'serial.log'),
          init: INIT,
          runDir,
          virtiofs: { socket: path.join(runDir, 'vfs.sock'), dir: share, cacheMiB: 64 },
        },
        caps,
      );
      await vm.waitReady(180_000);
      s = await connectGuest({ port: vm.sshPort, privateKey: keys.clientKey, hostPublicKey: keys.hostPublicKey, deadlineMs: Date.now() + 120_000 });
      // QEMU and virtiofsd came up and the guest booted; mounting needs CONFIG_VIRTIO_FS.
      const fss = await s.exec(['cat', '/proc/filesystems'], { timeoutMs: 10_000 });
      if (!/\bvirtiofs\b/.test(fss.stdout)) ctx.skip('the test kernel has no CONFIG_VIRTIO_FS');
      expect((await s.exec(['mkdir', '-p', '/tmp/vfs'], { timeoutMs: 10_000 })).exitCode).toBe(0);
      const m = await s.exec(['mount', '-t', 'virtiofs', 'daxlab', '/tmp/vfs'], { timeoutMs: 30_000 });
      expect(m).toMatchObject({ exitCode: 0, stderr: '' });
      expect((await s.exec(['cat', '/tmp/vfs/hello.txt'], { timeoutMs: 10_000 })).stdout).toBe('from the host\n');
    } finally {
      await s?.close();
      await vm?.kill();
      await fs.rm(runDir, { recursive: true, force: true });
    }
    expect(liveChildren()).toEqual([]);
  });
});
