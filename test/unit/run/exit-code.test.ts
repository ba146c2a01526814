import { describe, expect, it } from 'vitest';
import { countStatuses, countUnexpectedSkips, exitCodeFor, runExitCode } from '../../../src/run/exit-code.js';
import { result } from '../results/fixtures.js';
import { Teardown } from '../../../src/run/teardown.js';
import { zeroCounts } from '../../../src/results/types.js';

const counts = (c: Partial<ReturnType<typeof zeroCounts>>) => ({ ...zeroCounts(), ...c });

describe('exitCodeFor', () => {
  it('0 when all passed or skipped, 1 on any failure, 69 on errors only', () => {
    expect(exitCodeFor(countStatuses([{ status: 'pass' }, { status: 'skip' }]))).toBe(0);
    expect(exitCodeFor(countStatuses([{ status: 'pass' }, { status: 'fail' }, { status: 'error' }]))).toBe(1);
    expect(exitCodeFor(countStatuses([{ status: 'pass' }, { status: 'error' }]))).toBe(69);
  });

  it('0 all passed, 1 a failure, an xpass or a kernel-log finding, 69 errors only', () => {
    expect(exitCodeFor(counts({ pass: 3, xfail: 1 }))).toBe(0);
    expect(exitCodeFor(counts({ pass: 3, fail: 1, error: 1 }))).toBe(1);
    expect(exitCodeFor(counts({ pass: 3, xpass: 1 }))).toBe(1);
    expect(exitCodeFor(counts({ pass: 3 }), 1)).toBe(1);
    expect(exitCodeFor(counts({ pass: 3, error: 1 }))).toBe(69);
  });

  it('4 when nothing passed because of skips the plan did not expect; 0 when all were expected', () => {
    expect(exitCodeFor(counts({ skip: 20 }))).toBe(4);
    expect(exitCodeFor(counts({ skip: 20 }), 0, 0)).toBe(0);
    expect(exitCodeFor(counts({ skip: 20, pass: 1 }))).toBe(0);
    expect(exitCodeFor(counts({}))).toBe(0);
  });
});

describe('countUnexpectedSkips', () => {
  it('counts the skips matching no expectedSkips glob', () => {
    const rs = [
      { id: 'ext4/pin-race/race=clone#1', status: 'skip' as const },
      { id: 'xfs/pin-race/race=clone#1', status: 'skip' as const },
      { id: 'xfs/pin-race/race=truncate#1', status: 'pass' as const },
    ];
    expect(countUnexpectedSkips(rs, [])).toBe(2);
    expect(countUnexpectedSkips(rs, ['ext4/*race=clone*'])).toBe(1);
    expect(countUnexpectedSkips(rs, ['*'])).toBe(0);
  });
});

describe('Teardown', () => {
  it('runs steps newest first, once, and keeps going after a failing step', async () => {
    const order: string[] = [];
    const errors: string[] = [];
    const t = new Teardown();
    t.add('dir', () => void order.push('dir'));
    t.add('qemu', () => {
      order.push('qemu');
      throw new Error('boom');
    });
    t.add('ssh', async () => void order.push('ssh'));
    await t.run((name) => errors.push(name));
    await t.run();
    expect(order).toEqual(['ssh', 'qemu', 'dir']);
    expect(errors).toEqual(['qemu']);
  });
});

describe('runExitCode', () => {
  const warn = (t: string) => `[ ${t}] WARNING: CPU: 0 PID: 1 at fs/dax.c:390 dax_disassociate_entry+0x41/0x72`;
  const xfail = { ...result(), id: 'ext4/b#1', status: 'xfail' as const, klogMatches: [warn('9.5')] };
  it('counts a finding a case run alone logged again as explained, any other finding as failing', () => {
    const overlap = { phase: 'overlap' as const, cases: ['ext4/a#1', 'ext4/b#1'], lines: [warn('13.5')], kernel: 'stock' };
    expect(runExitCode([xfail], [overlap])).toBe(0);
    expect(runExitCode([xfail], [{ ...overlap, lines: ['[ 1.0] BUG: KASAN: use-after-free in f+0x1/0x2'] }])).toBe(1);
    expect(runExitCode([xfail], [{ phase: 'between', after: 'ext4/b#1', lines: [warn('13.5')] }])).toBe(1);
  });
});
