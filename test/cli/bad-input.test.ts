// Bad input through the built CLI: each mistake prints a one-line cause naming the fix, exits 2
// and starts nothing (no QEMU boots a kernel, no make builds one). `make` and QEMU are wrapped to
// record every call and run the real tools (Kconfig checks need the real make on the real tree).
// A backend this host's QEMU cannot provide is not bad input: every case is a skip, exit 4 (nothing tested).
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
let work = '';
let bin = '';
let log = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'daxlab-badinput-'));
  bin = join(work, 'bin');
  log = join(work, 'tools.log');
  mkdirSync(bin);
  for (const tool of ['make', 'qemu-system-x86_64']) {
    const real = (await execa('sh', ['-c', `command -v ${tool}`])).stdout.trim();
    writeFileSync(join(bin, tool), `#!/bin/sh\nprintf '%s\\n' "${tool} $*" >> '${log}'\nexec '${real}' "$@"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Run `daxlab run <args>` with the wrapped tools; returns exit code, stderr and the tool calls.
async function daxlab(args: string[]) {
  writeFileSync(log, '');
  const results = join(work, `results-${Math.random().toString(36).slice(2)}`);
  const r = await execa('node', [CLI, 'run', ...args, '--results', results], {
    reject: false,
    cwd: REPO,
    env: { PATH: `${bin}:${process.env.PATH}` },
  });
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { code: r.exitCode, stderr: r.stderr, stdout: r.stdout, calls, results };
}

// Nothing was started: no QEMU with a kernel, no make of a kernel image.
function expectNothingStarted(calls: string[]): void {
  expect(calls.filter((c) => /^qemu-system-x86_64 .*-kernel /.test(c))).toEqual([]);
  expect(calls.filter((c) => /^make .*bzImage/.test(c))).toEqual([]);
}

// A plan file with this text.
function plan(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

// The error lines daxlab printed (first line: the cause).
function errorLines(stderr: string): string[] {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => l.startsWith('daxlab: error: '));
  expect(i, stderr).toBeGreaterThanOrEqual(0);
  return lines.slice(i).filter(Boolean);
}

describe('bad input: exit 2, a clear cause, nothing started', () => {
  it('invalid YAML', async () => {
    const f = plan('yaml.yaml', 'name: x\nworkloads: [register-buffers\n');
    const r = await daxlab([f]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)[0]).toBe(`daxlab: error: invalid plan ${f}: 1 problem`);
    expect(errorLines(r.stderr)[1]).toMatch(new RegExp(`^  ${f}:3: .*(flow|]).*`, 'i'));
    expectNothingStarted(r.calls);
  });

  it('unknown key', async () => {
    const f = plan('key.yaml', 'name: x\ncolour: red\n');
    const r = await daxlab([f]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)[1]).toMatch(new RegExp(`^  ${f}:2: colour: unknown key 'colour'; expected one of: name, kernel, kernels, targets, backend, `));
    expectNothingStarted(r.calls);
  });

  it('unknown workload', async () => {
    const f = plan('workload.yaml', 'name: x\nworkloads: [pin-rase]\n');
    const r = await daxlab([f]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)[1]).toMatch(new RegExp(`^  ${f}:2: workloads\\[0\\]: unknown workload 'pin-rase'; expected one of: pin-race, register-buffers`));
    expectNothingStarted(r.calls);
  });

  it('wrong types, every one reported with its line', async () => {
    const f = plan('types.yaml', 'name: x\nrepeats: many\ntimeouts: { case: -1 }\nvm: { cpus: two }\n');
    const r = await daxlab([f]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      `daxlab: error: invalid plan ${f}: 3 problems`,
      `  ${f}:2: repeats: expected a positive integer, got string 'many'`,
      `  ${f}:3: timeouts.case: expected a positive integer, got number -1`,
      `  ${f}:4: vm.cpus: expected a positive integer, got string 'two'`,
    ]);
    expectNothingStarted(r.calls);
  });

  it('missing files: plan, patch, config fragment', async () => {
    const noPlan = await daxlab([join(work, 'nope.yaml')]);
    expect(noPlan.code).toBe(2);
    expect(errorLines(noPlan.stderr)[0]).toBe(`daxlab: error: plan file ${join(work, 'nope.yaml')}: not found`);
    const noPatch = await daxlab(['--patch', join(work, 'nope.patch')]);
    expect(noPatch.code).toBe(2);
    expect(errorLines(noPatch.stderr)[1]).toBe(`  <command line>: --patch: patch file not found: ${join(work, 'nope.patch')}`);
    const f = plan('patchref.yaml', 'name: x\nkernel:\n  patches: [missing.patch]\n');
    const inPlan = await daxlab([f]);
    expect(inPlan.code).toBe(2);
    expect(errorLines(inPlan.stderr)[1]).toMatch(new RegExp(`^  ${f}:3: kernel\\.patches\\[0\\]: .*not found: ${join(work, 'missing.patch')}`));
    const noConfig = await daxlab(['--config', join(work, 'nope.config')]);
    expect(noConfig.code).toBe(2);
    expect(errorLines(noConfig.stderr)[1]).toBe(`  <command line>: --config: config fragment not found: ${join(work, 'nope.config')}`);
    for (const r of [noPlan, noPatch, inPlan, noConfig]) expectNothingStarted(r.calls);
  });

  it('--debian with a bad package name, or beside --source', async () => {
    const bad = await daxlab(['--debian', 'Linux Source']);
    expect(bad.code).toBe(2);
    expect(errorLines(bad.stderr)[1]).toBe("  <command line>: --debian: 'Linux Source' is not a valid Debian package name");
    const both = await daxlab(['--debian', 'linux-source-6.1', '--source', work]);
    expect(both.code).toBe(2);
    expect(errorLines(both.stderr)[1]).toBe('  <command line>: --debian: --debian cannot be combined with --source or --ref');
    for (const r of [bad, both]) expectNothingStarted(r.calls);
  });

  it('a source path that is not a kernel tree', async () => {
    const dir = join(work, 'not-a-kernel');
    mkdirSync(dir, { recursive: true });
    const r = await daxlab(['--source', dir]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      `daxlab: error: ${dir} is not a Linux kernel tree (missing Makefile, Kconfig, arch/x86/Kconfig, scripts/kconfig)`,
      '  fix: pass --source with the top directory of a kernel checkout',
    ]);
    expectNothingStarted(r.calls);
  });

  it('a patch that does not apply names the patch, the file and the hunk', { timeout: 900_000 }, async () => {
    const patch = join(work, 'stale.patch');
    writeFileSync(patch, [
      'diff --git a/fs/dax.c b/fs/dax.c',
      '--- a/fs/dax.c',
      '+++ b/fs/dax.c',
      '@@ -738,7 +738,7 @@',
      ' ',
      ' struct page *dax_layout_busy_page(struct address_space *mapping)',
      ' {',
      '-\treturn dax_layout_busy_page_range(mapping, 0, LLONG_MAX - 1);',
      '+\treturn dax_layout_busy_page_range(mapping, 0, 0);',
      ' }',
      ' EXPORT_SYMBOL_GPL(dax_layout_busy_page);',
      ' ',
      '',
    ].join('\n'));
    const r = await daxlab(['--patch', patch]);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLines(r.stderr)[0]).toBe(`daxlab: error: patch ${patch} does not apply: fs/dax.c hunk #1 (at line 738) failed`);
    expectNothingStarted(r.calls);
  });

  it('a config option Kconfig drops names the option and its missing dependency', { timeout: 900_000 }, async () => {
    const fragment = join(work, 'devdax.config');
    writeFileSync(fragment, '# device-dax without transparent huge pages\nCONFIG_DEV_DAX=y\n');
    const r = await daxlab(['--config', fragment]);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      'daxlab: error: Kconfig dropped 1 requested option: CONFIG_DEV_DAX',
      '  CONFIG_DEV_DAX=y requested, final .config has it unset (depends on: DAX && TRANSPARENT_HUGEPAGE)',
      '  fix: add the missing dependencies to a fragment (see kernel-configs/)',
    ]);
    // Kconfig itself ran (make tinyconfig/olddefconfig); no kernel was compiled or booted.
    expect(r.calls.some((c) => /^make .*olddefconfig/.test(c))).toBe(true);
    expectNothingStarted(r.calls);
  });

  it('a target nobody declared, and a target file with a mistake (file, line and field)', async () => {
    const none = await daxlab(['--target', 'kvm9']);
    expect(none.code).toBe(2);
    expect(errorLines(none.stderr)[0]).toBe("daxlab: error: unknown target 'kvm9': only 'local' is built in");
    expect(errorLines(none.stderr)[1]).toMatch(/--target-file FILE/);
    const t = plan('targets.yaml', 'targets:\n  kvm1:\n    kind: kvm-host\n    host: kvm1.lab\n    port: many\n    knownHosts: kh\n    identity: id\n');
    const bad = await daxlab(['--target-file', t, '--target', 'kvm1']);
    expect(bad.code).toBe(2);
    expect(errorLines(bad.stderr)).toEqual([`daxlab: error: invalid target file ${t}: 1 problem`, `  ${t}:5: targets.kvm1.port: expected a positive integer, got string 'many'`]);
    const undeclared = await daxlab(['--target-file', t, '--target', 'kvm2']);
    expect(undeclared.code).toBe(2);
    expect(errorLines(undeclared.stderr)[0]).toMatch(/^daxlab: error: (unknown target 'kvm2'|invalid target file)/);
    expectNothingStarted([...none.calls, ...bad.calls, ...undeclared.calls]);
  });
});

