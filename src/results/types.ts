// The result model shared by the runner and every reporter.

export type CaseStatus = 'pass' | 'fail' | 'skip' | 'error';

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
