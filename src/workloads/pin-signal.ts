// The "pin-signal" workload: a signal sent to ftruncate while it waits for a
// pinned DAX page must interrupt it cleanly (EINTR, size unchanged) or be restarted.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { caseFilePath, enumParam } from './params.js';
import { judgeWait, lateStart, leadMs, pinIo, PIN_IO_FIELDS, pinProblem, TOLERANCE_MS, watchdogFailure, waitFacts } from './pin-checks.js';
import { describeWait, layoutWait, MIN_WAIT_SAMPLES, parseWaitEvidence } from './wait-evidence.js';
import { judgeKill } from './pin-signal-kill.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

/** Pages of the file pinsignal maps (PS_PAGES in pinsignal.c). */
export const PINSIGNAL_PAGES = 16;

/** The page pinsignal pins (PS_INDEX in pinsignal.c). */
export const PINSIGNAL_INDEX = 5;

const EINTR = 4;

const PARAMS: Record<string, ParamDef> = {
  mode: {
    values: ['eintr', 'restart', 'kill'],
    default: ['eintr', 'restart', 'kill'],
    description: 'SIGALRM to the truncating thread with a handler installed without SA_RESTART (eintr) or with it ' +
      '(restart); or SIGKILL to a truncating child process (kill).',
  },
};

const FIELDS = [
  ...PIN_IO_FIELDS, 'trunc_start_ns', 'trunc_end_ns',
  'trunc_ret', 'trunc_errno', 'signal_ns', 'handled_ns', 'size_before', 'size_at_return', 'size_after',
] as const;

function command(tc: TestCase, env: GuestEnv): string[] {
  const lead = String(leadMs(env.pinMs));
  return [
    `${env.binDir}/pinsignal`,
    '--file', caseFilePath(env.mountPoint, 'pinsignal', tc.id),
    '--mode', enumParam(tc, 'mode', PARAMS.mode!),
    '--dev', env.delayDevice,
    '--lead-ms', lead,
    '--signal-ms', lead,
  ];
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const mode = enumParam(tc, 'mode', PARAMS.mode!);
  if (mode === 'kill') return judgeKill(out, env, PINSIGNAL_INDEX);
  const checked = checkResult('pinsignal', out);
  if ('verdict' in checked) return checked.verdict;
  const fields = requireFields('pinsignal', checked.line, FIELDS, out);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const afterReadMs = nsToMs(v.trunc_end_ns - v.read_end_ns);
  const timings = {
    pinMs: env.pinMs,
    readMs: nsToMs(v.read_end_ns - v.read_start_ns),
    truncMs: nsToMs(v.trunc_end_ns - v.trunc_start_ns),
    truncAfterReadMs: afterReadMs,
    signalAfterTruncStartMs: nsToMs(v.signal_ns - v.trunc_start_ns),
    ...(v.handled_ns >= 0 ? { truncAfterSignalMs: nsToMs(v.trunc_end_ns - v.signal_ns) } : {}),
  };
  const details = {
    mode, truncRet: v.trunc_ret, truncErrno: v.trunc_errno, sizeBefore: v.size_before,
    sizeAtReturn: v.size_at_return, sizeAfter: v.size_after, handled: v.handled_ns >= 0,
    ...(typeof checked.line.watchdog_ms === 'number' ? { watchdogMs: checked.line.watchdog_ms } : {}),
  };
  const evidence = parseWaitEvidence(checked.line.trunc_wait);
  const io = pinIo(v);
  const w = judgeWait({ call: 'ftruncate', startNs: v.trunc_start_ns, endNs: v.trunc_end_ns, evidence }, io, env.pinMs);
  const seen = waitFacts(w);
  const interrupted = v.trunc_ret === -1 && v.trunc_errno === EINTR;
  // An interrupted ftruncate returns before the pin is released by design: its return is no margin
  // of the early-return oracle (returnAfterPinMs), so it is kept under its own name.
  const t = { ...timings, ...(interrupted ? { eintrAfterPinMs: w.afterPinMs } : seen.timings) };
  const d = { ...details, ...seen.details, ...(evidence ? { wait: describeWait(evidence) } : {}) };
  const verdict = (status: 'pass' | 'fail', reason: string): Verdict => ({ status, reason, timings: t, details: d });
  const invalid = pinProblem(io, env.pinMs) ?? lateStart('ftruncate', v.trunc_start_ns, io);
  if (invalid) return { ...inconclusiveVerdict(invalid, out, t), details: d };
  if (v.trunc_ret === 0 && w.kind === 'early') {
    return verdict('fail', `ftruncate returned with success ${-w.afterPinMs} ms before the pinned read ` +
      `completed (size ${v.size_at_return} while page ${PINSIGNAL_INDEX} was pinned)`);
  }
  if (v.signal_ns >= v.read_end_ns - TOLERANCE_MS * 1e6) {
    const ms = nsToMs(v.read_end_ns - v.signal_ns);
    const reason = `signal sent too late: ${ms} ms before the read completed, need more than ${TOLERANCE_MS} ms`;
    return { ...inconclusiveVerdict(reason, out, t), details: d };
  }
  // restart: the restarted wait must still end when the pin does.
  const stuck = watchdogFailure('the restarted ftruncate', checked.line.watchdog_ms, 'the pinned read completed');
  if (stuck) return verdict('fail', stuck);
  if (v.handled_ns < 0) return { ...errorVerdict('SIGALRM was not handled by the truncating thread', out, t), details: d };
  if (v.handled_ns < v.trunc_start_ns) {
    return { ...errorVerdict('SIGALRM was handled before ftruncate was called (the thread was not scheduled in time)', out, t), details: d };
  }

  if (v.trunc_ret !== 0 && !interrupted) return verdict('fail', `ftruncate failed with ${errnoName(v.trunc_errno)}`);
  if (interrupted && mode === 'restart') {
    return verdict('fail', 'ftruncate returned EINTR although the handler was installed with SA_RESTART');
  }
  if (interrupted) {
    const blocked = evidence ? layoutWait(evidence) : { n: 0 };
    if (blocked.n < MIN_WAIT_SAMPLES) {
      return {
        ...inconclusiveVerdict(`ftruncate returned EINTR but was not seen waiting in the layout-break wait before the signal ` +
          `(${blocked.n} samples there, need ${MIN_WAIT_SAMPLES}; seen: ${evidence ? describeWait(evidence) : 'no samples'})`, out, t),
        details: d,
      };
    }
    if (v.size_at_return !== v.size_before || v.size_after !== v.size_before) {
      return verdict('fail', `ftruncate returned EINTR but the size changed: ${v.size_at_return} at return, ` +
        `${v.size_after} after the read, was ${v.size_before}`);
    }
    return verdict('pass', `ftruncate was interrupted in the layout-break wait: EINTR ${nsToMs(v.trunc_end_ns - v.signal_ns)} ms after ` +
      `the signal, ${-afterReadMs} ms before the read completed, size unchanged`);
  }
  if (v.size_at_return !== 0 || v.size_after !== 0) {
    return verdict('fail', `ftruncate succeeded but the size is ${v.size_at_return} at return, ${v.size_after} ` +
      'after the read, expected 0');
  }
  if (mode === 'eintr') {
    return verdict('fail', `ftruncate was not interrupted by SIGALRM: it completed ${afterReadMs} ms after the read, ` +
      'so the layout-break wait ignored the signal (it must sleep TASK_INTERRUPTIBLE and return EINTR)');
  }
  if (w.kind === 'unproven') return { ...inconclusiveVerdict(w.reason, out, t), details: d };
  const seenFor = w.kind === 'waited' ? ` (seen asleep in the layout-break wait for ~${w.waitSeenMs} ms)` : '';
  return verdict('pass', `ftruncate was restarted after SIGALRM and completed ${afterReadMs} ms after the read, size 0${seenFor}`);
}

