// The "fault" workload: test-only fault injection (kernel panic, hang, D-state hang, cut SSH
// connection) for daxlab's fault suite. Never in the built-in plan; a plan must name it.
import { join } from 'node:path';
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { stderrTail } from './guest-json.js';
import { enumParam } from './params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const KIND: ParamDef = {
  values: ['ok', 'panic', 'hang', 'dstate', 'disconnect'],
  default: ['ok'],
  description: 'which fault to inject: ok (none), panic, hang, dstate (uninterruptible hang), disconnect (kill the ssh session)',
};

function command(tc: TestCase, env: GuestEnv): string[] {
  return [join(env.binDir, 'fault.sh'), enumParam(tc, 'kind', KIND), env.mountPoint];
}

function judge(tc: TestCase, out: GuestOutput): Verdict {
  const kind = enumParam(tc, 'kind', KIND);
  if (kind === 'ok' && out.exitCode === 0) return { status: 'pass', reason: 'no fault injected', timings: {} };
  // Any fault that lets the command return was not injected: the harness's problem, not the kernel's.
  const why = stderrTail(out.stderr) || `exit ${out.exitCode}`;
  return { status: 'error', reason: `fault ${kind} was not injected: ${why}`, timings: {} };
}

/** Test-only fault injection; excluded from the built-in plan. */
export const fault: Workload = {
  name: 'fault',
  description:
    'Test-only: injects one fault into the guest so that daxlab\'s own handling can be checked: a kernel ' +
    'panic (sysrq c), a hang, an uninterruptible hang on a frozen filesystem, or a cut SSH connection. ' +
    'Oracle: none of the faults should return; "ok" passes.',
  params: { kind: KIND },
  command,
  judge,
  inDefaultPlan: false,
};
