// git bisect in daxlab's own bare clone (objects shared with the user's repository, which is only
// read): `bisect start --no-checkout`, so git picks each next commit (merges included) and keeps
// the bisect log, and no work tree is touched. Builds happen elsewhere, in the kernel cache's clone.
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { DaxlabError } from '../errors.js';
import type { Verdict } from './step-verdict.js';

/** A commit as the output shows it. */
export interface CommitInfo {
  sha: string;
  subject: string;
  author: string;
}

/** What git said after a mark: go on with the next commit, or the bisection is over. */
export type BisectState =
  | { kind: 'next'; sha: string }
  | { kind: 'found'; sha: string }
  | { kind: 'only-skipped'; candidates: string[] };

// git in gitDir; a non-zero exit is an error unless `ends` says its output is a bisect's end
// (`git bisect` exits 2 when only skipped commits are left).
async function git(gitDir: string, args: string[], ends: (out: string) => boolean = () => false): Promise<string> {
  const r = await execa('git', [`--git-dir=${gitDir}`, '-c', 'user.name=daxlab', '-c', 'user.email=daxlab@localhost', ...args], { reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0 && !ends(String(r.stdout))) {
    throw new DaxlabError('USAGE', `git ${args.slice(0, 3).join(' ')} failed in ${gitDir}: ${String(r.stderr).trim().split('\n').slice(-2).join(' ')}`);
  }
  return String(r.stdout);
}

/** The full commit id of ref in repository dir (the user's), or a USAGE error naming it. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  const r = await execa('git', ['-C', dir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new DaxlabError('USAGE', `${ref} is not a commit of ${dir}`);
  return String(r.stdout).trim();
}

/** Pure: what `git bisect good|bad|skip` printed, as the next state (null: read BISECT_HEAD). */
export function parseMarkOutput(out: string): BisectState | null {
  const found = /^([0-9a-f]{40}) is the first bad commit/m.exec(out);
  if (found) return { kind: 'found', sha: found[1]! };
  if (/only 'skip'ped commits left to test/.test(out)) {
    return { kind: 'only-skipped', candidates: [...out.matchAll(/^([0-9a-f]{40})$/gm)].map((m) => m[1]!) };
  }
  return null;
}

/** A git bisect session in gitDir (a bare clone made on first use). */
export class GitBisect {
  constructor(readonly gitDir: string) {}

  /** Clone repo bare (shared objects) unless gitDir exists. */
  async prepare(repo: string): Promise<void> {
    if (existsSync(this.gitDir)) return;
    const r = await execa('git', ['clone', '--quiet', '--bare', '--shared', repo, this.gitDir], { reject: false, stdin: 'ignore' });
    if (r.exitCode !== 0) throw new DaxlabError('USAGE', `cannot clone ${repo} for bisect: ${String(r.stderr).trim()}`);
  }

  /** Start (or restart) the bisection between good and bad; returns the first commit to test. */
  async start(bad: string, good: string): Promise<BisectState> {
    await git(this.gitDir, ['bisect', 'reset']).catch(() => '');
    const out = await git(this.gitDir, ['bisect', 'start', '--no-checkout', bad, good], (o) => parseMarkOutput(o) !== null);
    return parseMarkOutput(out) ?? { kind: 'next', sha: await this.head() };
  }

  /** Mark sha with a verdict; returns what to do next. */
  async mark(sha: string, verdict: Verdict): Promise<BisectState> {
    const out = await git(this.gitDir, ['bisect', verdict, sha], (o) => parseMarkOutput(o) !== null);
    return parseMarkOutput(out) ?? { kind: 'next', sha: await this.head() };
  }

  async head(): Promise<string> {
    return (await git(this.gitDir, ['rev-parse', 'BISECT_HEAD'])).trim();
  }

  /** The bisect log, as `git bisect log` prints it (replayable with `git bisect replay`). */
  async log(): Promise<string> {
    return git(this.gitDir, ['bisect', 'log']);
  }

  async info(sha: string): Promise<CommitInfo> {
    const [s, subject, author] = (await git(this.gitDir, ['log', '-1', '--format=%H%x00%s%x00%an <%ae>', sha])).trim().split('\0');
    return { sha: s ?? sha, subject: subject ?? '', author: author ?? '' };
  }

  /** Commits in good..bad (what the bisection searches). */
  async count(good: string, bad: string): Promise<number> {
    return Number((await git(this.gitDir, ['rev-list', '--count', `${good}..${bad}`])).trim());
  }

  async parent(sha: string): Promise<string> {
    return (await git(this.gitDir, ['rev-parse', `${sha}^`])).trim();
  }
}
