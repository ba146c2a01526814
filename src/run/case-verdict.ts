// Pure: a case's final verdict from the workload's own verdict and the kernel's side of the
// case (its kernel-log lines, whether any record was lost, and the taint before and after).
import { applyKernelLog, scanKernelLog } from '../results/klog.js';
import { badTaint, describeTaint, newBadTaint } from '../results/taint.js';
import type { Verdict } from '../results/types.js';

/** What the runner learned about the kernel around one case. */
export interface KernelSide {
  /** The case's kernel-log lines, or null when the log could not be read (kmsgError says why). */
  lines: string[] | null;
  kmsgError?: string;
  /** Whether the case's begin and end markers were found in the log. */
  marked: boolean;
  /** Kernel-log records lost since the previous read. */
  lost: number;
  /** Taint masks before and after the case (-1 when unreadable). */
  taintBefore: number;
  taintAfter: number;
}

/** The final verdict, the lines kept in the result, and what the runner must do next. */
export interface CaseVerdict {
  verdict: Verdict;
  klogMatches: string[];
  /** The kernel is tainted after the case: the next case needs a fresh boot. */
  rebootAfter: boolean;
  /** The case started on an already tainted kernel: its verdict proves nothing; run it again on a fresh boot. */
  rerunOnFreshBoot: boolean;
}

// A harness-side doubt about the kernel side: a pass or a skip cannot stand, a fail stands.
function doubt(v: Verdict, why: string): Verdict {
  if (v.status === 'fail' || v.status === 'error') return { ...v, reason: `${v.reason}; also: ${why}` };
  return { ...v, status: 'error', reason: `${why}${v.status === 'pass' ? '' : `; the workload reported ${v.status}: ${v.reason}`}` };
}

/** Combine the workload's verdict with the kernel side of the case. */
export function caseVerdict(workload: Verdict, k: KernelSide): CaseVerdict {
  const scan = scanKernelLog((k.lines ?? []).join('\n'));
  let { verdict } = applyKernelLog(workload, scan);
  const taintNew = newBadTaint(k.taintBefore, k.taintAfter);
  if (taintNew !== 0) {
    const why = `kernel tainted during the case: ${describeTaint(taintNew)}`;
    verdict = verdict.status === 'fail'
      ? { ...verdict, reason: `${verdict.reason}; ${why}` }
      : { ...verdict, status: 'fail', reason: `${why}${verdict.status === 'pass' ? '' : `; the workload reported ${verdict.status}: ${verdict.reason}`}` };
  }
  // Overwritten records first: they are the cause when the markers are missing too.
  if (k.lost > 0) {
    verdict = doubt(verdict, `${k.lost} kernel-log record(s) were overwritten before they could be read (the ring buffer wrapped: raise vm.logBufKiB)`);
  }
  if (k.lines === null) verdict = doubt(verdict, `the case's kernel log could not be read (${k.kmsgError ?? 'unknown reason'})`);
  else if (!k.marked) verdict = doubt(verdict, "the case's begin and end markers are missing from the kernel log, so its lines cannot be told apart");
  if (k.taintAfter < 0 || k.taintBefore < 0) verdict = doubt(verdict, 'the kernel taint mask could not be read');
  const preTainted = badTaint(k.taintBefore);
  if (preTainted !== 0 && taintNew === 0) {
    verdict = doubt(verdict, `the kernel was already tainted when the case started (${describeTaint(preTainted)})`);
  }
  return {
    verdict,
    klogMatches: scan.matches,
    rebootAfter: badTaint(k.taintAfter) !== 0,
    rerunOnFreshBoot: preTainted !== 0,
  };
}
