import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { applyPatches } from '../../../src/kernel/patches.js';
import { commitEdits, daxLines, git, makeFakeTree, mboxPatch, plainDiff, tempDir } from './fake-tree.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A fake tree plus a directory for patch files, both removed after the test.
function setup() {
  const tree = makeFakeTree('patches');
  const patchDir = tempDir('patchfiles');
  cleanup.push(tree, patchDir);
  const write = (name: string, text: string) => {
    const path = join(patchDir, name);
    writeFileSync(path, text);
    return { path, label: `patches/${name}` };
  };
  const dax = () => readFileSync(join(tree, 'fs/dax.c'), 'utf8');
  return { tree, write, dax };
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

describe('applyPatches', () => {
  it('applies a plain diff with patch -p1', async () => {
    const { tree, write, dax } = setup();
    const p = write('fix.diff', plainDiff(tree, [[5, 'int five;'], [30, 'int thirty;']]));
    await applyPatches(tree, [p]);
    const lines = dax().split('\n');
    expect(lines[4]).toBe('int five;');
    expect(lines[29]).toBe('int thirty;');
    expect(lines[5]).toBe(daxLines()[5]);
  });

  it('rejects a plain diff whose second hunk conflicts, naming patch, file and hunk, tree untouched', async () => {
    const { tree, write, dax } = setup();
    const p = write('two-hunks.diff', plainDiff(tree, [[5, 'int five;'], [30, 'int thirty;']]));
    commitEdits(tree, [[30, 'int already_changed_30;']]);
    const before = dax();
    const err = await failure(applyPatches(tree, [p]));
    expect(err.code).toBe('PATCH_FAILED');
    expect(err.message).toContain('patches/two-hunks.diff');
    expect(err.message).toContain('fs/dax.c');
    expect(err.message).toContain('hunk #2');
    expect(err.message).not.toContain('hunk #1');
    // The dry run stops before hunk #1 is written: nothing changed, no .rej/.orig left.
    expect(dax()).toBe(before);
    expect(git(tree, 'status', '--porcelain', '--ignored')).toBe('');
  });

  it('stops at the first failing patch of a series and names it', async () => {
    const { tree, write } = setup();
    const good = write('1-good.diff', plainDiff(tree, [[2, 'int two;']]));
    const bad = write('2-bad.diff', plainDiff(tree, [[2, 'int deux;']]));
    const err = await failure(applyPatches(tree, [good, bad]));
    expect(err.message).toContain('patches/2-bad.diff');
    expect(err.message).toContain('fs/dax.c hunk #1');
  });

  it('names a missing file instead of a hunk', async () => {
    const { tree, write } = setup();
    const diff = plainDiff(tree, [[3, 'int three;']]).replaceAll('fs/dax.c', 'fs/nope.c');
    const err = await failure(applyPatches(tree, [write('missing.diff', diff)]));
    expect(err.message).toContain('file to patch not found (fs/nope.c)');
  });

  it('reports an unreadable patch file', async () => {
    const { tree } = setup();
    const err = await failure(applyPatches(tree, [{ path: '/nonexistent/x.patch', label: 'x.patch' }]));
    expect(err.code).toBe('PATCH_FAILED');
    expect(err.message).toContain('x.patch cannot be read');
  });

  it('applies a git format-patch mbox with git am (a commit with its subject)', async () => {
    const { tree, write, dax } = setup();
    const p = write('0001-dax.patch', mboxPatch(tree, 'dax: change line 7', [[7, 'int seven;']]));
    await applyPatches(tree, [p]);
    expect(dax().split('\n')[6]).toBe('int seven;');
    expect(git(tree, 'log', '-1', '--format=%s').trim()).toBe('dax: change line 7');
    expect(git(tree, 'status', '--porcelain')).toBe('');
  });

  it('rejects a conflicting mbox naming patch and hunk, and aborts git am', async () => {
    const { tree, write, dax } = setup();
    const p = write('0001-conflict.patch', mboxPatch(tree, 'dax: two hunks', [[5, 'int five;'], [30, 'int thirty;']]));
    commitEdits(tree, [[30, 'int already_changed_30;']]);
    const before = dax();
    const head = git(tree, 'rev-parse', 'HEAD');
    const err = await failure(applyPatches(tree, [p]));
    expect(err.code).toBe('PATCH_FAILED');
    expect(err.message).toContain('patches/0001-conflict.patch');
    expect(err.message).toContain('fs/dax.c hunk #2');
    expect(err.detail).toContain('subject: [PATCH] dax: two hunks');
    expect(dax()).toBe(before);
    expect(git(tree, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(tree, 'status', '--porcelain')).toBe('');
  });

  it('applies an mbox after a plain diff that touched the same file', async () => {
    const { tree, write, dax } = setup();
    const plain = write('1-plain.diff', plainDiff(tree, [[5, 'int five;']]));
    const mbox = write('2-mail.patch', mboxPatch(tree, 'dax: line 30', [[30, 'int thirty;']]));
    await applyPatches(tree, [plain, mbox]);
    const lines = dax().split('\n');
    expect(lines[4]).toBe('int five;');
    expect(lines[29]).toBe('int thirty;');
  });
});
