// Nightly, not CI: `daxlab bisect` for real, on a 9-commit history built on Debian's 6.12 source
// (a new repository, so its first build is cold: about 10 minutes here). Commit 3 puts back the
// seed's end = 0; commit 4 does not compile (commit 5 fixes it); commit 7 makes hole punch on ext4
// fail at random (a case the bisect does not watch). The bisect is interrupted after its first
// bisection step and resumed. It must name commit 3, skip commit 4 as not building, build at most
// ceil(log2 9) + 3 = 7 kernels, and build no commit twice.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheRoot, treePaths } from '../../src/kernel/cache-dir.js';
import { ensureTree, resolveSource } from '../../src/kernel/source.js';

// DAXLAB_BISECT_WORK=DIR keeps the repository at a stable path (kept after the test): daxlab keeps
// one cached clone and object directory per repository path, so a re-run builds incrementally, and
// the commits are dated so that their ids, and so the cached kernels, are the same on every run.
const keep = process.env.DAXLAB_BISECT_WORK;
const work = keep ?? mkdtempSync(join(tmpdir(), 'daxlab-bisect-nightly-'));
if (keep) for (const d of ['linux', 'bisect']) rmSync(join(work, d), { recursive: true, force: true });
afterAll(() => {
  if (!keep) rmSync(work, { recursive: true, force: true });
});
const DATED = { GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
const ID = ['-c', 'user.name=Daxlab Test', '-c', 'user.email=test@daxlab'];
const CASE = 'ext4/busy-range/index=5,pages=1024';

/** Replace `from` (which must be there) once in a file of the repository. */
function edit(repo: string, file: string, from: string, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
  writeFileSync(path, text.replace(from, to));
}

/** Edit one file and commit it. */
async function commit(repo: string, file: string, from: string, to: string, subject: string): Promise<string> {
  edit(repo, file, from, to);
  await execa('git', ['-C', repo, ...ID, 'commit', '-q', '-a', '-m', subject], { env: DATED });
  return (await execa('git', ['-C', repo, 'rev-parse', 'HEAD'])).stdout.trim();
}

async function history(repo: string): Promise<string[]> {
  const source = await resolveSource({ kind: 'debian', package: 'linux-source-6.12' });
  const tree = treePaths(cacheRoot(), source.treeKey).src;
  const base = await ensureTree(source, tree);
  await execa('git', ['clone', '-q', '--shared', '--no-checkout', tree, repo]);
  await execa('git', ['-C', repo, 'checkout', '-q', '-b', 'bisect-test', base]);
  const c = [base];
  c.push(await commit(repo, 'fs/dax.c', ' * fs/dax.c - Direct Access filesystem code', ' * fs/dax.c - Direct Access filesystem code (daxlab test: comment 1)', 'dax: a comment'));
  c.push(await commit(repo, 'mm/gup.c', '#include <linux/kernel.h>', '#include <linux/kernel.h> /* daxlab test: comment 2 */', 'mm/gup: a comment'));
  c.push(await commit(repo, 'fs/dax.c', 'return dax_layout_busy_page_range(mapping, 0, LLONG_MAX);', 'return dax_layout_busy_page_range(mapping, 0, 0);', 'dax: scan the whole file (the seed bug: end = 0)'));
  c.push(await commit(repo, 'fs/ext4/inode.c', 'int ext4_break_layouts(struct inode *inode)\n{', 'int ext4_break_layouts(struct inode *inode)\n{\n\tthis does not compile;', 'ext4: a commit that does not compile'));
  c.push(await commit(repo, 'fs/ext4/inode.c', '\n\tthis does not compile;', '', 'ext4: fix the build'));
  c.push(await commit(repo, 'fs/xfs/xfs_inode.c', '#include <linux/iversion.h>', '#include <linux/iversion.h> /* daxlab test: comment 6 */', 'xfs: a comment'));
  edit(repo, 'fs/ext4/extents.c', '#include <linux/fiemap.h>', '#include <linux/fiemap.h>\n#include <linux/random.h>');
  c.push(await commit(repo, 'fs/ext4/extents.c', '\tif (mode & FALLOC_FL_PUNCH_HOLE)\n\t\tret = ext4_punch_hole(file, offset, len);',
    '\tif (mode & FALLOC_FL_PUNCH_HOLE)\n\t\tret = get_random_u32_below(2) ? -EIO : ext4_punch_hole(file, offset, len);', 'ext4: hole punch fails at random (an unrelated flaky case)'));
  c.push(await commit(repo, 'mm/gup.c', '/* daxlab test: comment 2 */', '/* daxlab test: comment 8 */', 'mm/gup: another comment'));
  c.push(await commit(repo, 'fs/dax.c', '(daxlab test: comment 1)', '(daxlab test: comment 9)', 'dax: another comment'));
  return c;
}

describe('daxlab bisect', () => {
  it('names the seed commit, skips the one that does not build, resumes after an interruption without building twice', async () => {
    const repo = join(work, 'linux');
    const c = await history(repo);
    // DAXLAB_KEEP=DIR keeps the bisect's results there (for npm run bench:bisect -- DIR).
    const results = process.env.DAXLAB_KEEP ?? join(work, 'bisect');
    const args = ['bisect', '--source', repo, '--good', c[0]!, '--bad', c[9]!, '--case', CASE, '--results', results];

    // Interrupt once the first bisection step has been judged.
    const child = spawn(process.execPath, ['dist/src/cli/main.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const journal = join(results, 'bisect.jsonl');
    const steps = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"role":"step"')).length : 0);
    const code = await new Promise<number | null>((done) => {
      const t = setInterval(() => {
        if (steps() >= 1) {
          clearInterval(t);
          child.kill('SIGINT');
        }
      }, 2000);
      child.on('exit', (n) => {
        clearInterval(t);
        done(n);
      });
    });
    expect(code, stderr.slice(-3000)).toBe(130);
    const judgedBefore = steps();

    const r = await execa(process.execPath, ['dist/src/cli/main.js', 'bisect', '--resume', results, '--json'], { reject: false, timeout: 3 * 3_600_000 });
    expect(r.exitCode, String(r.stderr).slice(-4000)).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      outcome: { kind: string; culprit: { sha: string; subject: string; author: string }; confirmed: boolean };
      steps: Array<{ sha: string; role: string; verdict: string; reason: string; cached?: boolean }>;
      built: number; bound: number; commits: number;
    };
    expect(out.outcome.kind).toBe('found');
    expect(out.outcome.culprit.sha).toBe(c[3]);
    expect(out.outcome.culprit.subject).toBe('dax: scan the whole file (the seed bug: end = 0)');
    expect(out.outcome.culprit.author).toBe('Daxlab Test <test@daxlab>');
    expect(out.outcome.confirmed).toBe(true);
    expect(out.commits).toBe(9);
    expect(out.bound).toBe(7);
    expect(out.built).toBeLessThanOrEqual(7);
    // Only the commit that does not compile is skipped, and for that reason (the step interrupted
    // by the SIGINT is run again, not skipped).
    for (const s of out.steps.filter((x) => x.verdict === 'skip')) {
      expect(s.sha, s.reason).toBe(c[4]);
      expect(s.reason).toMatch(/kernel build failed/);
    }
    // No commit built twice: after its first run, every run of a commit is a cache hit.
    const firstSeen = new Set<string>();
    for (const s of out.steps) {
      if (firstSeen.has(s.sha)) expect(s.cached, `${s.sha} ${s.role}`).toBe(true);
      firstSeen.add(s.sha);
    }
    expect(out.steps.filter((s) => s.role === 'step').length).toBeGreaterThan(judgedBefore);
    expect(readFileSync(join(results, 'bisect.log'), 'utf8')).toMatch(/# first bad commit: \[/);
    process.stderr.write(`${String(r.stderr).split('\n').filter((l) => !l.includes('compiling:')).join('\n')}\n`);
  });
});
