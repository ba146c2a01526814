import { describe, expect, it } from 'vitest';
import { pinSignal } from '../../../src/workloads/pin-signal.js';
import { ENV, output, testCase } from './fixtures.js';

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
    expect(() => pinSignal.command(testCase('pin-signal', { mode: 'kill' }), ENV)).toThrow(/eintr, restart/);
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
    expect(v.reason).toBe('ftruncate was interrupted: EINTR 1.5 ms after the signal, 300.5 ms before the read ' +
      'completed, size unchanged');
  });

  it('passes a completion after the pin (an uninterruptible wait), noting that EINTR was expected', () => {
    const v = pinSignal.judge(eintr, output(line(514)), ENV);
    expect(v.status).toBe('pass');
    expect(v.reason).toContain('was not interrupted and completed 2 ms after the read, size 0');
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
    expect(v.reason).toBe('ftruncate was restarted after SIGALRM and completed 1.2 ms after the read, size 0');
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
