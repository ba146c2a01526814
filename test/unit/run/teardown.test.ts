import { describe, expect, it } from 'vitest';
import { Teardown } from '../../../src/run/teardown.js';

describe('Teardown', () => {
  it('runs steps newest first, keeps going after a failing step and reports it', async () => {
    const t = new Teardown();
    const order: string[] = [];
    t.add('a', () => void order.push('a'));
    t.add('b', () => {
      throw new Error('boom');
    });
    t.add('c', async () => void order.push('c'));
    const errors: string[] = [];
    await t.run((name, err) => errors.push(`${name}: ${(err as Error).message}`));
    expect(order).toEqual(['c', 'a']);
    expect(errors).toEqual(['b: boom']);
  });

  it('a second run waits for the first instead of returning early', async () => {
    const t = new Teardown();
    let done = false;
    t.add('slow', () => new Promise<void>((r) => setTimeout(() => ((done = true), r()), 50)));
    const first = t.run();
    await t.run();
    expect(done).toBe(true);
    await first;
  });

  it('a step added after teardown started runs right after (something set up during an abort)', async () => {
    const t = new Teardown();
    const order: string[] = [];
    t.add('dir', () => void order.push('dir'));
    const running = t.run();
    t.add('qemu', () => void order.push('qemu'));
    await running;
    await t.run();
    expect(order).toEqual(['dir', 'qemu']);
  });
});
