// Target kind kvm-host for real: an OpenSSH sshd on 127.0.0.1 (bench/sshd-host.ts) plays the
// remote KVM host; daxlab reaches QEMU, its monitor and the guest only through that connection.
// A wrong or unknown host key stops the run before anything is sent; the default plan passes and
// the seed's bug fails on the remote; uploads are content-addressed; Ctrl-C, a killed remote QEMU
// and a cut connection keep the finished cases and leave nothing running or behind on the host.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshdHost } from '../../bench/sshd-host.js';
import { generateEd25519 } from '../../src/guest/keys.js';
import { CLI, daxlab } from './cli-run.js';
import { byId, caseBegan, expectJournalMatchesReport, journal, processesMentioning, startDaxlab, waitFor } from './faults.js';

const SEED_PATCH = 'test/patches/seed-busy-page-range-end-0.patch';
const HANG = 'ext4/fault/kind=hang#1';
let host: SshdHost;
let dir: string;
let targets: string;

// What a run may leave on the "remote" host: run dirs, QEMUs and helper processes started from them.
async function remoteLeftovers(): Promise<string[]> {
  const dirs = readdirSync('/tmp').filter((n) => n.startsWith('daxlab-remote.')).map((n) => `dir /tmp/${n}`);
  const procs = [...(await processesMentioning('/tmp/daxlab-remote.')), ...(await processesMentioning(join(dir, 'store')))];
  return [...dirs, ...procs.map((p) => `process ${p.pid}: ${p.cmd.slice(0, 200)}`)];
}

async function expectNothingLeft(): Promise<void> {
  // The helper removes what it made once its channel ends; give it its 2 s of QEMU grace.
  const deadline = Date.now() + 8_000;
  let left = await remoteLeftovers();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = await remoteLeftovers();
  }
  expect(left, 'left on the remote host').toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'daxlab-kvmhost-'));
  host = await SshdHost.start(dir);
  targets = host.targetFile('loop', { workDir: join(dir, 'store') });
});

