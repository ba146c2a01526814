// The state one run of a plan's cases shares between the scheduler and the VM lanes, and the one
// path every result and finding takes to the journal and the reporters.
import type { FsName, TestCase } from '../plan/types.js';
import { applyKnownIssues } from '../results/known.js';
import type { CaseResult, KlogFinding } from '../results/types.js';
import { unrunResult, type CaseContext } from './case-result.js';
import type { GuestAccel } from './booted-guest.js';
import type { RunPlanDeps } from './run-plan.js';

/** What the steps of one run share. */
export interface RunState {
  d: RunPlanDeps;
  ctx: CaseContext;
  results: CaseResult[];
  findings: KlogFinding[];
  /** Filesystems that cannot run cases, with why: setup failed (errors) or DAX is not available (skips). */
  fsUnusable: Map<FsName, { status: 'skip' | 'error'; reason: string }>;
  /** The last boot's accelerator and guest clocksource. */
  accel: GuestAccel;
}

/** Record one result: known issues relabel it (xfail/xpass) before the journal and the reporters see it. */
export async function record(s: RunState, raw: CaseResult): Promise<void> {
  const r = applyKnownIssues(raw, s.d.plan.known);
  s.d.events.write({ type: 'case', result: r });
  s.results.push(r);
  await s.d.reporter.onCaseEnd?.(r);
}

/** Record kernel-log findings outside every case (each fails the run). */
export async function recordFindings(s: RunState, findings: KlogFinding[]): Promise<void> {
  for (const found of findings) {
    const f: KlogFinding = { ...found, kernel: s.ctx.kernel, ...(s.ctx.target ? { target: s.ctx.target } : {}) };
    s.d.events.write({ type: 'finding', finding: f });
    s.findings.push(f);
    await s.d.reporter.onFinding?.(f);
  }
}

/** Record every case of `rest` as not run, with one status and reason. */
export async function recordAll(s: RunState, rest: TestCase[], status: 'error' | 'fail', reason: string, detail: string[] = []) {
  for (const tc of rest) {
    const r = unrunResult(tc, s.ctx, status, reason);
    await record(s, detail.length > 0 ? { ...r, klogMatches: detail } : r);
  }
}
