// Pure: the queue of cases waiting to run on a VM, and which case may start beside the ones
// already running (each lane runs one case; exclusive cases run alone on their guest or fs).
import type { FsName, TestCase } from '../plan/types.js';
import type { CaseResult } from '../results/types.js';

/** What a case must have to itself (Workload.exclusive). */
export type Exclusivity = 'guest' | 'fs' | undefined;

/** A case waiting to run, with how many times it ran before and whether it must now run alone. */
export interface QueuedCase {
  tc: TestCase;
  exclusive: Exclusivity;
  /** 1 for the first run; a case run again (ambiguous, or started on a tainted kernel) counts up. */
  attempt: number;
  /** Earlier attempts, in order, folded into the one result when the case is done: failures re-run
   * (--rerun-failures) and inconclusive errors re-run (INCONCLUSIVE_RERUNS). */
  earlier?: CaseResult[];
}

/** How many times an inconclusive error (a timed oracle that could not decide) is run again, alone. */
export const INCONCLUSIVE_RERUNS = 2;

/** What to do with a finished attempt: run the case again (and why), or record it. */
export function rerunOf(q: QueuedCase, r: CaseResult, rerunFailures: number): 'failed' | 'inconclusive' | null {
  const earlier = q.earlier ?? [];
  if (r.status === 'fail' && earlier.filter((a) => a.status === 'fail').length < rerunFailures) return 'failed';
  if (r.status === 'error' && r.inconclusive && earlier.filter((a) => a.inconclusive).length < INCONCLUSIVE_RERUNS) return 'inconclusive';
  return null;
}

/** The case's marker in the kernel log: its id, suffixed with the attempt when it runs again. */
export function markId(q: QueuedCase): string {
  return q.attempt > 1 ? `${q.tc.id}~${q.attempt}` : q.tc.id;
}

/** The queue for a list of cases, each with its workload's exclusivity. */
export function queueOf(cases: TestCase[], exclusive: (tc: TestCase) => Exclusivity): QueuedCase[] {
  return cases.map((tc) => ({ tc, exclusive: exclusive(tc), attempt: 1 }));
}

/** The same case queued again, to run alone (its earlier result could not be trusted). */
export function again(q: QueuedCase): QueuedCase {
  return { ...q, exclusive: 'guest', attempt: q.attempt + 1 };
}

/**
 * Whether `next` may start now beside `running`. `together` is true when every filesystem has its
 * own device and stays mounted; otherwise the filesystems take turns on one device, and a case of
 * another filesystem must wait until nothing runs.
 */
export function canStart(next: QueuedCase, running: QueuedCase[], together: boolean): boolean {
  if (running.length === 0) return true;
  const fs: FsName = next.tc.fs;
  if (next.exclusive === 'guest' || running.some((r) => r.exclusive === 'guest')) return false;
  if (!together && running.some((r) => r.tc.fs !== fs)) return false;
  if (next.exclusive === 'fs' && running.some((r) => r.tc.fs === fs)) return false;
  return !running.some((r) => r.exclusive === 'fs' && r.tc.fs === fs);
}
