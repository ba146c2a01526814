// Pure: the run's exit code from its case counts.
import { EXIT } from '../errors.js';
import { globMatches } from '../plan/glob.js';
import { failingFindings } from '../results/findings.js';
import { zeroCounts, type CaseResult, type CaseStatus, type KlogFinding } from '../results/types.js';

/**
 * The run's exit code, the first that applies: 1 when a case failed, a known issue passed (xpass) or
 * the kernel logged a failing line outside every case (findings); 69 when harness/host errors
 * occurred; 3 when some case was flaky (failed, then passed on re-run); 4 when nothing passed because
 * cases were skipped that the plan did not expect to skip; else 0 (pass, expected skip, xfail).
 */
export function exitCodeFor(counts: Partial<Record<CaseStatus, number>>, findings = 0, unexpectedSkips = counts.skip ?? 0): number {
  const n = (s: CaseStatus) => counts[s] ?? 0; // results from before a status existed lack its count
  // Known issues: xfail (failed as expected) does not fail the run; xpass does (the entry is stale).
  if (n('fail') > 0 || n('xpass') > 0 || findings > 0) return EXIT.failed;
  if (n('error') > 0) return EXIT.infra;
  if (n('flaky') > 0) return EXIT.flaky;
  if (n('pass') + n('xfail') === 0 && unexpectedSkips > 0) return EXIT.allSkipped;
  return EXIT.ok;
}

/** A run's exit code from its results and its kernel-log findings (those a case run alone explained do not count). */
export function runExitCode(results: readonly CaseResult[], findings: readonly KlogFinding[], unexpectedSkips?: number): number {
  return exitCodeFor(countStatuses(results), failingFindings(findings, results).length, unexpectedSkips);
}

/** Skipped results whose id matches none of the plan's expectedSkips globs. */
export function countUnexpectedSkips(results: Array<{ id: string; status: CaseStatus }>, expected: readonly string[]): number {
  return results.filter((r) => r.status === 'skip' && !expected.some((g) => globMatches(g, r.id))).length;
}

/** Count results by status. */
export function countStatuses(results: Iterable<{ status: CaseStatus }>): Record<CaseStatus, number> {
  const counts = zeroCounts();
  for (const r of results) counts[r.status]++;
  return counts;
}
