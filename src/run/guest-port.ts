// The small view of a guest the runner needs: run an argv with a timeout. Implemented by the ssh2 session.
import type { GuestOutput } from '../workloads/types.js';

/** Anything that can run an argv in the guest (no shell parsing of the words). */
export interface GuestExec {
  exec(argv: string[], opts: { timeoutMs: number }): Promise<GuestOutput>;
}
