// Pure: what one bisect step's run says about the commit, from its results (when it got that far)
// and the tail of its output: good (every watched case passed every run), bad (one failed), or
// skip (it could not be judged: no build, no boot, a patch that does not apply, a harness error).
import type { CaseResult, RunSummary } from '../results/types.js';

export type Verdict = 'good' | 'bad' | 'skip';

/** One step's judgment of one commit. */
export interface StepVerdict {
  verdict: Verdict;
  /** Runs of the watched cases that finished, and how many of them failed. */
  runs: number;
  failures: number;
  /** The watched cases (ids without "#<repeat>") that failed at least once. */
  failed: string[];
  reason: string;
  /** Whether the kernel came from the cache (no build), when the run got that far. */
  cached?: boolean;
  buildSeconds?: number;
}

/** Pure: the last meaningful line of a run's output, for a skip reason. */
export function lastError(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = [...lines].reverse().find((l) => /^(error|daxlab:)|failed|does not apply|not found|cannot/i.test(l));
  return (err ?? lines.at(-1) ?? 'no output').replace(/^\[\s*[\d.]+s\]\s*/, '').slice(0, 300);
}

/**
 * Pure: the verdict of a step from its exit code, its results (null when the run wrote none) and
 * its output. Only the watched cases count (keys without "#<repeat>"; none: every case): a failure of another case
 * of the plan, or a kernel-log line between cases, does not make the commit bad for them.
 */
export function stepVerdict(
  exitCode: number,
  report: { summary: RunSummary; results: CaseResult[] } | null,
  watched: readonly string[],
  output: string,
): StepVerdict {
  const kernel = report?.summary.kernels?.[0];
  const build = kernel ? { cached: kernel.cached ?? false, ...(kernel.buildSeconds !== undefined ? { buildSeconds: kernel.buildSeconds } : {}) } : {};
  const all = report?.results ?? [];
  const mine = watched.length === 0 ? all : all.filter((r) => watched.includes(r.id.replace(/#\d+$/, '')));
  if (mine.length === 0) {
    const why = exitCode === 2 ? 'the kernel cannot be built as asked' : 'no case ran';
    return { verdict: 'skip', runs: 0, failures: 0, failed: [], reason: `${why} (exit ${exitCode}): ${lastError(output)}`, ...build };
  }
  const failed = mine.filter((r) => r.status === 'fail' || r.status === 'flaky');
  if (failed.length > 0) {
    const keys = [...new Set(failed.map((r) => r.id.replace(/#\d+$/, '')))];
    return { verdict: 'bad', runs: mine.length, failures: failed.length, failed: keys, reason: `${failed[0]!.id}: ${failed[0]!.reason}`, ...build };
  }
  const unjudged = mine.filter((r) => r.status !== 'pass');
  if (unjudged.length > 0) {
    const u = unjudged[0]!;
    return { verdict: 'skip', runs: mine.length, failures: 0, failed: [], reason: `${u.id} is ${u.status}, not a verdict: ${u.reason}`, ...build };
  }
  const missing = watched.filter((k) => !mine.some((r) => r.id.startsWith(`${k}#`)));
  if (missing.length > 0) return { verdict: 'skip', runs: mine.length, failures: 0, failed: [], reason: `no result for ${missing.join(', ')}`, ...build };
  return { verdict: 'good', runs: mine.length, failures: 0, failed: [], reason: `${mine.length} runs, all passed`, ...build };
}
