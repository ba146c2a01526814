// `daxlab cache` through the built CLI on a cache filled by real `daxlab build` runs (fake kernel
// tree, fake make): list and du, gc by age and by size that never removes an entry a running
// daxlab uses, and export/import between two caches, refusing tampered archives.
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitEdits, makeFakeTree, tempDir } from './kernel/fake-tree.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const ARTIFACTS = join(REPO, 'dist', 'src', 'kernel', 'artifact-cache.js');

const FAKE_MAKE = `#!/bin/sh
printf 'make %s\\n' "$*" >> "$TOOL_LOG"
O=; T=; for a; do case "$a" in O=*) O=\${a#O=};; tinyconfig|bzImage) T=$a;; esac; done
case "$T" in
  tinyconfig) mkdir -p "$O"; echo CONFIG_64BIT=y > "$O/.config";;
  bzImage) mkdir -p "$O/arch/x86/boot"; head -c 200K /dev/urandom > "$O/arch/x86/boot/bzImage";;
esac
`;

const work = tempDir('cachecmd');
const tree = makeFakeTree('linux');
const log = join(work, 'tools.log');
const env = (cache: string) => ({ PATH: `${join(work, 'bin')}:${process.env.PATH}`, DAXLAB_CACHE: cache, TOOL_LOG: log });
const cacheA = join(work, 'cacheA');
const daxlab = (cache: string, args: string[]) => execa('node', [CLI, ...args], { reject: false, cwd: work, env: env(cache) });
let keys: string[] = [];

interface Entry { kind: string; key: string; path: string; label: string; bytes: number; lastUse: number; inUse: boolean }
async function list(cache: string): Promise<Entry[]> {
  const r = await daxlab(cache, ['cache', 'list', '--json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { entries: Entry[] }).entries;
}

async function build(cache: string): Promise<{ key: string; cached: boolean }> {
  const r = await daxlab(cache, ['build', '--source', tree, '--json', '--results', join(work, `r-${Math.random().toString(36).slice(2)}`)]);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'make'), FAKE_MAKE);
  chmodSync(join(work, 'bin', 'make'), 0o755);
  writeFileSync(log, '');
  keys.push((await build(cacheA)).key);
  commitEdits(tree, [[3, 'int three_second_commit;']]);
  keys.push((await build(cacheA)).key);
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tree, { recursive: true, force: true });
});

