// Pure: the run's exit code from its case counts.
import { EXIT } from '../errors.js';
import type { CaseStatus } from '../results/types.js';

/** 1 when a case failed, 69 when only harness/host errors occurred, 0 when everything passed or skipped. */
export function exitCodeFor(counts: Record<CaseStatus, number>): number {
  if (counts.fail > 0) return EXIT.failed;
  if (counts.error > 0) return EXIT.infra;
  return EXIT.ok;
}

/** Count results by status. */
export function countStatuses(results: Array<{ status: CaseStatus }>): Record<CaseStatus, number> {
  const counts: Record<CaseStatus, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
