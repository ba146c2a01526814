// The result model shared by the runner and every reporter.

/**
 * xfail: a known issue failed as expected; xpass: a known issue passed (flagged: the entry may be
 * stale); flaky: the case failed, then passed when re-run in the same boot (see attempts.ts).
 */
export type CaseStatus = 'pass' | 'fail' | 'skip' | 'error' | 'xfail' | 'xpass' | 'flaky';

/** Every status, in report order. */
export const CASE_STATUSES: readonly CaseStatus[] = ['pass', 'fail', 'skip', 'error', 'xfail', 'xpass', 'flaky'];

/** Counts of every status, all zero. */
export function zeroCounts(): Record<CaseStatus, number> {
  return { pass: 0, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0, flaky: 0 };
}

/** One run of a case when it was re-run after failing (the first failure and its re-runs). */
export interface Attempt {
  status: CaseStatus;
  reason: string;
  durationMs: number;
}

/** A workload's verdict on one case, before the kernel log is considered. */
export interface Verdict {
  status: CaseStatus;
  reason: string;
  /** Named timings in milliseconds (e.g. pinMs, raceReturnAfterReadMs). */
  timings: Record<string, number>;
  /** Extra facts worth keeping in the report (errno, sizes). */
  details?: Record<string, string | number | boolean>;
  /** An error of a timed oracle that could not decide (pin not held, race started too late, wait not seen): run it again. */
  inconclusive?: boolean;
}

export interface CaseResult {
  /** "<fs>/<workload>/<params>#<repeat>": the same on every kernel and target, so runs compare by it. */
  id: string;
  /** The label of the kernel the case ran on. */
  kernel: string;
  /** The target it ran on ("local" when absent). A case is named "<kernel>@<target>:<id>" where cells mix. */
  target?: string;
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
  /** Set on an `error` that the harness or host caused (setup failed, VM lost, not run), not the workload's own verdict. */
  harnessError?: boolean;
  /** Set on an `error` whose timed oracle could not decide (Verdict.inconclusive); the runner ran it again. */
  inconclusive?: boolean;
  /** Every attempt, in order, when the case was re-run after failing (see foldAttempts). */
  attempts?: Attempt[];
}

/** The kernel a run tested, as reports (KCIDB checkouts and builds) need it. */
export interface KernelInfo {
  label: string;
  /** Source identity: "debian linux-source-6.12 6.12.117-1~deb12u1", "git <commit>[ + uncommitted changes]". */
  source: string;
  /** Patch file names, in order of application. */
  patches: string[];
  /** sha256 of each patch file, same order. */
  patchSha256?: string[];
  /** Config fragment names (or file names), in merge order. */
  configs: string[];
  buildSeconds?: number;
  /** Key of the kernel in the build cache. */
  cacheKey?: string;
  cached?: boolean;
}

/**
 * Kernel-log lines that belong to no case: logged during boot and setup, between two cases, or
 * after the last case of a boot. They fail the run (exit 1): the kernel misbehaved, and no case
 * can be blamed for it. Also records kernel-log records lost outside any case.
 */
export interface KlogFinding {
  /** overlap: while several cases ran at once, so none can be blamed (they are run again alone). */
  phase: 'boot' | 'between' | 'end' | 'overlap';
  /** overlap: the cases that were running. */
  cases?: string[];
  /** The case that ran before the lines (between, end). */
  after?: string;
  /** The case that ran after them (between), when known. */
  before?: string;
  /** Serial log of the boot they were seen in. */
  serialLog?: string;
  /** The lines that fail (WARNING, BUG, KASAN, ...), formatted like dmesg. */
  lines: string[];
  /** Kernel-log records lost (overwritten before they were read) outside any case. */
  lost?: number;
  /** The kernel label and target of the boot that logged it (absent in results written before). */
  kernel?: string;
  target?: string;
}

export interface RunSummary {
  plan: string;
  kernel: string;
  startedAt: string;
  durationMs: number;
  counts: Record<CaseStatus, number>;
  /** Stage timings of the run (build, boot, setup), in milliseconds. */
  stages: Record<string, number>;
  accel: 'kvm' | 'tcg' | 'none';
  /** The guest kernel's clocksource (kvm-clock under KVM): proof that KVM was really used. */
  clocksource?: string;
  exitCode: number;
  /** Kernel-log lines outside every case (each one fails the run); absent when there were none. */
  findings?: KlogFinding[];
  /** The kernels tested (absent in results written before this field existed). */
  kernels?: KernelInfo[];
  /** The built kernel's release ("6.1.192"), which known-issue version scopes were matched against. */
  kernelRelease?: string;
}

/** Reporter hooks; every hook is optional and called through a dispatcher that catches errors. */
export interface Reporter {
  onBegin?(info: { plan: string; kernel: string; cases: number }): void | Promise<void>;
  onStage?(stage: string, message: string): void | Promise<void>;
  onCaseEnd?(result: CaseResult): void | Promise<void>;
  /** Kernel-log lines outside every case were seen (they fail the run). */
  onFinding?(finding: KlogFinding): void | Promise<void>;
  onEnd?(summary: RunSummary, results: CaseResult[]): void | Promise<void>;
}

/** One line of events.jsonl: the run's append-only journal, replayable after a crash. */
export type RunEvent =
  | { type: 'begin'; plan: string; kernel: string; cases: number; startedAt?: string }
  | { type: 'stage'; stage: string; message: string; at?: string }
  | { type: 'case'; result: CaseResult }
  | { type: 'finding'; finding: KlogFinding }
  | { type: 'end'; summary: RunSummary };
