// Pure assembly of a CaseResult from a case, the workload's verdict and the kernel-log scan.
import type { TestCase } from '../plan/types.js';
import type { CaseResult, CaseStatus, Verdict } from '../results/types.js';

export interface CaseContext {
  kernel: string;
  backend: string;
  /** The target the case ran on (absent: local, as before targets existed). */
  target?: string;
}

/** Build the stored result of one case. */
export function toCaseResult(
  tc: TestCase,
  ctx: CaseContext,
  verdict: Verdict,
  klogMatches: string[],
  startedAt: Date,
  durationMs: number,
): CaseResult {
  return {
    id: tc.id,
    kernel: ctx.kernel,
    ...(ctx.target ? { target: ctx.target } : {}),
    backend: ctx.backend,
    fs: tc.fs,
    workload: tc.workload,
    params: tc.params,
    repeat: tc.repeat,
    status: verdict.status,
    reason: verdict.reason,
    timings: verdict.timings,
    ...(verdict.details ? { details: verdict.details } : {}),
    ...(verdict.inconclusive && verdict.status === 'error' ? { inconclusive: true } : {}),
    klogMatches,
    startedAt: startedAt.toISOString(),
    durationMs,
  };
}

/** A result for a case that could not run (setup failed, VM lost, interrupted); an error here is the harness's. */
export function unrunResult(tc: TestCase, ctx: CaseContext, status: CaseStatus, reason: string): CaseResult {
  const r = toCaseResult(tc, ctx, { status, reason, timings: {} }, [], new Date(), 0);
  return status === 'error' ? { ...r, harnessError: true } : r;
}
