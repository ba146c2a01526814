// Checks shared by the pin workloads: whether the delay device really held the
// pin, and whether the racing call started early enough to overlap it.
import { errnoName, nsToMs } from './guest-json.js';
import { PAGE } from './pin-race-params.js';
import { describeWait, waitProof, type WaitEvidence } from './wait-evidence.js';

/**
 * How much earlier than the pinned I/O's completion the racing call may return
 * and still count as having waited. On stock 6.12 the racer returns 0-10 ms
 * after the read completes (80 of 80 runs, docs/host-facts.md); the pinning thread records
 * its end only after it is scheduled again, so under TCG the racer can even
 * look a few ms early. With the seed bug it returns ~400 ms early with a 500 ms
 * pin (1-22 ms after it started). 50 ms sits well clear of both.
 */
export const TOLERANCE_MS = 50;

/**
 * The earliest moment the delay device can have completed the pinned I/O: its submission plus
 * the device delay (or the reported end, if that is earlier). The pinning thread's own end
 * timestamp is taken only after it is scheduled again, which under a loaded TCG host lagged by
 * up to 41 ms (360 stock cases, 20 repeats); the racer is judged against the device's completion
 * instead, so scheduler noise cannot make a correct kernel look early.
 */
export function pinCompletionNs(pin: PinIo, pinMs: number): number {
  return Math.min(pin.endNs, pin.startNs + pinMs * 1e6);
}

/** Milliseconds from the pinned I/O's completion to `endNs`; negative means it came while the pin was held. */
export function afterPinMs(endNs: number, pin: PinIo, pinMs: number): number {
  return nsToMs(endNs - pinCompletionNs(pin, pinMs));
}

/** The pinning I/O must last at least this fraction of the device delay to count as a pin. */
export const MIN_PIN_FRACTION = 0.8;

/** How long a program sleeps after the I/O is submitted before racing: 100 ms, less for short pins. */
export function leadMs(pinMs: number): number {
  return Math.max(1, Math.min(100, Math.floor(pinMs / 5)));
}

/** The pinning I/O as a guest program reported it (times in ns from program start). */
export interface PinIo {
  /** 'read' (DMA into the page) or 'write' (DMA out of it). */
  io: 'read' | 'write';
  ret: number;
  errno: number;
  expectedBytes: number;
  startNs: number;
  endNs: number;
}

/** Why the pin I/O does not count as a pin (failed, or too short), or null when it does. */
export function pinProblem(pin: PinIo, pinMs: number): string | null {
  if (pin.ret !== pin.expectedBytes) {
    const why = pin.ret < 0 ? errnoName(pin.errno) : `${pin.ret} bytes of ${pin.expectedBytes}`;
    return `the pinned O_DIRECT ${pin.io} failed: ${why}`;
  }
  const ms = nsToMs(pin.endNs - pin.startNs);
  if (ms < MIN_PIN_FRACTION * pinMs) {
    return `delay device did not hold the pin: ${pin.io} took ${ms} ms, expected ~${pinMs} ms`;
  }
  return null;
}

/** An error reason when call started too close to (or after) the pin's end, else null. */
export function lateStart(call: string, startNs: number, pin: PinIo): string | null {
  if (startNs < pin.endNs - TOLERANCE_MS * 1e6) return null;
  return (
    `race started too late: ${call} started ${nsToMs(pin.endNs - startNs)} ms before ` +
    `the ${pin.io} completed, need more than ${TOLERANCE_MS} ms`
  );
}

/**
 * How long after the pin was released a racing call may still be waiting before the guest
 * program's watchdog interrupts it (guest-scripts/watchdog.h, WATCHDOG_GRACE_MS): 40 times the
 * worst lag measured on a loaded TCG host, so only a wait nothing woke gets there.
 */
export const WATCHDOG_GRACE_MS = 2000;

/**
 * The fail reason when the guest program's watchdog had to interrupt the racing call (its
 * `*_watchdog_ms` field is the time past the pin's release, -1 when it returned by itself),
 * else null. A lost wakeup: the pin ended, nothing woke the layout-break wait.
 */
export function watchdogFailure(call: string, watchdogMs: unknown, what = 'the pinned I/O completed'): string | null {
  if (typeof watchdogMs !== 'number' || watchdogMs < 0) return null;
  return (
    `${call} never returned after ${what}: still waiting ${watchdogMs} ms later, when the guest's watchdog ` +
    'interrupted it with a signal (the pin was released but nothing woke the layout-break wait)'
  );
}