describe('a backend this host cannot provide', () => {
  it('virtiofs without a DAX window in QEMU: every case is a skip with the reason, exit 4 (nothing passed)', async (ctx) => {
    const probe = await execa('qemu-system-x86_64', ['-device', 'vhost-user-fs-pci,help'], { reject: false });
    if (/cache-size/.test(probe.stdout + probe.stderr)) ctx.skip('this QEMU has a virtio-fs DAX window');
    const version = /version (\d+\.\d+\.\d+)/.exec((await execa('qemu-system-x86_64', ['--version'])).stdout)![1];
    const r = await daxlab(['--backend', 'virtiofs']);
    expect(r.code, r.stderr + r.stdout).toBe(4);
    const report = JSON.parse(readFileSync(join(r.results, 'results.json'), 'utf8'));
    expect(report.results.length).toBeGreaterThan(0);
    const reasons = new Set(report.results.map((c: { status: string; reason: string }) => `${c.status}: ${c.reason}`));
    expect([...reasons]).toEqual([`skip: QEMU ${version} has no virtio-fs DAX window (vhost-user-fs-pci has no cache-size property)`]);
    expect(existsSync(join(r.results, 'serial.log'))).toBe(false);
    expectNothingStarted(r.calls);
  });

  it('boot --backend virtiofs without a DAX window: refused before any build or boot, exit 69', async (ctx) => {
    const probe = await execa('qemu-system-x86_64', ['-device', 'vhost-user-fs-pci,help'], { reject: false });
    if (/cache-size/.test(probe.stdout + probe.stderr)) ctx.skip('this QEMU has a virtio-fs DAX window');
    writeFileSync(log, '');
    const results = join(work, 'boot-results');
    const r = await execa('node', [CLI, 'boot', '--backend', 'virtiofs', '--results', results, '--', 'true'], {
      reject: false, cwd: REPO, env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expect(r.exitCode, r.stderr).toBe(69);
    expect(errorLines(r.stderr)[0]).toMatch(/^daxlab: error: cannot boot backend virtiofs here: QEMU \S+ has no virtio-fs DAX window \(vhost-user-fs-pci has no cache-size property\)$/);
    expect(existsSync(results)).toBe(false);
    expectNothingStarted(readFileSync(log, 'utf8').split('\n').filter(Boolean));
  });

  it('a plan listing ext4 with backend virtiofs is a plan error at its line and field, exit 2', async () => {
    const f = plan('vfs-ext4.yaml', 'name: x\nbackend: virtiofs\nfilesystems: [ext4]\n');
    const r = await daxlab([f]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)[1]).toBe(
      `  ${f}:3: filesystems[0]: 'ext4' is made on a pmem device; with backend virtiofs the filesystem is the shared host directory: use virtiofs (or leave filesystems out)`,
    );
    expectNothingStarted(r.calls);
  });
});
