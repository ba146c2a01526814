// A full disk is an infrastructure failure (exit 69) naming the path, never a crash: the build log
// on a full results file system, and a kernel entry stored into a full cache. Each file system is a
// small tmpfs mounted for the test (needs root; skipped otherwise).
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFakeTree, tempDir } from './kernel/fake-tree.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

// make: configs keep what is asked; bzImage prints FAKE_MAKE_LINES lines and writes a FAKE_MAKE_KIB image.
const FAKE_MAKE = `#!/bin/sh
O=; T=
for a; do case "$a" in O=*) O=\${a#O=};; tinyconfig|bzImage) T=$a;; esac; done
case "$T" in
  tinyconfig) mkdir -p "$O"; echo CONFIG_64BIT=y > "$O/.config";;
  bzImage)
    i=0; while [ $i -lt "\${FAKE_MAKE_LINES:-1}" ]; do echo "  CC      fs/dax_$i.o built with a long enough line of output"; i=$((i+1)); done
    mkdir -p "$O/arch/x86/boot"; head -c "\${FAKE_MAKE_KIB:-1}K" /dev/urandom > "$O/arch/x86/boot/bzImage";;
esac
`;

const work = tempDir('ioerrors');
const tree = makeFakeTree();
const mounts: string[] = [];
const canMount = process.getuid?.() === 0;

// A tmpfs of `size` at work/<name>.
function smallFs(name: string, size: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount tmpfs on ${dir}: ${r.stderr}`);
  mounts.push(dir);
  return dir;
}

afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  rmSync(work, { recursive: true, force: true });
  rmSync(tree, { recursive: true, force: true });
});

async function build(env: Record<string, string>, results: string) {
  mkdirSync(join(work, 'bin'), { recursive: true });
  writeFileSync(join(work, 'bin', 'make'), FAKE_MAKE);
  chmodSync(join(work, 'bin', 'make'), 0o755);
  return execa('node', [CLI, 'build', '--source', tree, '--results', results], {
    reject: false,
    cwd: REPO,
    env: { PATH: `${join(work, 'bin')}:${process.env.PATH}`, ...env },
  });
}

describe.skipIf(!canMount)('full file systems', () => {
  it('a build log on a full results file system: exit 69 naming the log, no crash', async () => {
    const results = smallFs('results', '64k');
    const r = await build({ DAXLAB_CACHE: join(work, 'cache1'), FAKE_MAKE_LINES: '20000' }, join(results, 'r'));
    expect(r.exitCode, r.stderr).toBe(69);
    expect(r.stderr).toContain(`daxlab: error: cannot write the build log ${join(results, 'r', 'build', 'build.log')}: ENOSPC`);
    expect(r.stderr).toContain('the results file system is full');
    expect(r.stderr).not.toMatch(/internal error|Unhandled|node:events/);
  });

  it('a kernel stored into a full cache: exit 69 naming the entry and the file, no entry and no temp dir left', async () => {
    const cache = smallFs('cache', '3m');
    const r = await build({ DAXLAB_CACHE: cache, FAKE_MAKE_KIB: '1800' }, join(work, 'r2'));
    expect(r.exitCode, r.stderr).toBe(69);
    expect(r.stderr).toMatch(new RegExp(`daxlab: error: cannot store the kernel in the cache entry ${cache}/kernels/[0-9a-f]{16}: ENOSPC \\(copyfile ${cache}/kernels/[0-9a-f]{16}\\.tmp-\\d+-\\d+/bzImage\\)`));
    expect(r.stderr).toContain('the cache file system is full');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(readdirSync(join(cache, 'kernels')).filter((n) => !n.endsWith('.lock'))).toEqual([]);
  });
});
