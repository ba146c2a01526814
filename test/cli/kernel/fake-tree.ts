// Helpers for the kernel CLI tests: a tiny fake kernel tree in a real git repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GIT_CFG = ['-c', 'user.name=test', '-c', 'user.email=test@localhost', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null'];

// Run git in `dir` with a fixed identity; returns stdout.
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...GIT_CFG, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// A fresh temp directory under the OS temp dir.
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `daxlab-${prefix}-`));
}

// The 40 lines of the fake fs/dax.c.
export function daxLines(): string[] {
  return Array.from({ length: 40 }, (_, i) => `int dax_line_${i + 1}(void) { return ${i + 1}; }`);
}

// Write files (path -> content) under `dir`, creating parent directories.
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

// Create a fake kernel tree with one commit; returns its path.
export function makeFakeTree(prefix = 'tree'): string {
  const dir = tempDir(prefix);
  writeFiles(dir, {
    Makefile: 'VERSION = 6\nPATCHLEVEL = 12\n',
    Kconfig: 'mainmenu "Fake Linux"\nsource "fs/Kconfig"\n',
    'arch/x86/Kconfig': 'config X86_64\n\tdef_bool y\n',
    'scripts/kconfig/.placeholder': '',
    'fs/Kconfig': 'config FS_DAX\n\tbool "File system DAX"\n\tdepends on ZONE_DEVICE\n',
    'fs/dax.c': daxLines().join('\n') + '\n',
    'fs/inode.c': 'int inode;\n',
  });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

// Replace 1-based line `n` of a file with `text`.
export function editLine(dir: string, path: string, n: number, text: string): void {
  const lines = readFileSync(join(dir, path), 'utf8').split('\n');
  lines[n - 1] = text;
  writeFileSync(join(dir, path), lines.join('\n'));
}

// The plain `git diff` of some line edits to fs/dax.c, leaving the tree as it was.
export function plainDiff(tree: string, edits: Array<[number, string]>): string {
  for (const [n, text] of edits) editLine(tree, 'fs/dax.c', n, text);
  const diff = git(tree, 'diff');
  git(tree, 'checkout', '--', '.');
  return diff;
}

// A `git format-patch` email of some line edits to fs/dax.c, leaving the tree as it was.
export function mboxPatch(tree: string, subject: string, edits: Array<[number, string]>): string {
  for (const [n, text] of edits) editLine(tree, 'fs/dax.c', n, text);
  git(tree, 'commit', '-q', '-am', subject);
  const mbox = git(tree, 'format-patch', '-1', '--stdout', 'HEAD');
  git(tree, 'reset', '-q', '--hard', 'HEAD~1');
  return mbox;
}

// Commit line edits to fs/dax.c in `tree` (moves the tree away from what patches expect).
export function commitEdits(tree: string, edits: Array<[number, string]>): void {
  for (const [n, text] of edits) editLine(tree, 'fs/dax.c', n, text);
  git(tree, 'commit', '-q', '-am', 'diverge');
}
