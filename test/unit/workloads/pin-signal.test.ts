import { describe, expect, it } from 'vitest';
import { pinSignal } from '../../../src/workloads/pin-signal.js';
import { ENV, output, testCase, waitSamples } from './fixtures.js';

const MS = 1_000_000;
const ns = (ms: number) => Math.round(ms * MS);
const eintr = testCase('pin-signal', { mode: 'eintr' });
const restart = testCase('pin-signal', { mode: 'restart' }, undefined, 'xfs');

/**
 * A pinsignal line, times in ms: read 10 -> 512; truncate starts at 110, the
 * signal goes at 210 and is handled at 211; the truncate ends at truncEnd.
 */
function line(truncEnd: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mode: 'eintr', index: 5, pages: 16, lead_ms: 100, signal_ms: 100,
    read_start_ns: ns(10), read_end_ns: ns(512), read_ret: 4096, read_errno: 0,
    trunc_start_ns: ns(110), trunc_end_ns: ns(truncEnd), trunc_ret: 0, trunc_errno: 0,
    signal_ns: ns(210), handled_ns: ns(211),
    size_before: 65536, size_at_return: 0, size_after: 0, dax: true,
    trunc_wait: waitSamples(ns(110), ns(truncEnd)),
    ...over,
  };
}
const interrupted = (over: Record<string, unknown> = {}) =>
  line(211.5, { trunc_ret: -1, trunc_errno: 4, size_at_return: 65536, size_after: 65536, ...over });

describe('pin-signal command()', () => {
  it('builds the exact pinsignal argv, the signal as far after the truncate as the truncate after the read', () => {
    expect(pinSignal.command(eintr, ENV)).toEqual([
      '/var/cache/daxlab/bin/0123456789abcdef/pinsignal',
      '--file', '/mnt/dax/pinsignal-ext4_pin-signal_mode_eintr_0',
      '--mode', 'eintr', '--dev', '/dev/nullb0', '--lead-ms', '100', '--signal-ms', '100',
    ]);
    expect(pinSignal.command(restart, { ...ENV, pinMs: 200 }).slice(3)).toEqual(
      ['--mode', 'restart', '--dev', '/dev/nullb0', '--lead-ms', '40', '--signal-ms', '40']);
    expect(() => pinSignal.command(testCase('pin-signal', { mode: 'stop' }), ENV)).toThrow(/eintr, restart, kill/);
  });

  it('writes down what the kernel does', () => {
    expect(pinSignal.description).toContain('TASK_INTERRUPTIBLE');
    expect(pinSignal.description).toContain('-ERESTARTSYS');
  });
});

