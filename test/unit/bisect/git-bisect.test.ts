import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GitBisect, parseMarkOutput, resolveCommit } from '../../../src/bisect/git-bisect.js';
import { tempDirs } from '../temp-dirs.js';

const tempDir = tempDirs('daxlab-bisect-');
const ID = ['-c', 'user.name=t', '-c', 'user.email=t@t'];

/** A repository of n commits (c1..cn) on top of a base; returns the shas, base first. */
async function history(dir: string, n: number): Promise<string[]> {
  await execa('git', ['init', '-q', dir]);
  const shas: string[] = [];
  for (let i = 0; i <= n; i++) {
    writeFileSync(join(dir, 'f'), `${i}\n`);
    await execa('git', ['-C', dir, 'add', 'f']);
    await execa('git', ['-C', dir, ...ID, 'commit', '-q', '-m', i === 0 ? 'base' : `c${i}`]);
    shas.push((await execa('git', ['-C', dir, 'rev-parse', 'HEAD'])).stdout.trim());
  }
  return shas;
}

/** Drive a bisection to its end: commits from index `culprit` on are bad, those in `skip` are skipped. */
async function drive(b: GitBisect, shas: string[], culprit: number, skip: number[] = []) {
  let state = await b.start(shas.at(-1)!, shas[0]!);
  const tested: number[] = [];
  while (state.kind === 'next') {
    const i = shas.indexOf(state.sha);
    tested.push(i);
    state = await b.mark(state.sha, skip.includes(i) ? 'skip' : i >= culprit ? 'bad' : 'good');
  }
  return { state, tested };
}

describe('git bisect in a bare clone', () => {
  it('finds the first bad commit of 8 in 3 steps, and leaves the user repository alone', async () => {
    const repo = tempDir();
    const shas = await history(repo, 8);
    const b = new GitBisect(join(tempDir(), 'repo.git'));
    await b.prepare(repo);
    const { state, tested } = await drive(b, shas, 5);
    expect(state).toEqual({ kind: 'found', sha: shas[5] });
    expect(tested.length).toBeLessThanOrEqual(3);
    expect((await b.info(shas[5]!)).subject).toBe('c5');
    expect(await b.parent(shas[5]!)).toBe(shas[4]);
    expect(await b.count(shas[0]!, shas[8]!)).toBe(8);
    expect(await b.log()).toMatch(/git bisect start/);
    const st = await execa('git', ['-C', repo, 'status', '--porcelain']);
    expect(st.stdout).toBe('');
    expect((await execa('git', ['-C', repo, 'rev-parse', 'HEAD'])).stdout.trim()).toBe(shas[8]);
  });

  it('steps around a skipped commit, and names the candidates when only skipped ones are left', async () => {
    const repo = tempDir();
    const shas = await history(repo, 8);
    const b = new GitBisect(join(tempDir(), 'repo.git'));
    await b.prepare(repo);
    const around = await drive(b, shas, 6, [4]);
    expect(around.state).toEqual({ kind: 'found', sha: shas[6] });
    const stuck = await drive(b, shas, 5, [4]);
    expect(stuck.state.kind).toBe('only-skipped');
    if (stuck.state.kind === 'only-skipped') expect(new Set(stuck.state.candidates)).toEqual(new Set([shas[4], shas[5]]));
  });

  it('names a ref that is not a commit', async () => {
    const repo = tempDir();
    await history(repo, 1);
    await expect(resolveCommit(repo, 'nope')).rejects.toThrow(/nope is not a commit of/);
  });

  it('reads git\'s verdict lines', () => {
    const sha = 'a'.repeat(40);
    expect(parseMarkOutput(`${sha} is the first bad commit\ncommit ${sha}\n`)).toEqual({ kind: 'found', sha });
    expect(parseMarkOutput('Bisecting: 3 revisions left to test after this (roughly 2 steps)\n')).toBeNull();
  });
});
