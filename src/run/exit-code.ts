// Pure: the run's exit code from its case counts.
import { EXIT } from '../errors.js';
import { globMatches } from '../plan/glob.js';
import { zeroCounts, type CaseStatus } from '../results/types.js';

/**
 * 1 when a case failed, a known issue passed, or the kernel logged a failing line outside every case
 * (findings); 69 when only harness/host errors occurred; else 0 (pass, skip, xfail).
 */
export function exitCodeFor(counts: Record<CaseStatus, number>, findings = 0, unexpectedSkips = counts.skip): number {
  // Known issues: xfail (failed as expected) does not fail the run; xpass does (the entry is stale).
  if (counts.fail > 0 || counts.xpass > 0 || findings > 0) return EXIT.failed;
  if (counts.error > 0) return EXIT.infra;
  // Nothing passed, because cases were skipped that the plan did not expect to skip: not "all passed".
  if (counts.pass + counts.xfail === 0 && unexpectedSkips > 0) return EXIT.noneRan;
  return EXIT.ok;
}

/** Skipped results whose id matches none of the plan's expectedSkips globs. */
export function countUnexpectedSkips(results: Array<{ id: string; status: CaseStatus }>, expected: readonly string[]): number {
  return results.filter((r) => r.status === 'skip' && !expected.some((g) => globMatches(g, r.id))).length;
}

/** Count results by status. */
export function countStatuses(results: Array<{ status: CaseStatus }>): Record<CaseStatus, number> {
  const counts = zeroCounts();
  for (const r of results) counts[r.status]++;
  return counts;
}
