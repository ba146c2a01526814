// Target kind machine for real, on a stand-in: a guest with an NVDIMM (test/vm/machine-standin.ts)
// plays a bare-metal pmem machine reached over SSH. With kernel: running the stock kernel passes;
// with kernel: test daxlab kexecs it into the seed-patched kernel, proves it by the mark on its
// command line, catches the bug on its real fsdax namespace, and kexecs it back to its default
// kernel; a kexec into a kernel that panics at boot is an error of the target (exit 69).
import { execa } from 'execa';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, daxlab, REPO } from './cli-run.js';
import { startStandIn, type StandIn } from './machine-standin.js';

const SEED_PATCH = 'test/patches/seed-busy-page-range-end-0.patch';
let dir: string;
let machine: StandIn;
let stockImage: string;
let before: string;
// The default kernel the machine goes back to, where the stand-in can read it after a kexec
// (its /tmp and /root are tmpfs, gone with the kexec; the rest of the host's root is shared).
let restoreDir: string;
let restoreImage: string;

const state = async () => (await machine.sh(['sh', '-c', 'cat /proc/sys/kernel/random/boot_id /proc/cmdline /proc/version'])).split('\n');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'daxlab-machine-'));
  const built = await execa('node', [CLI, 'build'], { cwd: REPO, all: true });
  stockImage = /: (\/\S+\/bzImage)$/m.exec(String(built.stdout))![1]!;
  machine = await startStandIn(stockImage, dir);
  restoreDir = mkdtempSync('/var/cache/daxlab-standin-');
  restoreImage = join(restoreDir, 'bzImage');
  copyFileSync(stockImage, restoreImage);
  before = (await state())[2]!;
}, 1_800_000);

afterAll(async () => {
  await machine?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (restoreDir) rmSync(restoreDir, { recursive: true, force: true });
});

describe('target kind machine (a stand-in guest with an NVDIMM, reached over SSH)', () => {
  it('kernel: running: the default plan passes on the machine\'s own kernel, no VM and no kexec; doctor checks it', async () => {
    const t = machine.targetFile('pmem1', { kernel: 'running' });
    const bootId = (await state())[0];
    const r = await daxlab(['run', '--target-file', t, '--target', 'pmem1']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const bad = r.report!.results.filter((c) => c.status !== 'pass');
    expect(bad.map((c) => `${c.id}: ${c.reason}`), r.output.slice(-3000)).toEqual([]);
    expect(r.report!.results.length).toBe(26);
    expect(r.report!.summary.accel).toBe('none');
    expect(r.output).toMatch(/machine ready in/);
    expect(r.exitCode).toBe(0);
    expect((await state())[0], 'the same boot: no kexec').toBe(bootId);
    const doctor = await execa('node', [CLI, 'doctor', '--target', 'pmem1', '--target-file', t], { reject: false });
    expect(doctor.stdout, doctor.stderr).toMatch(/^target pmem1 \(machine root@127\.0\.0\.1:\d+\): host key verified against /);
    expect(doctor.stdout).toContain('devices: /dev/pmem0: block devices with DAX');
    expect(doctor.exitCode).toBe(0);
  });

  it('kernel: test: kexec into the patched kernel, proven, the seed bug caught, then back to the default kernel', async () => {
    const t = machine.targetFile('pmem1', { kernel: 'test', restore: 'kexec', restoreImage, bootTimeoutSec: 120 });
    const r = await daxlab(['run', 'test/plans/remote-seed.yaml', '--patch', SEED_PATCH, '--target-file', t, '--target', 'pmem1']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const status = Object.fromEntries(r.report!.results.map((c) => [String(c.params.index), c.status]));
    expect(status, r.output.slice(-3000)).toEqual({ 0: 'pass', 5: 'fail' });
    expect(r.output).toMatch(/pmem1: kexec into \S+ \(was \S+\)/);
    expect(r.output).toMatch(/pmem1: runs the kernel under test after [\d.]+ s: Linux version/);
    expect(r.output).toMatch(/pmem1: back on its default kernel \S+ after [\d.]+ s \(kexec back into /);
    expect(r.exitCode).toBe(1);
    console.log(r.output.split('\n').filter((l) => /pmem1: |machine ready|Total:/.test(l)).join('\n'));
    const [, cmdline, version] = await state();
    expect(cmdline).not.toContain('daxlab.boot=');
    expect(version, 'the default kernel again').toBe(before);
  });

  it('a kexec into a kernel that panics at boot is an error of the target (exit 69), with the console\'s last lines', async () => {
    const t = machine.targetFile('pmem1', { kernel: 'test', restore: 'kexec', restoreImage, bootTimeoutSec: 45 });
    // The stock kernel told to run an init that does not exist: "Kernel panic - not syncing: Requested init ... failed".
    const r = await daxlab(['run', 'test/plans/remote-seed.yaml', '--append', 'init=/nonexistent-daxlab-init', '--target-file', t, '--target', 'pmem1']);
    expect(r.exitCode, r.output.slice(-3000)).toBe(69);
    expect(r.report!.results.map((c) => c.status)).toEqual(['error', 'error']);
    expect(r.report!.results[0]!.reason).toMatch(/the machine did not come back within 45 s \(bootTimeoutSec\) after kexec into/);
    expect(r.output).toMatch(/Kernel panic - not syncing/);
  });
});
