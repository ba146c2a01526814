// Pure: the bisect's outcome for people (text) and machines (--json): the first bad commit with
// its subject and author, every step with its verdict and time, the confirmation, the rule.
import type { CommitInfo } from './git-bisect.js';
import type { StepRecord } from './journal.js';

/** How the bisection ended. */
export type BisectOutcome =
  | { kind: 'found'; culprit: CommitInfo; parent: string; confirmed: boolean; confirmation: string }
  | { kind: 'only-skipped'; candidates: CommitInfo[] };

/** Everything the output shows. */
export interface BisectReport {
  outcome: BisectOutcome;
  steps: StepRecord[];
  rule: string;
  cleanRuns: number;
  commits: number;
  /** Kernels this bisect built (steps whose kernel was not in the cache), and the bound ceil(log2 N) + 3. */
  built: number;
  bound: number;
  log: string;
  resultsDir: string;
}

/** Pure: ceil(log2 n) + 3, the most kernels a bisect of n commits should build. */
export function buildBound(commits: number): number {
  return Math.ceil(Math.log2(Math.max(commits, 1))) + 3;
}

/**
 * Pure: kernels this bisect built: a commit counts once, when its first run was not a cache hit
 * (a build that failed counts too: make ran).
 */
export function kernelsBuilt(steps: readonly StepRecord[]): number {
  const seen = new Set<string>();
  let built = 0;
  for (const s of steps) {
    if (seen.has(s.sha)) continue;
    seen.add(s.sha);
    if (s.cached !== true) built++;
  }
  return built;
}

function stepLine(s: StepRecord): string {
  const runs = s.runs > 0 ? `${s.runs - s.failures}/${s.runs} passed` : 'not run';
  const build = s.cached === undefined ? '' : s.cached ? ', cached kernel' : `, built in ${Math.round(s.buildSeconds ?? 0)} s`;
  return `  ${s.role.padEnd(15)} ${s.sha.slice(0, 12)}  ${s.verdict.padEnd(4)}  ${runs}, ${Math.round(s.seconds)} s${build}: ${s.reason}`;
}

/** Pure: the text output. */
export function formatBisect(r: BisectReport): string {
  const head = r.outcome.kind === 'found'
    ? [
        `first bad commit: ${r.outcome.culprit.sha}`,
        `  ${r.outcome.culprit.subject}`,
        `  author: ${r.outcome.culprit.author}`,
        `  confirmation: ${r.outcome.confirmation}`,
      ]
    : ['the first bad commit is one of these (the others could not be judged):', ...r.outcome.candidates.map((c) => `  ${c.sha.slice(0, 12)} ${c.subject}`)];
  return [
    ...head,
    `steps (${r.commits} commits in good..bad):`,
    ...r.steps.map(stepLine),
    `rule: a step is good after ${r.cleanRuns} clean runs: ${r.rule}; one failure makes it bad`,
    `kernels built: ${r.built} (bound ceil(log2 ${r.commits}) + 3 = ${r.bound})`,
    `bisect log: ${r.log}`,
    `results: ${r.resultsDir}`,
  ].join('\n');
}
