// Pure: split what guest-scripts/run-case.sh printed into the workload's own stdout and the
// trailer that carries the case's kernel log and taint (one round trip per case).
import { parseKmsgDump, type KmsgDump } from '../results/kmsg.js';

/** The line run-case.sh prints before its trailer. */
export const TRAILER_MARK = 'DAXLAB-CASE-TRAILER';

/** What klog-state.sh printed: the taint mask, and the kernel log records or why they are missing. */
export interface KlogState {
  /** -1 when the mask could not be read. */
  taint: number;
  kmsg: KmsgDump | null;
  /** Why kmsg is null: kmsg-read failed, or printed no header. */
  kmsgError?: string;
}

/** The trailer of one case. */
export interface CaseTrailer extends KlogState {
  taintBefore: number;
}

function intAfter(text: string, key: string): number | null {
  const m = new RegExp(`^${key} (-?\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

/** Parse klog-state.sh's output. */
export function parseKlogState(text: string): KlogState {
  const taint = intAfter(text, 'TAINT') ?? -1;
  const failed = /^KMSG-READ-FAILED (\d+)$/m.exec(text);
  if (failed) return { taint, kmsg: null, kmsgError: `kmsg-read failed (exit ${failed[1]})` };
  const kmsg = parseKmsgDump(text);
  return kmsg ? { taint, kmsg } : { taint, kmsg: null, kmsgError: 'kmsg-read printed no records header' };
}

/** The workload's stdout and the trailer (null when run-case.sh printed none, e.g. it was killed). */
export function splitCaseOutput(stdout: string): { stdout: string; trailer: CaseTrailer | null } {
  const at = stdout.lastIndexOf(`\n${TRAILER_MARK}\n`);
  if (at < 0) return { stdout, trailer: null };
  const tail = stdout.slice(at + TRAILER_MARK.length + 2);
  const state = parseKlogState(tail);
  return {
    stdout: stdout.slice(0, at),
    // TAINT-AFTER is read before the end marker: a taint after it belongs to the gap between cases.
    trailer: { ...state, taint: intAfter(tail, 'TAINT-AFTER') ?? state.taint, taintBefore: intAfter(tail, 'TAINT-BEFORE') ?? -1 },
  };
}
