// Pure: the run's exit code from its case counts.
import { EXIT } from '../errors.js';
import { zeroCounts, type CaseStatus } from '../results/types.js';

/** 1 when a case failed or a known issue passed, 69 when only harness/host errors occurred, else 0 (pass, skip, xfail). */
export function exitCodeFor(counts: Record<CaseStatus, number>): number {
  // Known issues: xfail (failed as expected) does not fail the run; xpass does (the entry is stale).
  if (counts.fail > 0 || counts.xpass > 0) return EXIT.failed;
  if (counts.error > 0) return EXIT.infra;
  return EXIT.ok;
}

/** Count results by status. */
export function countStatuses(results: Array<{ status: CaseStatus }>): Record<CaseStatus, number> {
  const counts = zeroCounts();
  for (const r of results) counts[r.status]++;
  return counts;
}
