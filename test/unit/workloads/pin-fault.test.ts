import { describe, expect, it } from 'vitest';
import { pinFault } from '../../../src/workloads/pin-fault.js';
import { ENV, output, pinraceLine, testCase } from './fixtures.js';

const MS = 1e6;
const tc = testCase('pin-fault', { pin: 'pread', race: 'punch', index: 5, pages: 16, 'fault-page': 0 });
// The read pins from 12.3 ms to 514.7 ms (fixtures; the device completes it at 512.3 ms); the racer starts at 112.5 ms.
const line = (fault: { seen?: boolean; startMs?: number; endMs?: number; minflt?: number } = {}) =>
  pinraceLine({
    race: 'punch',
    over: {
      fault_page: 0,
      fault_seen_wait: fault.seen ?? true,
      fault_start_ns: Math.round((fault.startMs ?? 130) * MS),
      fault_end_ns: Math.round((fault.endMs ?? 131.5) * MS),
      fault_minflt: fault.minflt ?? 1,
    },
  });

describe('pin-fault', () => {
  it('runs pinrace with --fault-page, on the races that keep the size', () => {
    expect(pinFault.command(tc, ENV).slice(-2)).toEqual(['--fault-page', '0']);
    expect(pinFault.params.race!.values).toEqual(['punch', 'zero']);
    expect(pinFault.inDefaultPlan).toBe(false);
  });

  it('passes when the fault during the wait completed while the pin was held', () => {
    const v = pinFault.judge(tc, output(line()), ENV);
    expect(v.status, v.reason).toBe('pass');
    expect(v.reason).toMatch(/^fallocate\(PUNCH_HOLE\) waited for the pin .*; a page fault on page 0 during the wait took 1.5 ms, 380.8 ms before the pin was released/);
    expect(v.timings).toMatchObject({ faultMs: 1.5, faultReturnAfterPinMs: -380.8 });
  });

  it('fails when the fault returned only after the pin was released (the waiter kept the fault lock)', () => {
    const v = pinFault.judge(tc, output(line({ endMs: 516 })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^a page fault on page 0 during the layout-break wait took 386 ms and returned 3.7 ms after the pinned read completed: the waiter kept the fault lock/);
  });

  it('fails a fault that returned within the tolerance before the pin was released', () => {
    const v = pinFault.judge(tc, output(line({ endMs: 500 })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/returned only 12.3 ms before the pinned read completed \(within 50 ms\)/);
  });

  it('cannot decide when the racer was never seen waiting, the read came too late or took no fault', () => {
    for (const [f, why] of [
      [{ seen: false }, /never saw the racer asleep in the layout-break wait/],
      [{ startMs: 480, endMs: 481 }, /started only 32.3 ms before the pinned read completed/],
      [{ minflt: 0 }, /took no page fault/],
    ] as const) {
      const v = pinFault.judge(tc, output(line(f)), ENV);
      expect(v.status).toBe('error');
      expect(v.inconclusive).toBe(true);
      expect(v.reason).toMatch(why);
    }
  });

  it("keeps the racing call's own failure", () => {
    const v = pinFault.judge(tc, output(pinraceLine({ race: 'punch', raceAfterReadMs: -390 })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/returned 387.6 ms before the pinned read completed/);
  });
});
