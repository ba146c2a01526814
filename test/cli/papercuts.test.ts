// Small CLI behaviours through the built CLI: boot's positional plan, compare on a missing file,
// the test-only workload kept out of `daxlab list`, and build never reusing a results directory.
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFakeTree, tempDir } from './kernel/fake-tree.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const work = tempDir('papercuts');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const daxlab = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) =>
  execa('node', [CLI, ...args], { reject: false, cwd: opts.cwd ?? work, env: opts.env });

describe('CLI papercuts', () => {
  it('boot takes the plan positionally (and still with --plan), the guest command after --', async () => {
    const pos = await daxlab(['boot', 'no-such-plan.yaml', '--', 'uname', '-a']);
    expect(pos.exitCode).toBe(2);
    expect(pos.stderr).toMatch(/no-such-plan\.yaml/);
    const flag = await daxlab(['boot', '--plan', 'no-such-plan.yaml', '--', 'true']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toMatch(/no-such-plan\.yaml/);
    const both = await daxlab(['boot', 'a.yaml', '--plan', 'b.yaml', '--', 'true']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('boot got two plans: a.yaml and --plan b.yaml');
    const help = await daxlab(['boot', '--help']);
    expect(help.stdout).toContain('[plan] [-- command...]');
  });

  it('compare on a missing file or a directory without results.json exits 2 naming it', async () => {
    const r = await daxlab(['compare', join(work, 'missing.json'), join(work, 'other.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`daxlab: error: no such results: ${join(work, 'missing.json')}`);
    mkdirSync(join(work, 'empty-results'));
    const d = await daxlab(['compare', join(work, 'empty-results'), join(work, 'empty-results')]);
    expect(d.exitCode).toBe(2);
    expect(d.stderr).toContain(`no such results: ${join(work, 'empty-results')}`);
  });

  it('list shows the catalogue without the test-only fault workload', async () => {
    const r = await daxlab(['list']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^pin-race$/m);
    expect(r.stdout).not.toMatch(/^fault$/m);
  });

  it('build makes a fresh results directory every time and never writes into one that holds a build log', async () => {
    const tree = makeFakeTree();
    const bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    // make: configs keep what is asked; bzImage is one line.
    writeFileSync(join(bin, 'make'), `#!/bin/sh
O=; T=; for a; do case "$a" in O=*) O=\${a#O=};; tinyconfig|bzImage) T=$a;; esac; done
case "$T" in tinyconfig) mkdir -p "$O"; echo CONFIG_64BIT=y > "$O/.config";; bzImage) echo "  CC fs/dax.o"; mkdir -p "$O/arch/x86/boot"; echo img > "$O/arch/x86/boot/bzImage";; esac
`);
    chmodSync(join(bin, 'make'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}`, DAXLAB_CACHE: join(work, 'cache') };
    const cwd = join(work, 'cwd');
    mkdirSync(cwd);
    const first = await daxlab(['build', '--source', tree, '--label', 'fake'], { cwd, env });
    expect(first.exitCode, first.stderr).toBe(0);
    const [dir] = readdirSync(join(cwd, 'daxlab-results'));
    expect(dir).toMatch(/^\d{8}-\d{6}-fake$/);
    expect(existsSync(join(cwd, 'daxlab-results', dir!, 'build', 'build.log'))).toBe(true);
    const taken = await daxlab(['build', '--source', tree, '--results', join(cwd, 'daxlab-results', dir!)], { cwd, env });
    expect(taken.exitCode).toBe(2);
    expect(taken.stderr).toContain('already holds a run (build/build.log)');
    // A cache hit writes nothing, and leaves no empty default directory behind.
    const hit = await daxlab(['build', '--source', tree, '--label', 'fake'], { cwd, env });
    expect(hit.exitCode, hit.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'daxlab-results'))).toEqual([dir]);
    rmSync(tree, { recursive: true, force: true });
  });
});
