// Classify a case whose guest stopped answering: a kernel panic is the kernel's fault (fail, with
// the panic text); a VM killed, a cut connection or a timeout is the harness's (error); a guest that
// is still running but stuck gets its task stacks attached. Every verdict names the command the guest
// was running, for how long, the tail of its output and of the serial console.
import { basename } from 'node:path';
import type { TestCase } from '../plan/types.js';
import type { CaseResult } from '../results/types.js';
import type { BootedGuest, VmEnd } from './booted-guest.js';
import { toCaseResult, type CaseContext } from './case-result.js';
import { crashHeadline } from '../vm/crash.js';
import { CaseTimeoutError } from './case-runner.js';
import { CommandLostError } from '../guest/command-lost.js';
import type { RunningCommand } from '../guest/types.js';
import { describeRunning, TAIL_LINES } from './running-command.js';

/** What is known about a lost guest when the case is judged. */
export interface LostGuestFacts {
  panic: string | null;
  /** How QEMU ended, or null when it still runs. */
  exit: VmEnd | null;
  /** The case ran into its timeout (timeouts.case). */
  timeoutSec: number | null;
  /** The ssh connection ended while the VM kept running. */
  disconnected: boolean;
  stacks: string[];
  message: string;
  /** The guest command that was running, with its output so far (unknown when the loss came between commands). */
  command?: RunningCommand;
  /** The last lines of the serial console, taken before any stack dump. */
  console?: string[];
}

function describeExit(e: VmEnd): string {
  if (e.signal) return `killed by ${e.signal}`;
  return e.code === null ? 'ended' : `exit code ${e.code}`;
}

/** Pure: the verdict for a lost guest. */
export function classifyLostGuest(f: LostGuestFacts): { status: 'fail' | 'error'; reason: string; detail: string[] } {
  const running = describeRunning(f.command, f.console ?? []);
  if (f.panic) {
    const first = crashHeadline(f.panic.split('\n')) ?? f.panic.split('\n')[0] ?? '';
    return { status: 'fail', reason: `guest kernel crashed: ${first.trim()}`, detail: f.panic.split('\n') };
  }
  if (f.exit) {
    return {
      status: 'error',
      reason: `QEMU died during the case (${describeExit(f.exit)}), not a kernel crash: ${f.message}; ${running.summary}`,
      detail: running.lines,
    };
  }
  const stacks = f.stacks.length > 0 ? '; task stacks (sysrq w, t) attached' : '; no task stacks could be collected';
  // The command and console tails first: they must survive the cut of a long stack dump.
  const detail = [...running.lines, ...f.stacks];
  if (f.timeoutSec !== null) {
    return { status: 'error', reason: `case timed out after ${f.timeoutSec} s (plan timeouts.case): ${running.summary}${stacks}`, detail };
  }
  if (f.disconnected) {
    return { status: 'error', reason: `lost the ssh connection to the guest (${f.message}): ${running.summary}${stacks}`, detail };
  }
  return { status: 'error', reason: f.command ? `${f.message}: ${running.summary}` : f.message, detail: f.command ? detail : f.stacks };
}

/** Build the result for a case whose guest was lost, collecting stacks when the VM is still up. */
export async function lostGuestResult(
  tc: TestCase,
  ctx: CaseContext,
  booted: BootedGuest,
  err: unknown,
  startedAt = new Date(),
): Promise<CaseResult> {
  const message = (err as Error)?.message ?? String(err);
  await new Promise((r) => setTimeout(r, 500)); // let the serial log and the process state catch up
  const timeoutSec = err instanceof CaseTimeoutError ? err.timeoutSec : null;
  const command = err instanceof CaseTimeoutError || err instanceof CommandLostError ? err.command : undefined;
  // Before any stack dump, which would fill the console's tail.
  const console = booted.serialTail(TAIL_LINES.console * 2);
  const panic = booted.panicText();
  const stuck = !panic && !booted.exited() && (timeoutSec !== null || booted.disconnected());
  const stacks = stuck ? await booted.dumpStacks().catch(() => []) : [];
  const c = classifyLostGuest({
    panic: panic ?? booted.panicText(),
    exit: booted.exitStatus(),
    timeoutSec,
    disconnected: booted.disconnected(),
    stacks,
    message,
    command,
    console,
  });
  const verdict = { status: c.status, reason: c.reason, timings: {}, details: { serialLog: basename(booted.serialLog) } };
  const made = toCaseResult(tc, ctx, verdict, [], startedAt, Date.now() - startedAt.getTime());
  const r = c.status === 'error' ? { ...made, harnessError: true } : made; // a lost VM is the harness's, a panic the kernel's
  return c.detail.length > 0 ? { ...r, klogMatches: c.detail.slice(0, 300) } : r;
}
