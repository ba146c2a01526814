// Run one case in a booted guest: run-case.sh marks it in the kernel log, runs the workload and
// appends the case's kernel log and taint (one round trip); the workload judges its output, and
// the kernel side (log lines, lost records, taint) completes the verdict.
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { RunningCommand } from '../guest/types.js';
import type { TestCase } from '../plan/types.js';
import type { CaseResult, KlogFinding } from '../results/types.js';
import type { GuestEnv, Workload } from '../workloads/types.js';
import { toCaseResult, type CaseContext } from './case-result.js';
import { parseKlogState, splitCaseOutput, type CaseTrailer } from './case-trailer.js';
import { caseVerdict } from './case-verdict.js';
import { newBadTaint } from '../results/taint.js';
import type { GuestExec } from './guest-port.js';
import type { KlogLedger } from './klog-ledger.js';

/** A case ran into its timeout: the guest may be stuck, so the runner collects stacks and reboots. */
export class CaseTimeoutError extends DaxlabError {
  constructor(
    readonly timeoutSec: number,
    /** The command that ran into the timeout, with what it printed before it was killed. */
    readonly command?: RunningCommand,
  ) {
    super('GUEST_FAILED', `case timed out after ${timeoutSec} s (plan timeouts.case)`);
  }
}

export interface CaseRunOptions {
  guestScripts: string;
  ctx: CaseContext;
  /** This boot's kernel-log position and attribution. */
  ledger: KlogLedger;
  /** The case's marker in the kernel log: its id, or its id and attempt when it runs again in the same boot. */
  markId?: string;
}

/** One case's result, the kernel-log findings around it, and what the runner must do next. */
export interface CaseRun {
  result: CaseResult;
  findings: KlogFinding[];
  /** The kernel is tainted now: boot afresh before the next case. */
  rebootAfter: boolean;
  /** The case started on a tainted kernel: its result proves nothing; run it again on a fresh boot. */
  rerunOnFreshBoot: boolean;
  /**
   * Cases that ran at the same time as this one when a failing kernel-log line or a new taint
   * appeared: neither can be blamed, so this result proves nothing; run it again alone.
   */
  ambiguousWith: string[];
}

/** Read the taint and the kernel log outside run-case.sh (a boot's start and end, or a lost trailer). */
export async function readKlogState(guest: GuestExec, scripts: string, from: number) {
  const r = await guest.exec([join(scripts, 'klog-state.sh'), String(from)], { timeoutMs: 30_000 });
  if (r.timedOut) return { taint: -1, kmsg: null, kmsgError: 'klog-state.sh timed out' };
  return parseKlogState(r.stdout);
}

/** Run and judge one case; a timeout and guest-channel failures are thrown for the caller to classify. */
export async function runCase(guest: GuestExec, tc: TestCase, workload: Workload, env: GuestEnv, o: CaseRunOptions): Promise<CaseRun> {
  const started = new Date();
  const mark = o.markId ?? tc.id;
  const argv = [join(o.guestScripts, 'run-case.sh'), mark, String(o.ledger.cursor), ...workload.command(tc, env)];
  const out = await guest.exec(argv, { timeoutMs: tc.timeoutSec * 1000 });
  const durationMs = Date.now() - started.getTime();
  if (out.timedOut) throw new CaseTimeoutError(tc.timeoutSec, { argv, durationMs, stdout: out.stdout, stderr: out.stderr });
  const split = splitCaseOutput(out.stdout);
  // run-case.sh itself was killed (the OOM killer, an oops in its shell): read the log separately.
  const trailer: CaseTrailer = split.trailer ?? { ...(await readKlogState(guest, o.guestScripts, o.ledger.cursor)), taintBefore: -1 };
  const workloadVerdict = workload.judge(tc, { ...out, stdout: split.stdout }, env);
  const klog = trailer.kmsg ? o.ledger.takeCase(trailer.kmsg, mark) : null;
  const v = caseVerdict(workloadVerdict, {
    lines: klog?.lines ?? null,
    kmsgError: trailer.kmsgError,
    marked: klog?.marked ?? false,
    lost: klog?.lost ?? 0,
    taintBefore: trailer.taintBefore,
    taintAfter: trailer.taint,
  });
  // A new taint while other cases ran cannot be blamed on this one alone.
  const taintShared = newBadTaint(trailer.taintBefore, trailer.taint) !== 0 ? o.ledger.overlapping(mark) : [];
  return {
    result: toCaseResult(tc, o.ctx, v.verdict, v.klogMatches, started, durationMs),
    findings: klog?.outside ?? [],
    rebootAfter: v.rebootAfter,
    rerunOnFreshBoot: v.rerunOnFreshBoot,
    ambiguousWith: [...new Set([...(klog?.ambiguousWith ?? []), ...taintShared])].sort(),
  };
}
