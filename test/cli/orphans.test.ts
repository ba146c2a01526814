// Nothing daxlab starts outlives it, even when it is killed with SIGKILL: a tracked helper (as QEMU
// and virtiofsd are started) and a kernel build's make. The next build then starts at once: the
// build lock died with its holder and no orphaned make is writing the object dir.
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFakeTree, tempDir } from './kernel/fake-tree.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const PROCESS_MODULE = join(REPO, 'dist', 'src', 'vm', 'process.js');

// make that records its pid; bzImage hangs (as one long compile) when FAKE_MAKE_HANG is set.
const FAKE_MAKE = `#!/bin/sh
O=; T=
for a; do case "$a" in O=*) O=\${a#O=};; tinyconfig|olddefconfig|bzImage) T=$a;; esac; done
case "$T" in
  tinyconfig) mkdir -p "$O"; printf 'CONFIG_64BIT=y\\n' > "$O/.config";;
  bzImage)
    echo $$ > "$FAKE_MAKE_PID"
    if [ -n "$FAKE_MAKE_HANG" ]; then exec sleep 600; fi
    mkdir -p "$O/arch/x86/boot"; echo image > "$O/arch/x86/boot/bzImage";;
esac
`;

const work = tempDir('orphans');
const tree = makeFakeTree();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tree, { recursive: true, force: true });
});

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

describe('no orphans when daxlab is killed with SIGKILL', () => {
  it('a tracked helper process dies with it', async () => {
    const script = `const { spawnTracked } = await import(${JSON.stringify(PROCESS_MODULE)});
      const c = spawnTracked('helper', ['sleep', '613']); console.log(c.pid); setInterval(() => {}, 1000);`;
    const node = spawn(process.execPath, ['--input-type=module', '-e', script]);
    const pid = await new Promise<number>((r) => node.stdout.on('data', (d: Buffer) => r(Number(d.toString().trim()))));
    await new Promise((r) => setTimeout(r, 200));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe('sleep');
    node.kill('SIGKILL');
    expect(await gone(pid, 2_000), `helper ${pid} outlived its daxlab`).toBe(true);
  });

  it('a build killed mid-make leaves no make behind, and the next build starts at once', async () => {
    mkdirSync(join(work, 'bin'), { recursive: true });
    writeFileSync(join(work, 'bin', 'make'), FAKE_MAKE);
    chmodSync(join(work, 'bin', 'make'), 0o755);
    const pidFile = join(work, 'make.pid');
    const env = { PATH: `${join(work, 'bin')}:${process.env.PATH}`, DAXLAB_CACHE: join(work, 'cache'), FAKE_MAKE_PID: pidFile };
    const first = execa('node', [CLI, 'build', '--source', tree, '--results', join(work, 'r1')], {
      reject: false,
      cwd: REPO,
      env: { ...env, FAKE_MAKE_HANG: '1' },
    });
    const deadline = Date.now() + 60_000;
    while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const makePid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(makePid)).toBe(true);
    first.kill('SIGKILL');
    await first;
    expect(await gone(makePid, 2_000), `make ${makePid} outlived its daxlab`).toBe(true);
    const t0 = Date.now();
    const second = await execa('node', [CLI, 'build', '--source', tree, '--json', '--results', join(work, 'r2')], { reject: false, cwd: REPO, env });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('waiting for');
    expect(JSON.parse(second.stdout).cached).toBe(false);
    console.log(`next build after the SIGKILL: ${Date.now() - t0} ms`);
  });
});
