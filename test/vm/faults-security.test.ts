// Fault injection, real QEMU: a kernel label with shell syntax is refused (exit 2, file:line:field);
// hostile plan text is never run by a shell (host or guest); the
// per-boot SSH material sits in a 0700 dir with 0600 files and is gone after the run; the SSH
// forward listens on 127.0.0.1 only; no private key reaches the results directory.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from './cli-run.js';
import { expectJournalMatchesReport, expectNoLeftovers, qemuOf, serialText, startDaxlab, waitFor } from './faults.js';

describe('fault: hostile input and secrets', () => {
  it('never runs plan text in a shell, keeps keys private and removes them, binds to loopback', async () => {
    const tag = `daxlab-pwned-${process.pid}-${Date.now()}`;
    const marks = [`/tmp/${tag}-a`, `/tmp/${tag}-b`, `/tmp/${tag}-c`, `/tmp/${tag}-d`];
    const name = `x$(touch ${marks[0]});\`touch ${marks[1]}\``;
    const label = `l;touch ${marks[2]};$(touch ${marks[3]})|&>'"`;
    const dir = mkdtempSync(join(tmpdir(), 'daxlab-fault-plan-'));
    const planFile = join(dir, 'hostile.yaml');
    const planText = (kernelLabel: string) => [
      `name: ${JSON.stringify(name)}`,
      `kernel: { label: ${JSON.stringify(kernelLabel)} }`,
      'filesystems: [ext4]',
      'workloads: [register-buffers]',
      '',
    ].join('\n');
    // A label names result and cache files: shell syntax in it is refused before anything runs.
    writeFileSync(planFile, planText(label));
    const refused = await execa('node', [CLI, 'run', planFile], { reject: false, all: true, cwd: REPO });
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.all).toContain(`${planFile}:2: kernel.label: expected letters, digits and . _ + - (at most 64)`);
    // The plan name is free text: it is carried into every report, and never reaches a shell.
    writeFileSync(planFile, planText('hostile-name'));

    const run = startDaxlab(['run', planFile]);
    const [qemu] = await waitFor('QEMU to run', async () => {
      const q = await qemuOf(run);
      return q.length > 0 ? q : null;
    }, 120_000, run);
    const runDir = /daxlab\.run=(\S+)/.exec(qemu!.cmd)![1]!;
    // Private material: 0700 directories, 0600 files.
    expect(statSync(runDir).mode & 0o777).toBe(0o700);
    const sshDir = join(runDir, 'ssh');
    expect(statSync(sshDir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(sshDir)) expect(statSync(join(sshDir, f)).mode & 0o777, f).toBe(0o600);
    // The forward: only on the loopback address.
    const port = /hostfwd=tcp:127\.0\.0\.1:(\d+)-:22/.exec(qemu!.cmd)?.[1];
    expect(port, qemu!.cmd).toBeDefined();
    // Checked while the guest sets up its filesystem (after DAXLAB-READY, before the only case).
    await waitFor('the guest to be up', () => serialText(run.results).includes('DAXLAB-READY'), 120_000, run);
    const ss = await execa('ss', ['-Hltn', `sport = :${port}`]);
    const locals = ss.stdout.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[3]);
    expect(locals).toEqual([`127.0.0.1:${port}`]);

    const r = await run.child;
    const output = String(r.all ?? '');
    expect(r.exitCode, output.slice(-3000)).toBe(0);
    const report = expectJournalMatchesReport(run.results);
    expect(report.summary.plan).toBe(name);
    expect(report.results.map((c) => [c.kernel, c.status])).toEqual([['hostile-name', 'pass']]);
    for (const m of marks) expect(existsSync(m), `${m} was created: plan text reached a shell`).toBe(false);
    // No private key in anything the run wrote.
    const grep = await execa('grep', ['-rlE', 'PRIVATE KEY|BEGIN OPENSSH', run.results], { reject: false });
    expect(grep.stdout).toBe('');
    expect(run.runDirs.has(runDir)).toBe(true);
    await expectNoLeftovers(run);
    rmSync(dir, { recursive: true, force: true });
  });
});
