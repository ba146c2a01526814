// The "fault" workload: test-only fault injection for daxlab's fault suite: a kernel panic or oops,
// hangs, a cut SSH connection, kernel-log lines outside the case or a flood of them, an unreadable
// kernel log, and a racer that is merely slow. Never in the built-in plan; a plan must name it.
import { join } from 'node:path';
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, inconclusiveVerdict, stderrTail } from './guest-json.js';
import { enumParam } from './params.js';
import { pinRace } from './pin-race.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const KIND: ParamDef = {
  values: ['ok', 'panic', 'oops', 'hang', 'dstate', 'disconnect', 'warn-between', 'kasan-skip', 'klog-flood', 'kmsg-unreadable', 'slow-racer', 'flaky', 'undecided'],
  default: ['ok'],
  description:
    'which fault to inject: ok (none), panic, oops (LKDTM BUG: tainted, still running), hang, dstate (uninterruptible ' +
    'hang), disconnect (kill the ssh session), warn-between (a WARNING logged after the case ended), kasan-skip ' +
    '(a KASAN line, then a skip), klog-flood (more log than a small buffer holds), kmsg-unreadable (/dev/kmsg ' +
    'hidden), slow-racer (pin-race whose truncate sleeps through the pin instead of waiting for it), flaky (fails the ' +
    'first time it runs in a boot, passes when run again), undecided (inconclusive the first time, like an oracle that ' +
    'could not decide: run again alone, it passes)',
};

// The slow racer is a pin-race case: a pread pin of page 5 of 16 raced by ftruncate.
const SLOW_RACER_PARAMS = { pin: 'pread', race: 'truncate', index: 5, pages: 16 };

function slowRacerCase(tc: TestCase): TestCase {
  return { ...tc, workload: pinRace.name, params: SLOW_RACER_PARAMS };
}

function command(tc: TestCase, env: GuestEnv): string[] {
  const kind = enumParam(tc, 'kind', KIND);
  if (kind === 'slow-racer') {
    // The racer takes its start time, then sleeps through the rest of the pin before truncating.
    return [...pinRace.command(slowRacerCase(tc), env), '--test-slow-ms', String(env.pinMs)];
  }
  return [join(env.binDir, 'fault.sh'), kind, env.mountPoint];
}

// Faults whose program reports normally: what the kernel side makes of the case is what is tested.
const REPORTING = new Set(['ok', 'warn-between', 'kasan-skip', 'klog-flood', 'kmsg-unreadable', 'flaky', 'undecided']);

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const kind = enumParam(tc, 'kind', KIND);
  if (kind === 'slow-racer') return pinRace.judge(slowRacerCase(tc), out, env);
  if (REPORTING.has(kind) || (kind === 'oops' && out.exitCode === 0)) {
    const checked = checkResult('fault.sh', out);
    if ('verdict' in checked) return checked.verdict;
    if (kind === 'flaky' && checked.line.failed === true) return { status: 'fail', reason: 'fault flaky: failing on purpose (first run in this boot)', timings: {} };
    if (kind === 'undecided' && checked.line.failed === true) return inconclusiveVerdict('fault undecided: no verdict on purpose (first run in this boot)', out);
    return { status: 'pass', reason: kind === 'ok' ? 'no fault injected' : `fault ${kind} injected; the kernel side decides`, timings: {} };
  }
  // An oops kills fault.sh; the kernel log and the taint then fail the case.
  const why = stderrTail(out.stderr) || `exit ${out.exitCode}`;
  if (kind === 'oops') return { status: 'error', reason: `fault.sh ended with ${why} after the oops`, timings: {} };
  // Any other fault that lets the command return was not injected: the harness's problem, not the kernel's.
  return { status: 'error', reason: `fault ${kind} was not injected: ${why}`, timings: {} };
}

/** Test-only fault injection; excluded from the built-in plan and from `daxlab list`. */
export const fault: Workload = {
  name: 'fault',
  description:
    "Test-only: injects one fault into the guest so that daxlab's own handling can be checked: a kernel panic " +
    '(sysrq c) or oops (LKDTM), hangs, a cut SSH connection, kernel-log lines outside the case, a skip with a ' +
    'KASAN line, a log flood, an unreadable kernel log, or a racer that is slow instead of waiting. Oracle: the ' +
    'faults that end the program (panic, hang, dstate, disconnect) should never return; the others report and ' +
    "are judged by the kernel side of the case (log, lost records, taint) or by pin-race's judge.",
  params: { kind: KIND },
  command,
  judge,
  inDefaultPlan: false,
  // Panics, oopses, hangs and kernel-log tricks must not touch other cases.
  exclusive: () => 'guest',
  testOnly: true,
};
