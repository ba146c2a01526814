// The result model shared by the runner and every reporter.

/** xfail: a known issue failed as expected; xpass: a known issue passed (flagged: the entry may be stale). */
export type CaseStatus = 'pass' | 'fail' | 'skip' | 'error' | 'xfail' | 'xpass';

/** Every status, in report order. */
export const CASE_STATUSES: readonly CaseStatus[] = ['pass', 'fail', 'skip', 'error', 'xfail', 'xpass'];

/** Counts of every status, all zero. */
export function zeroCounts(): Record<CaseStatus, number> {
  return { pass: 0, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0 };
}

/** A workload's verdict on one case, before the kernel log is considered. */
export interface Verdict {
  status: CaseStatus;
  reason: string;
  /** Named timings in milliseconds (e.g. pinMs, raceReturnAfterReadMs). */
  timings: Record<string, number>;
  /** Extra facts worth keeping in the report (errno, sizes). */
  details?: Record<string, string | number | boolean>;
}

export interface CaseResult {
  id: string;
  kernel: string;
  backend: string;
  fs: string;
  workload: string;
  params: Record<string, string | number>;
  repeat: number;
  status: CaseStatus;
  reason: string;
  timings: Record<string, number>;
  details?: Record<string, string | number | boolean>;
  /** Kernel log lines that made the case fail (WARNING, BUG, ...). */
  klogMatches: string[];
  /** The plan's known-issue entry this case matched (its status may be xfail or xpass). */
  known?: { reason: string; ref: string };
  startedAt: string; // ISO time
  durationMs: number;
}

export interface RunSummary {
  plan: string;
  kernel: string;
  startedAt: string;
  durationMs: number;
  counts: Record<CaseStatus, number>;
  /** Stage timings of the run (build, boot, setup), in milliseconds. */
  stages: Record<string, number>;
  accel: 'kvm' | 'tcg';
  exitCode: number;
}

/** Reporter hooks; every hook is optional and called through a dispatcher that catches errors. */
export interface Reporter {
  onBegin?(info: { plan: string; kernel: string; cases: number }): void | Promise<void>;
  onStage?(stage: string, message: string): void | Promise<void>;
  onCaseEnd?(result: CaseResult): void | Promise<void>;
  onEnd?(summary: RunSummary, results: CaseResult[]): void | Promise<void>;
}

/** One line of events.jsonl: the run's append-only journal, replayable after a crash. */
export type RunEvent =
  | { type: 'begin'; plan: string; kernel: string; cases: number; startedAt?: string }
  | { type: 'stage'; stage: string; message: string; at?: string }
  | { type: 'case'; result: CaseResult }
  | { type: 'end'; summary: RunSummary };