afterAll(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('target kind kvm-host over a real sshd', () => {
  it('refuses a changed or unknown host key before anything is sent, printing the fingerprint', async () => {
    writeFileSync(join(dir, 'known_hosts_changed'), `[127.0.0.1]:${host.port} ${generateEd25519('other').public}\n`);
    writeFileSync(join(dir, 'known_hosts_empty'), '');
    for (const [kh, message] of [['known_hosts_changed', /HOST KEY CHANGED: it presented SHA256:\S+; .* expects SHA256:\S+ \(line 1\); nothing was run/], ['known_hosts_empty', /its host key SHA256:\S+ is not in .*known_hosts_empty; nothing was run/]] as const) {
      const file = host.targetFile('loop', { workDir: join(dir, `store-${kh}`), knownHosts: `./${kh}` }, `${kh}.yaml`);
      const r = await daxlab(['run', '--target-file', file, '--target', 'loop'], 60_000);
      expect(r.output).toMatch(message);
      expect(r.exitCode).toBe(69);
      expect(existsSync(join(dir, `store-${kh}`)), 'nothing uploaded').toBe(false);
      expect(r.report?.results ?? []).toEqual([]);
    }
  });

  it('doctor --target checks the host over SSH and names what is missing there with the line to run there', async () => {
    const ok = await execa('node', [CLI, 'doctor', '--target', 'loop', '--target-file', targets], { reject: false });
    expect(ok.stdout).toMatch(/^target loop \(kvm-host root@127\.0\.0\.1:\d+\): host key verified against /);
    expect(ok.stdout).toMatch(/^QEMU: \/usr\/bin\/qemu-system-x86_64 version /m);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    const noQemu = host.targetFile('loop', { workDir: join(dir, 'store'), qemu: '/nonexistent/qemu-system-x86_64' }, 'no-qemu.yaml');
    const bad = await execa('node', [CLI, 'doctor', '--target', 'loop', '--target-file', noQemu], { reject: false });
    expect(bad.stdout).toContain('missing on 127.0.0.1: qemu-system-x86_64 (package qemu-system-x86)');
    expect(bad.stdout).toContain('fix, on 127.0.0.1: apt-get install -y qemu-system-x86');
    expect(bad.exitCode).toBe(69);
  });

  it('runs the default plan on the remote host: every case passes and records its target; nothing is left there', async () => {
    const r = await daxlab(['run', '--target-file', targets, '--target', 'loop']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const bad = r.report!.results.filter((c) => c.status !== 'pass');
    expect(bad.map((c) => `${c.id}: ${c.reason}`), r.output.slice(-3000)).toEqual([]);
    expect(r.report!.results.length).toBe(26);
    expect(new Set(r.report!.results.map((c) => c.target))).toEqual(new Set(['loop']));
    expect(r.output).toMatch(/loop: uploaded \d+ of \d+ files/);
    // The guest's console came back through the connection.
    expect(readdirSync(r.results).filter((f) => f.startsWith('serial'))).not.toEqual([]);
    expect(r.exitCode).toBe(0);
    await expectNothingLeft();
  });

  it('catches the seed bug on the remote host, uploading only the new kernel image', async () => {
    const r = await daxlab(['run', 'test/plans/remote-seed.yaml', '--patch', SEED_PATCH, '--target-file', targets, '--target', 'loop']);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    const status = Object.fromEntries(r.report!.results.map((c) => [String(c.params.index), c.status]));
    expect(status, r.output.slice(-3000)).toEqual({ 0: 'pass', 5: 'fail' });
    expect(r.output).toMatch(/loop: uploaded 1 of (\d+) files \([\d.]+ MiB\), \1 already|loop: uploaded 1 of \d+ files/);
    expect(r.exitCode).toBe(1);
    await expectNothingLeft();
  });

  it('Ctrl-C during a case on the remote host: exit 130, the finished case kept, nothing left there', async () => {
    const run = startDaxlab(['run', 'test/plans/fault-signal.yaml', '--target-file', targets, '--target', 'loop']);
    await waitFor('the hanging case to start', () => caseBegan(run.results, HANG), 180_000, run);
    run.child.kill('SIGINT');
    const r = await run.child;
    expect(r.exitCode, String(r.all).slice(-3000)).toBe(130);
    const report = expectJournalMatchesReport(run.results);
    expect(report.results.map((c) => `${c.id} ${c.status}`)).toEqual(['ext4/register-buffers/-#1 pass', `${HANG} error`]);
    await expectNothingLeft();
  });

  it('the remote QEMU killed mid-case: that case errors at once as QEMU\'s death, not the kernel\'s', async () => {
    const run = startDaxlab(['run', 'test/plans/fault-signal.yaml', '--target-file', targets, '--target', 'loop']);
    await waitFor('the hanging case to start', () => caseBegan(run.results, HANG), 180_000, run);
    const qemu = (await processesMentioning('/tmp/daxlab-remote.')).filter((p) => /qemu-system/.test(p.cmd) && !p.cmd.startsWith('bash'));
    expect(qemu.length).toBe(1);
    const killedAt = Date.now();
    process.kill(qemu[0]!.pid, 'SIGKILL');
    const r = await run.child;
    expect(r.exitCode, String(r.all).slice(-3000)).toBe(69);
    expect(Date.now() - killedAt, 'noticed long before the case timeout of 100 s').toBeLessThan(20_000);
    const report = expectJournalMatchesReport(run.results);
    expect(byId(report.results, 'ext4/register-buffers/-#1').status).toBe('pass');
    expect(byId(report.results, HANG).status).toBe('error');
    expect(byId(report.results, HANG).reason).toMatch(/^QEMU died during the case \(killed by SIGKILL\), not a kernel crash: /);
    await expectNothingLeft();
  });

  it('the SSH connection to the host cut mid-case: the case and the rest error as the target\'s fault, exit 69, nothing left there', async () => {
    const run = startDaxlab(['run', 'test/plans/fault-signal.yaml', '--target-file', targets, '--target', 'loop']);
    await waitFor('the hanging case to start', () => caseBegan(run.results, HANG), 180_000, run);
    // sshd's per-connection processes: killing them cuts daxlab's connection as a network fault would.
    const main = Number((await execa('cat', [join(dir, 'sshd.pid')])).stdout);
    const children = (await execa('pgrep', ['-P', String(main)], { reject: false })).stdout.split('\n').filter(Boolean);
    expect(children.length).toBeGreaterThan(0);
    for (const pid of children) process.kill(Number(pid), 'SIGKILL');
    const r = await run.child;
    expect(r.exitCode, String(r.all).slice(-3000)).toBe(69);
    const j = journal(run.results);
    expect(j.results.find((c) => c.id === 'ext4/register-buffers/-#1')?.status).toBe('pass');
    expect(j.results.find((c) => c.id === HANG)?.status).toBe('error');
    await expectNothingLeft();
  });
});
