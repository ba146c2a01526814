import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { applyPatches } from '../../../src/kernel/patches.js';
import { assertKernelTree, ensureTree, resetTree, resolveSource } from '../../../src/kernel/source.js';
import { commitEdits, daxLines, editLine, git, makeFakeTree, tempDir } from './fake-tree.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const pristineDax = daxLines().join('\n') + '\n';

// A fake kernel repo and an empty cache root, both removed after the test.
function setup() {
  const repo = makeFakeTree('source');
  const cache = tempDir('cache');
  cleanup.push(repo, cache);
  return { repo, cache, dest: join(cache, 'trees', 'k', 'src') };
}

// Everything `git status` and HEAD say about a repository, to compare before/after.
function repoState(repo: string) {
  return {
    status: git(repo, 'status', '--porcelain', '--ignored'),
    head: git(repo, 'rev-parse', 'HEAD'),
    diff: git(repo, 'diff', 'HEAD'),
    branch: git(repo, 'branch', '--show-current'),
  };
}

// The rejection of a promise, asserted to be a DaxlabError.
async function failure(p: Promise<unknown>): Promise<DaxlabError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DaxlabError);
  return err as DaxlabError;
}

describe('assertKernelTree', () => {
  it('accepts the fake tree', async () => {
    const { repo } = setup();
    await assertKernelTree(repo);
  });

  it('rejects a directory that is not a kernel tree with SOURCE_INVALID naming what is missing', async () => {
    const dir = tempDir('notkernel');
    cleanup.push(dir);
    writeFileSync(join(dir, 'Makefile'), 'all:\n');
    const err = await failure(assertKernelTree(dir));
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.message).toContain('missing Kconfig, arch/x86/Kconfig, scripts/kconfig');
    expect(err.message).not.toContain('Makefile');
  });
});

describe('resolveSource', () => {
  it('resolves a git ref to its commit, with no working diff', async () => {
    const { repo } = setup();
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    commitEdits(repo, [[1, 'int one;']]);
    const src = await resolveSource({ kind: 'git', repo, ref: 'HEAD~1' });
    expect(src.identity).toBe(`git ${base}`);
    expect(src.key).toMatch(/^[0-9a-f]{16}$/);
    expect(src.workingDiff.length).toBe(0);
    const head = await resolveSource({ kind: 'git', repo, ref: 'main' });
    expect(head.key).not.toBe(src.key);
  });

  it('rejects an unknown ref with SOURCE_INVALID', async () => {
    const { repo } = setup();
    const err = await failure(resolveSource({ kind: 'git', repo, ref: 'no-such-branch' }));
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.message).toContain("'no-such-branch'");
  });

  it('rejects a dir source that is not a git checkout', async () => {
    const { repo } = setup();
    rmSync(join(repo, '.git'), { recursive: true });
    const err = await failure(resolveSource({ kind: 'dir', path: repo }));
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.message).toContain('not a git checkout');
  });

  it('rejects a dir source that does not exist', async () => {
    const err = await failure(resolveSource({ kind: 'dir', path: '/nonexistent/linux' }));
    expect(err.code).toBe('SOURCE_INVALID');
  });

  it('has an empty working diff for a clean dir source', async () => {
    const { repo } = setup();
    const src = await resolveSource({ kind: 'dir', path: repo });
    expect(src.workingDiff.length).toBe(0);
    expect(src.identity).not.toContain('uncommitted');
  });

  it('captures uncommitted changes of a dir source as a real diff, with a stable key', async () => {
    const { repo } = setup();
    editLine(repo, 'fs/dax.c', 12, 'int twelve_uncommitted;');
    const before = repoState(repo);
    const a = await resolveSource({ kind: 'dir', path: repo });
    const b = await resolveSource({ kind: 'dir', path: repo });
    const text = a.workingDiff.toString('utf8');
    expect(text).toMatch(/^diff --git a\/fs\/dax\.c b\/fs\/dax\.c\n/);
    expect(text).toContain('+int twelve_uncommitted;\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(a.identity).toMatch(/^git [0-9a-f]{40} \+ uncommitted changes$/);
    expect(b.key).toBe(a.key);
    expect(b.workingDiff.equals(a.workingDiff)).toBe(true);
    // Same commit as the git source: the cached tree is shared, the diff is applied like a patch.
    const asGit = await resolveSource({ kind: 'git', repo, ref: 'HEAD' });
    expect(asGit.key).toBe(a.key);
    expect(repoState(repo)).toEqual(before);
  });
});

