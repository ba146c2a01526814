// Run one case in a booted guest: mark it in the kernel log, run the workload, judge its output,
// slice and scan the kernel log, and return the result.
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { TestCase } from '../plan/types.js';
import { applyKernelLog, scanKernelLog, sliceKernelLog } from '../results/klog.js';
import type { CaseResult } from '../results/types.js';
import type { GuestEnv, Workload } from '../workloads/types.js';
import { toCaseResult, type CaseContext } from './case-result.js';
import type { GuestExec } from './guest-port.js';

/** A case ran into its timeout: the guest may be stuck, so the runner collects stacks and reboots. */
export class CaseTimeoutError extends DaxlabError {
  constructor(readonly timeoutSec: number) {
    super('GUEST_FAILED', `case timed out after ${timeoutSec} s (plan timeouts.case)`);
  }
}

export interface CaseRunOptions {
  guestScripts: string;
  ctx: CaseContext;
}

/** Run and judge one case; a timeout and guest-channel failures are thrown for the caller to classify. */
export async function runCase(
  guest: GuestExec,
  tc: TestCase,
  workload: Workload,
  env: GuestEnv,
  o: CaseRunOptions,
): Promise<CaseResult> {
  const started = new Date();
  const argv = [join(o.guestScripts, 'run-case.sh'), tc.id, ...workload.command(tc, env)];
  const out = await guest.exec(argv, { timeoutMs: tc.timeoutSec * 1000 });
  const durationMs = Date.now() - started.getTime();
  if (out.timedOut) throw new CaseTimeoutError(tc.timeoutSec);
  let verdict = workload.judge(tc, out, env);
  const dmesg = await guest.exec(['dmesg'], { timeoutMs: 30_000 });
  const scan = scanKernelLog(sliceKernelLog(dmesg.stdout, tc.id));
  const applied = applyKernelLog(verdict, scan);
  verdict = applied.verdict;
  return toCaseResult(tc, o.ctx, verdict, applied.klogMatches, started, durationMs);
}
