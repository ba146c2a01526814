// pin-signal's "kill" mode: an ftruncate waiting for a pinned DAX page in a child process is
// SIGKILLed; the wait must end at once, the size stay unchanged, and the next ftruncate on the
// file must find nothing left locked (it waits for the pin and succeeds).
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { afterPinMs, judgeWait, lateStart, pinIo, PIN_IO_FIELDS, pinProblem, TOLERANCE_MS, watchdogFailure, waitFacts } from './pin-checks.js';
import { describeWait, layoutWait, MIN_WAIT_SAMPLES, parseWaitEvidence } from './wait-evidence.js';
import type { GuestEnv, GuestOutput } from './types.js';

const FIELDS = [
  ...PIN_IO_FIELDS, 'trunc_start_ns', 'kill_ns', 'reaped_ns', 'child_exit', 'size_before', 'size_after_kill',
  'next_start_ns', 'next_end_ns', 'next_ret', 'next_errno', 'size_after',
] as const;

/** Judge a pinsignal --mode kill result; `index` is the pinned page, for the reasons. */
export function judgeKill(out: GuestOutput, env: GuestEnv, index: number): Verdict {
  const checked = checkResult('pinsignal', out);
  if ('verdict' in checked) return checked.verdict;
  const fields = requireFields('pinsignal', checked.line, FIELDS, out, ['child_killed']);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const killed = checked.line.child_killed === true;
  const io = pinIo(v);
  const reapAfterPinMs = afterPinMs(v.reaped_ns, io, env.pinMs);
  const timings = {
    pinMs: env.pinMs,
    readMs: nsToMs(v.read_end_ns - v.read_start_ns),
    killAfterTruncStartMs: nsToMs(v.kill_ns - v.trunc_start_ns),
    reapAfterKillMs: nsToMs(v.reaped_ns - v.kill_ns),
    nextTruncMs: nsToMs(v.next_end_ns - v.next_start_ns),
    nextAfterReadMs: nsToMs(v.next_end_ns - v.read_end_ns),
  };
  const details = {
    mode: 'kill', childKilled: killed, childExit: v.child_exit, sizeBefore: v.size_before,
    sizeAfterKill: v.size_after_kill, nextRet: v.next_ret, nextErrno: v.next_errno, sizeAfter: v.size_after,
    ...(typeof checked.line.watchdog_ms === 'number' ? { watchdogMs: checked.line.watchdog_ms } : {}),
  };
  const childWait = parseWaitEvidence(checked.line.trunc_wait);
  const next = judgeWait(
    { call: 'the next ftruncate', startNs: v.next_start_ns, endNs: v.next_end_ns, evidence: parseWaitEvidence(checked.line.next_wait) },
    io,
    env.pinMs,
  );
  const seen = waitFacts(next);
  const t = { ...timings, ...seen.timings };
  const d = { ...details, ...(childWait ? { childWait: describeWait(childWait) } : {}), ...(next.kind === 'waited' ? { nextWait: next.wait } : {}) };
  const verdict = (status: 'pass' | 'fail', reason: string): Verdict => ({ status, reason, timings: t, details: d });
  const error = (reason: string): Verdict => ({ ...errorVerdict(reason, out, t), details: d });
  const undecided = (reason: string): Verdict => ({ ...inconclusiveVerdict(reason, out, t), details: d });
  const invalid = pinProblem(io, env.pinMs) ?? lateStart('ftruncate', v.trunc_start_ns, io);
  if (invalid) return undecided(invalid);
  if (v.kill_ns >= v.read_end_ns - TOLERANCE_MS * 1e6) {
    return undecided(`SIGKILL sent too late: ${nsToMs(v.read_end_ns - v.kill_ns)} ms before the read completed, need more than ${TOLERANCE_MS} ms`);
  }
  if (!killed) {
    if (v.child_exit === 0) {
      return verdict('fail', `the child's ftruncate completed before SIGKILL, while page ${index} was pinned`);
    }
    return error(`the truncating child exited with ${v.child_exit} before SIGKILL`);
  }
  if (reapAfterPinMs > -TOLERANCE_MS) {
    return verdict('fail', `SIGKILL did not end the wait: the killed ftruncate ended ${reapAfterPinMs} ms after the ` +
      'pinned read completed (the layout-break wait must be killable)');
  }
  const blocked = childWait ? layoutWait(childWait) : { n: 0 };
  if (blocked.n < MIN_WAIT_SAMPLES) {
    return undecided(`the killed ftruncate was not seen waiting in the layout-break wait before SIGKILL (${blocked.n} samples ` +
      `there, need ${MIN_WAIT_SAMPLES}; seen: ${childWait ? describeWait(childWait) : 'no samples'})`);
  }
  if (v.size_after_kill !== v.size_before) {
    return verdict('fail', `the killed ftruncate changed the size to ${v.size_after_kill} (was ${v.size_before})`);
  }
  const stuck = watchdogFailure('the next ftruncate after the kill', checked.line.watchdog_ms, 'the pinned read completed');
  if (stuck) return verdict('fail', stuck);
  if (v.next_ret !== 0) return verdict('fail', `the next ftruncate after the kill failed with ${errnoName(v.next_errno)}`);
  if (next.kind === 'early') {
    return verdict('fail', `the next ftruncate after the kill returned ${-next.afterPinMs} ms before the pinned read ` +
      `completed (page ${index} was still pinned)`);
  }
  if (next.kind === 'unproven') return undecided(next.reason);
  if (v.size_after !== 0) return verdict('fail', `the next ftruncate succeeded but the size is ${v.size_after}, expected 0`);
  return verdict('pass', `SIGKILL ended the waiting ftruncate ${timings.reapAfterKillMs} ms after the kill ` +
    `(${-reapAfterPinMs} ms before the read completed), size unchanged; ${next.kind === 'waited' ? next.reason : 'the next ftruncate started after the pin was released'} and succeeded`);
}
