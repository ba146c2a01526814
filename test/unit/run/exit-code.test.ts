import { describe, expect, it } from 'vitest';
import { countStatuses, exitCodeFor } from '../../../src/run/exit-code.js';
import { Teardown } from '../../../src/run/teardown.js';

describe('exit codes', () => {
  it('0 when all passed or skipped, 1 on any failure, 69 on errors only', () => {
    expect(exitCodeFor(countStatuses([{ status: 'pass' }, { status: 'skip' }]))).toBe(0);
    expect(exitCodeFor(countStatuses([{ status: 'pass' }, { status: 'fail' }, { status: 'error' }]))).toBe(1);
    expect(exitCodeFor(countStatuses([{ status: 'pass' }, { status: 'error' }]))).toBe(69);
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