/** The result fields every pin program prints for its pinning I/O. */
export const PIN_IO_FIELDS = ['read_start_ns', 'read_end_ns', 'read_ret', 'read_errno'] as const;

/** The pinning I/O from a result's PIN_IO_FIELDS (a one-page read unless told otherwise). */
export function pinIo(
  v: Record<(typeof PIN_IO_FIELDS)[number], number>,
  io: PinIo['io'] = 'read',
  expectedBytes = PAGE,
): PinIo {
  return { io, ret: v.read_ret, errno: v.read_errno, expectedBytes, startNs: v.read_start_ns, endNs: v.read_end_ns };
}

/** An error reason when page index lies outside a pages-page file, else null. */
export function indexProblem(index: number, pages: number): string | null {
  return index >= pages ? `index outside the file: page ${index} of a ${pages}-page file` : null;
}

/** How a call that must not return while the pin is held behaved (the timing oracle plus the proof of blocking). */
export type WaitOutcome =
  /** It returned while the pin was still held: the kernel did not wait (fail). */
  | { kind: 'early'; afterPinMs: number; reason: string }
  /** It started only once the pin was released: there was nothing left to wait for. */
  | { kind: 'after'; afterPinMs: number; reason: string }
  /** It returned after the pin was released but was never seen waiting for it (error: inconclusive). */
  | { kind: 'unproven'; afterPinMs: number; reason: string }
  /** It returned after the pin was released and was seen asleep in the layout-break wait. */
  | { kind: 'waited'; afterPinMs: number; waitSeenMs: number; wait: string; reason: string };

/** A call that must wait for the pin: its name, start and end (ns from program start), and its wait samples. */
export interface WaitingCall {
  call: string;
  startNs: number;
  endNs: number;
  evidence: WaitEvidence | null;
}

/**
 * The one timing oracle every pin workload applies to a call that must wait for the pin: early
 * returns fail; a late return counts only with proof that the call waited (asleep in the
 * layout-break wait, or spinning where the kernel spins: waitProof in src/workloads/wait-evidence.ts),
 * since a call that is merely slow also returns late.
 */
export function judgeWait(c: WaitingCall, pin: PinIo, pinMs: number): WaitOutcome {
  const afterPin = afterPinMs(c.endNs, pin, pinMs);
  if (afterPin < -TOLERANCE_MS) {
    return { kind: 'early', afterPinMs: afterPin, reason: `${c.call} returned ${-afterPin} ms before the pinned ${pin.io} completed` };
  }
  const releaseNs = pinCompletionNs(pin, pinMs);
  if (c.startNs >= releaseNs - TOLERANCE_MS * 1e6) {
    return { kind: 'after', afterPinMs: afterPin, reason: `${c.call} started after the pinned ${pin.io} had completed` };
  }
  const proof = waitProof(c.call, c.evidence, c.startNs, releaseNs);
  if ('reason' in proof || !c.evidence) return { kind: 'unproven', afterPinMs: afterPin, reason: 'reason' in proof ? proof.reason : '' };
  const waitSeenMs = nsToMs(proof.seenNs) + c.evidence.intervalMs;
  const when = afterPin >= 0
    ? `returned ${afterPin} ms after the ${pin.io} completed`
    : `returned ${-afterPin} ms before the ${pin.io} was seen to complete, within the ${TOLERANCE_MS} ms tolerance`;
  const wait = describeWait(c.evidence);
  return { kind: 'waited', afterPinMs: afterPin, waitSeenMs, wait, reason: `${c.call} waited for the pin (${when}; seen ${proof.how} for ~${waitSeenMs} ms${proof.because ? `: ${proof.because}` : ''})` };
}

/**
 * The timing and detail fields a wait outcome adds to a verdict. Every pin workload records the same
 * two timings, so reports and margins read them alike: returnAfterPinMs, when the waiting call
 * returned relative to the pinned I/O's completion (negative: while the pin was held; the oracle
 * fails below -TOLERANCE_MS), and waitSeenMs, how long it was seen asleep in the layout-break wait.
 */
export function waitFacts(w: WaitOutcome): { timings: Record<string, number>; details: Record<string, string> } {
  if (w.kind !== 'waited') return { timings: { returnAfterPinMs: w.afterPinMs }, details: {} };
  return { timings: { returnAfterPinMs: w.afterPinMs, waitSeenMs: w.waitSeenMs }, details: { wait: w.wait } };
}
