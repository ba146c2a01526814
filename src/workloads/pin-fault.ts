// The "pin-fault" workload: pin-race (punch or zero, which keep the file's size) plus a page fault
// on another page of the file while the racer sleeps in the layout-break wait. The waiter holds the
// filesystem's fault lock exclusive and must drop it while it sleeps (ext4_wait_dax_page(),
// xfs_wait_dax_page()); otherwise every fault on the file stalls until the DMA ends, and a pin whose
// release needs a fault on the file would never be released.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { intParam } from './params.js';
import { afterPinMs, pinIo, PIN_IO_FIELDS, TOLERANCE_MS } from './pin-checks.js';
import { pinRace } from './pin-race.js';
import { PIN_INFO, PIN_RACE_PARAMS, type PinName } from './pin-race-params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

/** pin-race's parameters, with the races that keep the file's size (the faulted page stays in the file). */
const PARAMS: Record<string, ParamDef> = {
  pin: { ...PIN_RACE_PARAMS.pin!, default: ['pread'] },
  race: {
    values: ['punch', 'zero'],
    default: ['punch', 'zero'],
    description: 'The racing call: fallocate PUNCH_HOLE or ZERO_RANGE over the whole file (both keep its size).',
  },
  index: { ...PIN_RACE_PARAMS.index!, default: [5] },
  pages: { ...PIN_RACE_PARAMS.pages!, default: [16] },
  'fault-page': { default: [0], description: 'The page of the file read during the wait; must differ from index.' },
};

const FIELDS = [...PIN_IO_FIELDS, 'fault_page', 'fault_start_ns', 'fault_end_ns', 'fault_minflt'] as const;

function command(tc: TestCase, env: GuestEnv): string[] {
  return [...pinRace.command(tc, env), '--fault-page', String(intParam(tc, 'fault-page', PARAMS['fault-page']!))];
}

// When a return came relative to the pinned I/O's completion, in words.
function when(afterPin: number, io: string): string {
  return afterPin >= 0 ? `${afterPin} ms after the pinned ${io} completed` : `only ${-afterPin} ms before the pinned ${io} completed (within ${TOLERANCE_MS} ms)`;
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const base = pinRace.judge(tc, out, env);
  if (base.status !== 'pass') return base; // the racing call's own oracle spoke first
  const checked = checkResult('pinrace', out);
  if ('verdict' in checked) return checked.verdict;
  const fields = requireFields('pinrace', checked.line, FIELDS, out, ['fault_seen_wait']);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const pin = PIN_INFO[String(tc.params.pin) as PinName];
  const io = pinIo(v, pin.io, pin.bytes);
  const page = v.fault_page;
  if (checked.line.fault_seen_wait !== true) {
    return { ...inconclusiveVerdict(`the faulting thread never saw the racer asleep in the layout-break wait before the pin was released`, out, base.timings), details: base.details ?? {} };
  }
  const startAfterPin = afterPinMs(v.fault_start_ns, io, env.pinMs);
  const endAfterPin = afterPinMs(v.fault_end_ns, io, env.pinMs);
  const faultMs = nsToMs(v.fault_end_ns - v.fault_start_ns);
  const timings = { ...base.timings, faultMs, faultReturnAfterPinMs: endAfterPin };
  const details = { ...(base.details ?? {}), faultPage: page, faultMinflt: v.fault_minflt };
  if (startAfterPin > -TOLERANCE_MS) {
    return { ...inconclusiveVerdict(`the read of page ${page} started only ${-startAfterPin} ms before the pinned ${io.io} completed, need more than ${TOLERANCE_MS} ms`, out, timings), details };
  }
  if (v.fault_minflt < 1) {
    return { ...inconclusiveVerdict(`reading page ${page} during the wait took no page fault, so the fault lock was not tested`, out, timings), details };
  }
  if (endAfterPin > -TOLERANCE_MS) {
    return {
      status: 'fail',
      reason: `a page fault on page ${page} during the layout-break wait took ${faultMs} ms and returned ${when(endAfterPin, io.io)}: ` +
        'the waiter kept the fault lock while it slept, so faults on the file stall for as long as the pin is held',
      timings,
      details,
    };
  }
  return {
    status: 'pass',
    reason: `${base.reason}; a page fault on page ${page} during the wait took ${faultMs} ms, ${-endAfterPin} ms before the pin was released (the waiter dropped the fault lock)`,
    timings,
    details,
  };
}

/** While a racer waits for a pinned DAX page, faults on the rest of the file must go on. */
export const pinFault: Workload = {
  name: 'pin-fault',
  description:
    'As pin-race with a hole punch or zero range over the whole file (the size stays), and a third thread: once ' +
    "the racer is seen asleep in the layout-break wait (its wait channel), it reads page `fault-page` of the file's " +
    'mapping and times that access. The busy-page scan has unmapped the file by then, so the read faults, and a DAX ' +
    'fault takes the fault lock shared (ext4: the invalidate_lock; xfs: MMAPLOCK) that the waiter holds exclusive. ' +
    'ext4_wait_dax_page() and xfs_wait_dax_page() drop it while they sleep. Oracle: pin-race\'s (the call waits for ' +
    `the pin, proven asleep in the wait), and the fault must complete more than ${TOLERANCE_MS} ms before the pinned ` +
    'I/O completes; a fault that returns only after the pin was released fails. A read that started too late, took ' +
    'no fault, or never saw the racer waiting is an error (run again).',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
};