describe('ensureTree / resetTree', () => {
  it('materializes a git source at its commit, idempotently', async () => {
    const { repo, dest } = setup();
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    commitEdits(repo, [[1, 'int one;']]);
    const src = await resolveSource({ kind: 'git', repo, ref: base });
    expect(await ensureTree(src, dest)).toBe(base);
    expect(readFileSync(join(dest, 'fs/dax.c'), 'utf8')).toBe(pristineDax);
    writeFileSync(join(dest, 'sentinel'), 'x');
    expect(await ensureTree(src, dest)).toBe(base);
    expect(existsSync(join(dest, 'sentinel'))).toBe(true);
    expect(existsSync(`${dest}.tmp-${process.pid}`)).toBe(false);
  });

  it('replaces a half-materialized tree (no base marker)', async () => {
    const { repo, dest } = setup();
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'junk'), 'x');
    const src = await resolveSource({ kind: 'git', repo, ref: 'HEAD' });
    await ensureTree(src, dest);
    expect(existsSync(join(dest, 'junk'))).toBe(false);
    expect(existsSync(join(dest, 'fs/dax.c'))).toBe(true);
  });

  it('applies a dir source working diff in the cache and never touches the user tree', async () => {
    const { repo, cache, dest } = setup();
    editLine(repo, 'fs/dax.c', 12, 'int twelve_uncommitted;');
    const userDax = readFileSync(join(repo, 'fs/dax.c'), 'utf8');
    const before = repoState(repo);
    const src = await resolveSource({ kind: 'dir', path: repo });
    const base = await ensureTree(src, dest);
    await resetTree(dest, base);
    expect(readFileSync(join(dest, 'fs/dax.c'), 'utf8')).toBe(pristineDax);
    const diffFile = join(cache, 'working.diff');
    writeFileSync(diffFile, src.workingDiff);
    await applyPatches(dest, [{ path: diffFile, label: 'uncommitted changes' }]);
    expect(readFileSync(join(dest, 'fs/dax.c'), 'utf8')).toBe(userDax);
    await resetTree(dest, base);
    expect(readFileSync(join(dest, 'fs/dax.c'), 'utf8')).toBe(pristineDax);
    expect(repoState(repo)).toEqual(before);
    expect(readFileSync(join(repo, 'fs/dax.c'), 'utf8')).toBe(userDax);
  });

  it('resets commits, edits and new files, rewriting only files that changed', async () => {
    const { repo, dest } = setup();
    const src = await resolveSource({ kind: 'git', repo, ref: 'HEAD' });
    const base = await ensureTree(src, dest);
    const untouched = statSync(join(dest, 'fs/inode.c')).mtimeMs;
    commitEdits(dest, [[3, 'int three_committed;']]);
    editLine(dest, 'fs/dax.c', 4, 'int four_edited;');
    writeFileSync(join(dest, 'fs/new.c'), 'int added;\n');
    mkdirSync(join(dest, 'drivers/newdir'), { recursive: true });
    writeFileSync(join(dest, 'drivers/newdir/x.c'), 'int x;\n');
    await resetTree(dest, base);
    expect(git(dest, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(readFileSync(join(dest, 'fs/dax.c'), 'utf8')).toBe(pristineDax);
    expect(existsSync(join(dest, 'fs/new.c'))).toBe(false);
    expect(existsSync(join(dest, 'drivers/newdir'))).toBe(false);
    expect(git(dest, 'status', '--porcelain')).toBe('');
    expect(statSync(join(dest, 'fs/inode.c')).mtimeMs).toBe(untouched);
  });

  it('recovers a tree left in the middle of a failed git am', async () => {
    const { repo, cache, dest } = setup();
    const src = await resolveSource({ kind: 'git', repo, ref: 'HEAD' });
    const base = await ensureTree(src, dest);
    commitEdits(repo, [[9, 'int nine;']]);
    const mbox = join(cache, 'nine.patch');
    writeFileSync(mbox, git(repo, 'format-patch', '-1', '--stdout'));
    commitEdits(dest, [[9, 'int nine_conflict;']]);
    expect(() => git(dest, 'am', mbox)).toThrow();
    expect(existsSync(join(dest, '.git', 'rebase-apply'))).toBe(true);
    await resetTree(dest, base);
    expect(git(dest, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(existsSync(join(dest, '.git', 'rebase-apply'))).toBe(false);
    await applyPatches(dest, [{ path: mbox, label: 'nine.patch' }]);
    expect(readFileSync(join(dest, 'fs/dax.c'), 'utf8').split('\n')[8]).toBe('int nine;');
  });
});
