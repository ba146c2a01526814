// `--source` across commits, through the built CLI with a fake kernel repository: one cached clone
// per repository (cloned once, then fetched into), one object dir reused, and a reset that rewrites
// only the files a commit changed, so make's next build is incremental. `git` is wrapped to record
// every call; the fake `make` records which source files are newer than its previous build.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitEdits, editLine, git, makeFakeTree, tempDir } from './kernel/fake-tree.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

const FAKE_MAKE = `#!/bin/sh
S=; O=; T=
for a; do case "$a" in O=*) O=\${a#O=};; tinyconfig|bzImage) T=$a;; esac; done
prev=; for a; do [ "$prev" = -C ] && S=$a; prev=$a; done
printf 'make %s\\n' "$T" >> "$TOOL_LOG"
case "$T" in
  tinyconfig) mkdir -p "$O"; echo CONFIG_64BIT=y > "$O/.config";;
  bzImage)
    if [ -e "$O/.built" ]; then
      printf 'rebuilt %s:' "$O" >> "$TOOL_LOG"
      (cd "$S" && find . -type f -newer "$O/.built" -not -path './.git/*' | sort | tr '\\n' ' ') >> "$TOOL_LOG"
      echo >> "$TOOL_LOG"
    else
      printf 'cold %s\\n' "$O" >> "$TOOL_LOG"
    fi
    sleep 1; touch "$O/.built"
    mkdir -p "$O/arch/x86/boot"; cat "$S/fs/dax.c" "$S/fs/inode.c" > "$O/arch/x86/boot/bzImage";;
esac
`;

const work = tempDir('srccommits');
const tree = makeFakeTree('linux');
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tree, { recursive: true, force: true });
});

const log = join(work, 'tools.log');
const cache = join(work, 'cache');
const tmp = join(work, 'tmp');

function setup() {
  mkdirSync(join(work, 'bin'), { recursive: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(work, 'bin', 'make'), FAKE_MAKE);
  const realGit = execaSyncWhich('git');
  writeFileSync(join(work, 'bin', 'git'), `#!/bin/sh\nprintf 'git %s\\n' "$*" >> "$TOOL_LOG"\nexec ${realGit} "$@"\n`);
  for (const t of ['make', 'git']) chmodSync(join(work, 'bin', t), 0o755);
  writeFileSync(log, '');
}

function execaSyncWhich(tool: string): string {
  return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
}

async function build(n: number) {
  writeFileSync(log, '');
  const r = await execa('node', [CLI, 'build', '--source', tree, '--json', '--results', join(work, `r${n}`)], {
    reject: false,
    cwd: REPO,
    env: { PATH: `${join(work, 'bin')}:${process.env.PATH}`, DAXLAB_CACHE: cache, TOOL_LOG: log, TMPDIR: tmp },
  });
  expect(r.exitCode, r.stderr).toBe(0);
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { json: JSON.parse(r.stdout) as { image: string; cached: boolean }, lines, stderr: r.stderr };
}

describe('--source across commits', () => {
  it('clones once, fetches the next commit into the same clone, and rebuilds only what the commit changed', async () => {
    setup();
    const first = await build(1);
    expect(first.lines.filter((l) => / clone /.test(l))).toHaveLength(1);
    const cold = first.lines.find((l) => l.startsWith('cold '));
    expect(cold).toBeDefined();
    const obj = cold!.slice('cold '.length);
    const [treeKey] = readdirSync(join(cache, 'trees'));
    const clone = join(cache, 'trees', treeKey!, 'src');
    expect(git(clone, 'config', 'gc.auto').trim()).toBe('0');
    writeFileSync(join(clone, '.git', 'sentinel'), 'the same clone');

    commitEdits(tree, [[7, 'int seven_in_the_second_commit;']]);
    const second = await build(2);
    expect(second.json.cached).toBe(false);
    expect(second.lines.filter((l) => / clone /.test(l))).toEqual([]);
    expect(second.lines.filter((l) => /^git -C \S+ fetch /.test(l))).toHaveLength(1);
    expect(second.lines).not.toContain('make tinyconfig'); // no Kconfig change: the verified .config holds
    expect(second.stderr).toContain('configuration unchanged');
    expect(second.lines).toContain(`rebuilt ${obj}:./fs/dax.c `);
    expect(readdirSync(join(cache, 'trees'))).toEqual([treeKey]);
    expect(readFileSync(join(clone, '.git', 'sentinel'), 'utf8')).toBe('the same clone');
    expect(readFileSync(second.json.image, 'utf8')).toContain('int seven_in_the_second_commit;');
  });

  it('applies uncommitted changes from a private temp file that is removed after', async () => {
    editLine(tree, 'fs/inode.c', 1, 'int inode_uncommitted;');
    const third = await build(3);
    expect(readFileSync(third.json.image, 'utf8')).toContain('int inode_uncommitted;');
    expect(third.lines.some((l) => l.startsWith('rebuilt ') && l.includes('./fs/inode.c'))).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
    git(tree, 'checkout', '--', '.');
  });
});
