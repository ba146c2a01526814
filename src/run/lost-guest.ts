// Classify a case whose guest stopped answering: a kernel panic is the kernel's fault (fail, with
// the panic text); a VM killed or a cut connection is the harness's (error); a hang gets stacks.
import type { TestCase } from '../plan/types.js';
import type { CaseResult } from '../results/types.js';
import type { BootedGuest } from './booted-guest.js';
import { toCaseResult, type CaseContext } from './case-result.js';

/** Pure: the verdict for a lost guest given what the serial log and the process say. */
export function classifyLostGuest(
  panic: string | null,
  exited: boolean,
  stacks: string[],
  message: string,
): { status: 'fail' | 'error'; reason: string; detail: string[] } {
  if (panic) {
    const first = panic.split('\n').find((l) => /panic|Oops|BUG/.test(l)) ?? panic.split('\n')[0] ?? '';
    return { status: 'fail', reason: `guest kernel crashed: ${first.trim()}`, detail: panic.split('\n') };
  }
  if (exited) return { status: 'error', reason: `QEMU exited during the case (${message})`, detail: [] };
  if (stacks.length > 0) {
    return { status: 'error', reason: `guest stopped answering (${message}); task stacks collected`, detail: stacks };
  }
  return { status: 'error', reason: `guest connection lost (${message})`, detail: [] };
}

/** Build the result for a case whose guest was lost, collecting stacks when the VM is still up. */
export async function lostGuestResult(tc: TestCase, ctx: CaseContext, booted: BootedGuest, err: unknown): Promise<CaseResult> {
  const message = (err as Error)?.message ?? String(err);
  await new Promise((r) => setTimeout(r, 500)); // let the serial log catch up with a dying kernel
  const panic = booted.panicText();
  const stacks = !panic && !booted.exited() ? await booted.dumpStacks().catch(() => []) : [];
  const c = classifyLostGuest(panic, booted.exited(), stacks, message);
  const r = toCaseResult(tc, ctx, { status: c.status, reason: c.reason, timings: {} }, [], new Date(), 0);
  return c.detail.length > 0 ? { ...r, klogMatches: c.detail.slice(0, 80) } : r;
}
