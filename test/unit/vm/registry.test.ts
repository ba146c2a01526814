import { describe, expect, it } from 'vitest';
import { killAll, liveChildren, track } from '../../../src/vm/registry.js';

describe('registry', () => {
  it('stops tracked children newest first and forgets them', async () => {
    const order: string[] = [];
    track({ pid: 999_991, name: 'a', stop: async () => void order.push('a') });
    const untrack = track({ pid: 999_992, name: 'b', stop: async () => void order.push('b') });
    track({ pid: 999_993, name: 'c', stop: async () => void order.push('c') });
    untrack();
    expect(liveChildren().map((c) => c.name)).toEqual(['a', 'c']);
    await killAll();
    expect(order).toEqual(['c', 'a']);
    expect(liveChildren()).toEqual([]);
  });

  it('refuses pids that would signal a group or everything', () => {
    expect(() => track({ pid: -1, name: 'x', stop: async () => undefined })).toThrow(/refusing/);
    expect(() => track({ pid: 0, name: 'x', stop: async () => undefined })).toThrow(/refusing/);
  });
});
