// Apply a patch series to the cached work tree in order: git am for emails, patch -p1 for plain diffs.
// A patch that does not apply stops everything with the patch file and the failing hunk named.
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { DaxlabError } from '../errors.js';
import { run, tail } from './exec.js';
import { describeFailure, isMbox, parsePatchOutput, patchSubject } from './patch-diagnose.js';
import { GIT_ID } from './source.js';

async function dryRun(tree: string, patchFile: string) {
  const r = await execa('patch', ['-p1', '--dry-run', '--batch', '--forward', '-i', patchFile], {
    cwd: tree,
    reject: false,
    stdin: 'ignore',
  });
  return { ok: r.exitCode === 0, output: `${r.stdout}\n${r.stderr}` };
}

async function applyPlain(tree: string, patchFile: string, label: string): Promise<void> {
  const check = await dryRun(tree, patchFile);
  if (!check.ok) {
    const parsed = parsePatchOutput(check.output);
    throw new DaxlabError('PATCH_FAILED', describeFailure(label, parsed), tail(check.output, 12));
  }
  const r = await execa('patch', ['-p1', '--batch', '--forward', '--no-backup-if-mismatch', '-s', '-i', patchFile], {
    cwd: tree,
    reject: false,
    stdin: 'ignore',
  });
  if (r.exitCode !== 0) throw new DaxlabError('PATCH_FAILED', `patch ${label} failed`, tail(`${r.stdout}\n${r.stderr}`, 12));
  // Commit the result: git am refuses a later patch to a file that differs from the index.
  await run('git', ['-C', tree, 'add', '-A'], { errorCode: 'PATCH_FAILED', what: `index the tree after ${label}` });
  await run('git', ['-C', tree, ...GIT_ID, 'commit', '--quiet', '--no-verify', '--allow-empty', '-m', `daxlab: ${label}`], {
    errorCode: 'PATCH_FAILED',
    what: `commit ${label} in the cached tree`,
  });
}

async function applyMbox(tree: string, patchFile: string, label: string, text: string): Promise<void> {
  const r = await execa('git', ['-C', tree, ...GIT_ID, 'am', '--quiet', '--keep-cr', patchFile], {
    reject: false,
    stdin: 'ignore',
  });
  if (r.exitCode === 0) return;
  const amOutput = `${r.stdout}\n${r.stderr}`;
  await execa('git', ['-C', tree, 'am', '--abort'], { reject: false, stdin: 'ignore' });
  // git am names the file but not the hunk; GNU patch's dry run names the hunk.
  const parsed = parsePatchOutput((await dryRun(tree, patchFile)).output);
  const subject = patchSubject(text);
  const detail = [...(subject ? [`subject: ${subject}`] : []), ...tail(amOutput, 8)];
  throw new DaxlabError('PATCH_FAILED', describeFailure(label, parsed), detail);
}

/** Apply each patch (absolute paths) to `tree`; `labels` are the names shown in errors. */
export async function applyPatches(tree: string, patches: Array<{ path: string; label: string }>): Promise<void> {
  for (const patch of patches) {
    let text: string;
    try {
      text = await readFile(patch.path, 'latin1');
    } catch {
      throw new DaxlabError('PATCH_FAILED', `patch ${patch.label} cannot be read`);
    }
    if (isMbox(text)) await applyMbox(tree, patch.path, patch.label, text);
    else await applyPlain(tree, patch.path, patch.label);
  }
}