describe('pin-signal judge(): eintr', () => {
  it('passes an EINTR with the size unchanged', () => {
    const v = pinSignal.judge(eintr, output(interrupted()), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('ftruncate was interrupted in the layout-break wait: EINTR 1.5 ms after the signal, 300.5 ms before the read ' +
      'completed, size unchanged');
    // Returning early is what EINTR means: it is not a margin of the early-return oracle.
    expect(v.timings.returnAfterPinMs).toBeUndefined();
    expect(v.timings.eintrAfterPinMs).toBe(-298.5);
  });

  it('is an error when the interrupted ftruncate was not seen waiting in the layout break', () => {
    const v = pinSignal.judge(eintr, output(interrupted({ trunc_wait: waitSamples(ns(110), ns(211.5), 'do_nanosleep') })), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toMatch(/^ftruncate returned EINTR but was not seen waiting in the layout-break wait before the signal \(0 samples there, need 3; seen: S do_nanosleep x48, R 0 x2\)/);
  });

  it('fails a completion after the pin: the wait ignored the signal', () => {
    const v = pinSignal.judge(eintr, output(line(514)), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('ftruncate was not interrupted by SIGALRM: it completed 2 ms after the read, so the ' +
      'layout-break wait ignored the signal (it must sleep TASK_INTERRUPTIBLE and return EINTR)');
  });

  it('is an error when the signal was handled before ftruncate was called', () => {
    const v = pinSignal.judge(eintr, output(line(514, { handled_ns: ns(105) })), ENV);
    expect(v.status).toBe('error');
    expect(v.reason).toMatch(/^SIGALRM was handled before ftruncate was called/);
  });

  it('fails an EINTR that changed the size', () => {
    const v = pinSignal.judge(eintr, output(interrupted({ size_at_return: 0 })), ENV);
    expect(v).toMatchObject({
      status: 'fail', reason: 'ftruncate returned EINTR but the size changed: 0 at return, 65536 after the read, was 65536',
    });
  });

  it('fails a success before the read completed, even when the signal never arrived', () => {
    const v = pinSignal.judge(eintr, output(line(111, { handled_ns: -1 })), ENV);
    expect(v).toMatchObject({
      status: 'fail',
      reason: 'ftruncate returned with success 399 ms before the pinned read completed (size 0 while page 5 was pinned)',
    });
  });

  it('fails another errno, and a success that left the size', () => {
    expect(pinSignal.judge(eintr, output(line(300, { trunc_ret: -1, trunc_errno: 5 })), ENV).reason)
      .toBe('ftruncate failed with EIO (5)');
    expect(pinSignal.judge(eintr, output(line(514, { size_after: 65536, size_at_return: 65536 })), ENV).status)
      .toBe('fail');
  });
});

describe('pin-signal judge(): restart', () => {
  it('passes a restarted truncate that completed after the pin with size 0', () => {
    const v = pinSignal.judge(restart, output(line(513.2, { mode: 'restart' })), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('ftruncate was restarted after SIGALRM and completed 1.2 ms after the read, size 0 (seen asleep in the layout-break wait for ~401.2 ms)');
    expect(v.timings).toMatchObject({ truncAfterSignalMs: 303.2, signalAfterTruncStartMs: 100 });
  });

  it('fails an EINTR despite SA_RESTART', () => {
    expect(pinSignal.judge(restart, output(interrupted({ mode: 'restart' })), ENV)).toMatchObject({
      status: 'fail', reason: 'ftruncate returned EINTR although the handler was installed with SA_RESTART',
    });
  });

  it('fails an early success', () => {
    expect(pinSignal.judge(restart, output(line(130, { mode: 'restart' })), ENV).status).toBe('fail');
  });
});

describe('pin-signal judge(): error', () => {
  it('errors when the pin was not held or the truncate started too late', () => {
    expect(pinSignal.judge(eintr, output(line(514, { read_end_ns: ns(100), trunc_start_ns: ns(20) })), ENV).reason)
      .toBe('delay device did not hold the pin: read took 90 ms, expected ~500 ms');
    expect(pinSignal.judge(eintr, output(line(514, { trunc_start_ns: ns(500) })), ENV).reason)
      .toMatch(/^race started too late: ftruncate started 12 ms before the read completed/);
  });

  it('errors when the signal came too late or was not handled', () => {
    expect(pinSignal.judge(eintr, output(line(514, { signal_ns: ns(490) })), ENV).reason)
      .toBe('signal sent too late: 22 ms before the read completed, need more than 50 ms');
    expect(pinSignal.judge(eintr, output(line(514, { handled_ns: -1 })), ENV).reason)
      .toBe('SIGALRM was not handled by the truncating thread');
  });

  it('errors on missing fields and setup failures', () => {
    const l = line(514);
    delete l.handled_ns;
    expect(pinSignal.judge(eintr, output(l), ENV).reason).toBe('pinsignal result lacks handled_ns');
    expect(pinSignal.judge(eintr, output({ error: 'sigaction failed', errno: 22 }, { exitCode: 3 }), ENV).reason)
      .toBe('pinsignal: sigaction failed: EINVAL (22)');
  });
});

const kill = testCase('pin-signal', { mode: 'kill' });

/**
 * A pinsignal --mode kill line, times in ms: read 10 -> 512; the child's ftruncate starts at 110,
 * SIGKILL at 210, reaped at reaped; the next ftruncate runs from reaped+1 to nextEnd.
 */
function killLine(reaped: number, nextEnd: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mode: 'kill', index: 5, pages: 16, lead_ms: 100, signal_ms: 100,
    read_start_ns: ns(10), read_end_ns: ns(512), read_ret: 4096, read_errno: 0,
    trunc_start_ns: ns(110), kill_ns: ns(210), reaped_ns: ns(reaped), child_killed: true, child_exit: -1,
    size_before: 65536, size_after_kill: 65536,
    next_start_ns: ns(reaped + 1), next_end_ns: ns(nextEnd), next_ret: 0, next_errno: 0, size_after: 0, dax: true,
    trunc_wait: waitSamples(ns(110), ns(reaped)),
    next_wait: waitSamples(ns(reaped + 1), ns(nextEnd)),
    ...over,
  };
}

describe('pin-signal judge(): a wait nothing woke', () => {
  it('restart: fails when the restarted ftruncate had to be interrupted by the watchdog', () => {
    const v = pinSignal.judge(restart, output(line(2515, { mode: 'restart', trunc_ret: -1, trunc_errno: 4, size_at_return: 65536, size_after: 65536, watchdog_ms: 2002 })), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^the restarted ftruncate never returned after the pinned read completed: still waiting 2002 ms later/);
    expect(v.details).toMatchObject({ watchdogMs: 2002 });
  });

  it('kill: fails when the next ftruncate after the kill had to be interrupted', () => {
    const v = pinSignal.judge(kill, output(killLine(211, 2515, { next_ret: -1, next_errno: 4, size_after: 65536, watchdog_ms: 2000 })), ENV);
    expect(v.reason).toMatch(/^the next ftruncate after the kill never returned after the pinned read completed: still waiting 2000 ms later/);
    expect(pinSignal.judge(kill, output(killLine(211, 513, { watchdog_ms: -1 })), ENV).status).toBe('pass');
  });
});

describe('pin-signal judge(): kill', () => {
  it('passes when SIGKILL ends the wait at once and the next ftruncate waits and succeeds', () => {
    const v = pinSignal.judge(kill, output(killLine(211, 513)), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('SIGKILL ended the waiting ftruncate 1 ms after the kill (299 ms before the read completed), ' +
      'size unchanged; the next ftruncate waited for the pin (returned 3 ms after the read completed; seen asleep in the ' +
      'layout-break wait for ~299 ms) and succeeded');
    expect(v.timings).toMatchObject({ reapAfterKillMs: 1, nextAfterReadMs: 1 });
  });

  it('fails when the killed ftruncate only ended with the pin (an unkillable wait)', () => {
    const v = pinSignal.judge(kill, output(killLine(511, 513)), ENV);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/^SIGKILL did not end the wait: the killed ftruncate ended 1 ms after the pinned read completed/);
  });

  it('fails a size change by the killed call, a failing or early next ftruncate, and a child that finished early', () => {
    expect(pinSignal.judge(kill, output(killLine(211, 513, { size_after_kill: 0 })), ENV).reason)
      .toBe('the killed ftruncate changed the size to 0 (was 65536)');
    expect(pinSignal.judge(kill, output(killLine(211, 513, { next_ret: -1, next_errno: 5 })), ENV).reason)
      .toBe('the next ftruncate after the kill failed with EIO (5)');
    expect(pinSignal.judge(kill, output(killLine(211, 215)), ENV).reason)
      .toBe('the next ftruncate after the kill returned 295 ms before the pinned read completed (page 5 was still pinned)');
    expect(pinSignal.judge(kill, output(killLine(211, 513, { child_killed: false, child_exit: 0 })), ENV).reason)
      .toBe("the child's ftruncate completed before SIGKILL, while page 5 was pinned");
  });

  it('is an error when the killed child or the next ftruncate was not seen waiting in the layout break', () => {
    const child = pinSignal.judge(kill, output(killLine(211, 513, { trunc_wait: waitSamples(ns(110), ns(211), 'pipe_read') })), ENV);
    expect(child.status).toBe('error');
    expect(child.reason).toMatch(/^the killed ftruncate was not seen waiting in the layout-break wait before SIGKILL/);
    const next = pinSignal.judge(kill, output(killLine(211, 513, { next_wait: waitSamples(ns(212), ns(513), 'do_nanosleep') })), ENV);
    expect(next.status).toBe('error');
    expect(next.reason).toMatch(/^the next ftruncate returned after the pin was released but was not seen waiting for it/);
  });

  it('is an error when the kill came too late or the child failed on its own', () => {
    expect(pinSignal.judge(kill, output(killLine(500, 513, { kill_ns: ns(490) })), ENV).status).toBe('error');
    expect(pinSignal.judge(kill, output(killLine(211, 513, { child_killed: false, child_exit: 3 })), ENV).reason)
      .toMatch(/^the truncating child exited with 3 before SIGKILL/);
  });
});
