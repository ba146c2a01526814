// The kernel cache through the built CLI, with a fake kernel tree and a fake `make` (Kconfig keeps
// what is asked; bzImage takes 3 s): two `daxlab build` processes at once build once (the other
// waits on the tree lock and reuses the entry), and a corrupted cache entry is detected, never
// used, and rebuilt.
import { execa } from 'execa';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFakeTree, tempDir } from './kernel/fake-tree.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

const FAKE_MAKE = `#!/bin/sh
# fake make: tinyconfig/olddefconfig keep the requested options; bzImage takes 3 s
printf '%s\\n' "make $*" >> "$FAKE_MAKE_LOG"
O=; T=
for a; do case "$a" in O=*) O=\${a#O=};; tinyconfig|olddefconfig|bzImage) T=$a;; esac; done
case "$T" in
  tinyconfig) mkdir -p "$O"; printf 'CONFIG_64BIT=y\\n' > "$O/.config";;
  olddefconfig) ;;
  bzImage) sleep 3; mkdir -p "$O/arch/x86/boot"; printf 'fake bzImage %s\\n' "$$" > "$O/arch/x86/boot/bzImage";;
esac
`;

let work = '';
let tree = '';
const env: Record<string, string> = {};

beforeAll(() => {
  work = tempDir('buildcache');
  tree = makeFakeTree();
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'make'), FAKE_MAKE);
  chmodSync(join(work, 'bin', 'make'), 0o755);
  Object.assign(env, {
    PATH: `${join(work, 'bin')}:${process.env.PATH}`,
    DAXLAB_CACHE: join(work, 'cache'),
    FAKE_MAKE_LOG: join(work, 'make.log'),
  });
  writeFileSync(env.FAKE_MAKE_LOG!, '');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tree, { recursive: true, force: true });
});

// `daxlab build --source <fake tree> --json`; resolves with the JSON line and stderr.
async function build() {
  const r = await execa('node', [CLI, 'build', '--source', tree, '--json', '--results', mkdtempIn(work)], { reject: false, cwd: REPO, env });
  expect(r.exitCode, r.stderr).toBe(0);
  return { line: JSON.parse(r.stdout.trim()) as { image: string; key: string; cached: boolean }, stderr: r.stderr, pid: r.pid };
}

function mkdtempIn(dir: string): string {
  const d = join(dir, `r-${Math.random().toString(36).slice(2)}`);
  mkdirSync(d);
  return d;
}

const bzImageCalls = () => readFileSync(env.FAKE_MAKE_LOG!, 'utf8').split('\n').filter((l) => /\bbzImage\b/.test(l)).length;

describe('kernel cache under concurrency and corruption', () => {
  it('two builds at once: one compiles, the other waits on the lock and reuses the entry', async () => {
    const [a, b] = await Promise.all([build(), build()]);
    expect(bzImageCalls()).toBe(1);
    expect(a.line.image).toBe(b.line.image);
    expect([a.line.cached, b.line.cached].sort()).toEqual([false, true]);
    const waiter = a.line.cached ? a : b;
    expect(waiter.stderr).toMatch(/waiting for daxlab pid \d+ on host \S+ \(since [^)]+\), which is building this tree/);
    expect(readdirSync(join(env.DAXLAB_CACHE!, 'kernels')).sort()).toEqual([a.line.key, `${a.line.key}.lock`]);
  });

  it('a truncated cache entry is detected, never used, and rebuilt', async () => {
    const first = await build();
    expect(first.line.cached).toBe(true);
    const calls = bzImageCalls();
    truncateSync(first.line.image, 5);
    const again = await build();
    expect(again.stderr).toMatch(/cache entry \S+ is corrupt \(bzImage does not match meta\.json\); rebuilding/);
    expect(again.line.cached).toBe(false);
    expect(bzImageCalls()).toBe(calls + 1);
    const meta = JSON.parse(readFileSync(join(again.line.image, '..', 'meta.json'), 'utf8'));
    const image = readFileSync(again.line.image);
    expect(image.length).toBeGreaterThan(5);
    expect(createHash('sha256').update(image).digest('hex')).toBe(meta.imageSha256);
    // The next build is a clean hit again.
    expect((await build()).line.cached).toBe(true);
    expect(bzImageCalls()).toBe(calls + 1);
  });
});