/** ftruncate waiting for a pinned DAX page, hit by SIGALRM without or with SA_RESTART. */
export const pinSignal: Workload = {
  name: 'pin-signal',
  description:
    `Maps a ${PINSIGNAL_PAGES}-page file on the DAX filesystem, pins page ${PINSIGNAL_INDEX} with an ` +
    'O_DIRECT pread from the delayed null_blk device, calls ftruncate(fd, 0) from a second thread ' +
    'while the read is in flight, and sends that thread SIGALRM (pthread_kill) while the truncate ' +
    'waits for the pin. In 6.12 both waits are interruptible: ext4_break_layouts (fs/ext4/inode.c) and ' +
    'xfs_break_dax_layouts (fs/xfs/xfs_inode.c) sleep in ___wait_var_event(..., TASK_INTERRUPTIBLE, ...), ' +
    'so a signal ends the wait with -ERESTARTSYS before any size change (ext4_setattr and ' +
    'xfs_vn_setattr break layouts before truncating). Without SA_RESTART (mode eintr) ftruncate must ' +
    'then return EINTR with the size unchanged; with SA_RESTART (mode restart) it is restarted, waits ' +
    'again and must complete after the pin with size 0. With mode kill the ftruncate runs in a child ' +
    'process that is sent SIGKILL while it waits: the wait must end at once (the child is reaped well ' +
    'before the read completes), the size must be unchanged, and the next ftruncate on the file (in the ' +
    'parent) must find nothing left locked: it waits for the pin and succeeds with size 0. Oracle: eintr ' +
    'passes only on EINTR with the size unchanged (an uninterruptible wait that completes after the pin ' +
    'fails); restart passes only on a completion after the pin with size 0; any success before the read ' +
    'completed fails. A pin not held, or a truncate or signal too late to overlap it, is an error.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
};