describe('daxlab cache', () => {
  it('lists kernels and the tree with label, size, last use and use; du sums them', async () => {
    const entries = await list(cacheA);
    expect(entries.map((e) => e.kind).sort()).toEqual(['kernel', 'kernel', 'tree']);
    expect(entries.filter((e) => e.kind === 'kernel').map((e) => e.key).sort()).toEqual([...keys].sort());
    for (const e of entries) {
      expect(e.bytes).toBeGreaterThan(e.kind === 'kernel' ? 200 * 1024 : 0);
      expect(e.inUse).toBe(false);
      expect(Date.now() - e.lastUse).toBeLessThan(120_000);
    }
    expect(entries.find((e) => e.kind === 'tree')!.label).toContain(`clone of ${tree}`);
    expect(entries.find((e) => e.kind === 'kernel')!.label).toMatch(/^[^:]+: git [0-9a-f]{40}$/);
    const du = await daxlab(cacheA, ['cache', 'du']);
    expect(du.stdout).toMatch(/^kernels\s+2\s+\S+ \wiB$/m);
    expect(du.stdout).toMatch(/^total\s+3\s+/m);
    const human = await daxlab(cacheA, ['cache', 'list']);
    expect(human.stdout).toContain(keys[0]);
  });

  it('gc needs a limit', async () => {
    const r = await daxlab(cacheA, ['cache', 'gc']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('cache gc needs --max-age DAYS, --max-size GIB, or both');
  });

  it('export and import: another cache gets the same entry, verified, and its build is a hit (no make)', async () => {
    const tar = join(work, 'kernels.tar');
    const ex = await daxlab(cacheA, ['cache', 'export', keys[1]!.slice(0, 6), '--out', tar]);
    expect(ex.exitCode, ex.stderr).toBe(0);
    const digest = /sha256 ([0-9a-f]{64})$/.exec(ex.stdout)![1]!;
    const again = await daxlab(cacheA, ['cache', 'export', keys[1]!, '--out', join(work, 'again.tar')]);
    expect(/sha256 ([0-9a-f]{64})$/.exec(again.stdout)![1]).toBe(digest); // reproducible: same entry, same bytes
    const cacheB = join(work, 'cacheB');
    const im = await daxlab(cacheB, ['cache', 'import', tar, '--expect', digest]);
    expect(im.exitCode, im.stderr).toBe(0);
    expect(im.stdout).toContain(`imported ${keys[1]}`);
    const twice = await daxlab(cacheB, ['cache', 'import', tar]);
    expect(twice.stdout).toContain(`already present ${keys[1]}`);
    writeFileSync(log, '');
    const hit = await build(cacheB);
    expect(hit).toMatchObject({ key: keys[1], cached: true });
    expect(readFileSync(log, 'utf8')).not.toMatch(/bzImage/);
    expect(readdirSync(join(cacheB, 'kernels')).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('refuses a tampered archive with exit 2 and installs nothing from it', async () => {
    const tar = join(work, 'kernels.tar');
    const x = join(work, 'x-tamper');
    mkdirSync(x);
    await execa('tar', ['-xf', tar, '-C', x]);
    const image = join(x, 'kernels', keys[1]!, 'bzImage');
    const bytes = readFileSync(image);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(image, bytes);
    const bad = join(work, 'tampered.tar');
    await execa('tar', ['-cf', bad, '-C', x, 'kernels']);
    const cacheC = join(work, 'cacheC');
    const r = await daxlab(cacheC, ['cache', 'import', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`daxlab: error: refusing ${bad}: entry ${keys[1]}: bzImage does not match meta.json`);
    expect(existsSync(join(cacheC, 'kernels', keys[1]!))).toBe(false);

    symlinkSync('/etc/passwd', join(x, 'kernels', keys[1]!, 'link'));
    await execa('tar', ['-cf', bad, '-C', x, 'kernels']);
    const link = await daxlab(cacheC, ['cache', 'import', bad]);
    expect(link.exitCode).toBe(2);
    expect(link.stderr).toMatch(/link is not a plain file or directory \(type l\)/);

    const wrong = await daxlab(cacheC, ['cache', 'import', tar, '--expect', '0'.repeat(64)]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('not the expected');
    expect(readdirSync(join(cacheC, 'kernels')).filter((n) => !n.endsWith('.lock'))).toEqual([]);
  });

  it('gc removes by age, then by size, but never an entry a running daxlab uses', async () => {
    const [old, used] = keys as [string, string];
    // A process using entry `used` (as a run does from its build to its exit).
    const script = `const { holdEntry } = await import(${JSON.stringify(ARTIFACTS)}); await holdEntry(${JSON.stringify(cacheA)}, ${JSON.stringify(used)}); console.log('held'); setInterval(() => {}, 1000);`;
    const user = spawn(process.execPath, ['--input-type=module', '-e', script]);
    await new Promise<void>((r) => user.stdout.on('data', () => r()));
    try {
      const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
      utimesSync(join(cacheA, 'kernels', old), tenDaysAgo, tenDaysAgo);
      const byAge = await daxlab(cacheA, ['cache', 'gc', '--max-age', '5']);
      expect(byAge.exitCode, byAge.stderr).toBe(0);
      expect(byAge.stdout).toMatch(new RegExp(`^removed\\s+kernel\\s+${old}`, 'm'));
      expect(existsSync(join(cacheA, 'kernels', old))).toBe(false);
      expect((await list(cacheA)).find((e) => e.key === used)?.inUse).toBe(true);
      const dry = await daxlab(cacheA, ['cache', 'gc', '--max-size', '0', '--dry-run']);
      expect(dry.stdout).toMatch(/^would remove\s+tree/m);
      expect((await list(cacheA)).length).toBe(2);
      const bySize = await daxlab(cacheA, ['cache', 'gc', '--max-size', '0']);
      expect(bySize.stdout).toMatch(/^removed\s+tree/m);
      expect(bySize.stdout).toMatch(new RegExp(`^kept \\(in use\\)\\s+kernel\\s+${used}`, 'm'));
      expect((await list(cacheA)).map((e) => e.key)).toEqual([used]);
    } finally {
      user.kill('SIGKILL');
    }
    await new Promise((r) => user.on('exit', r));
    const after = await daxlab(cacheA, ['cache', 'gc', '--max-size', '0']);
    expect(after.stdout).toMatch(new RegExp(`^removed\\s+kernel\\s+${used}`, 'm'));
    expect(await list(cacheA)).toEqual([]);
  });
});
