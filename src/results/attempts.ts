// Folding the attempts of one case (its first failure and the re-runs in the same boot) into the one
// result that is reported. Pure; the runner's re-run loop calls it.
import type { Attempt, CaseResult, CaseStatus } from './types.js';

const FAILED: readonly CaseStatus[] = ['fail', 'xfail'];
const PASSED: readonly CaseStatus[] = ['pass', 'xpass'];

function summary(r: CaseResult): Attempt {
  return { status: r.status, reason: r.reason, durationMs: r.durationMs };
}

/**
 * One result from the attempts of a case, in the order they ran:
 * - a single attempt is returned as it is;
 * - some failed and some passed: `flaky`, reason "failed k of n attempts: <first failure reason>";
 * - some failed, none passed: the first failure (fail or xfail), reason "failed k of n attempts: ...";
 * - none failed, some passed (the others were errors or skips): the first pass, its reason saying
 *   which attempt passed;
 * - only errors and skips: the first attempt (error if any attempt errored).
 * The evidence (timings, details, kernel-log lines) is that of the attempt the status comes from:
 * for flaky, the first failure. Durations add up; `attempts` lists every attempt.
 */
export function foldAttempts(attempts: readonly CaseResult[]): CaseResult {
  const first = attempts[0];
  if (!first) throw new RangeError('foldAttempts needs at least one attempt');
  if (attempts.length === 1) return first;
  const n = attempts.length;
  const failures = attempts.filter((a) => FAILED.includes(a.status));
  const passIndex = attempts.findIndex((a) => PASSED.includes(a.status));
  const folded = (base: CaseResult, status: CaseStatus, reason: string): CaseResult => ({
    ...base,
    status,
    reason,
    startedAt: first.startedAt,
    durationMs: attempts.reduce((s, a) => s + (Number.isFinite(a.durationMs) ? a.durationMs : 0), 0),
    attempts: attempts.map(summary),
  });
  const firstFailure = failures[0];
  if (firstFailure) {
    const reason = `failed ${failures.length} of ${n} attempts: ${firstFailure.reason}`;
    return folded(firstFailure, passIndex >= 0 ? 'flaky' : firstFailure.status, reason);
  }
  const passed = attempts[passIndex];
  if (passed) {
    const before = attempts.slice(0, passIndex).map((a) => `${a.status}: ${a.reason}`).join('; ');
    return folded(passed, passed.status, `${passed.reason} (passed on attempt ${passIndex + 1} of ${n}${before ? ` after ${before}` : ''})`);
  }
  const errored = attempts.find((a) => a.status === 'error');
  return folded(errored ?? first, errored ? 'error' : first.status, (errored ?? first).reason);
}

/** True when a result failed at least once: fail, xfail, or flaky. */
export function failedOnce(status: CaseStatus): boolean {
  return status === 'flaky' || FAILED.includes(status);
}
