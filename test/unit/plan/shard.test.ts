import { describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { expandPlan } from '../../../src/plan/expand.js';
import { parseShard, shard, shardMatrix } from '../../../src/plan/shard.js';
import { parseLines } from './fixtures.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('shard', () => {
  it('splits into contiguous chunks, earlier shards taking the remainder', () => {
    const items = range(10);
    expect([1, 2, 3].map((i) => shard(items, i, 3))).toEqual([[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  it('covers every case exactly once, for many sizes', () => {
    for (let n = 0; n <= 23; n++) {
      for (let total = 1; total <= 7; total++) {
        const parts = range(total).map((i) => shard(range(n), i + 1, total));
        expect(parts.flat()).toEqual(range(n)); // union is everything, in order, no overlap
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('more shards than cases leaves some shards empty', () => {
    expect(shard([1, 2], 3, 4)).toEqual([]);
  });

  it('keeps filesystem groups together on real cases', () => {
    const cases = expandPlan(parseLines('repeats: 3', 'workloads: [pin-race]').plan!);
    expect(cases).toHaveLength(12);
    expect(shard(cases, 1, 2).every((c) => c.fs === 'ext4')).toBe(true);
    expect(shard(cases, 2, 2).every((c) => c.fs === 'xfs')).toBe(true);
  });

  it('throws USAGE for an out-of-range index or total', () => {
    expect(() => shard([1], 0, 2)).toThrow(/invalid shard index 0: expected 1 to 2/);
    expect(() => shard([1], 3, 2)).toThrow(/invalid shard index 3/);
    expect(() => shard([1], 1, 0)).toThrow(/invalid shard total 0/);
    expect(() => shard([1], 1.5, 2)).toThrow(DaxlabError);
  });
});

describe('parseShard', () => {
  it('parses INDEX/TOTAL', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, total: 1 });
  });

  it.each([
    ['', /expected INDEX\/TOTAL/],
    ['2', /expected INDEX\/TOTAL/],
    ['a/b', /expected INDEX\/TOTAL/],
    ['-1/3', /expected INDEX\/TOTAL/],
    ['1/3/4', /expected INDEX\/TOTAL/],
    ['0/3', /invalid shard index 0/],
    ['4/3', /invalid shard index 4: expected 1 to 3/],
    ['1/0', /invalid shard total 0/],
  ])('rejects %j', (text, message) => {
    let error: unknown;
    try {
      parseShard(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DaxlabError);
    expect((error as DaxlabError).code).toBe('USAGE');
    expect((error as DaxlabError).message).toMatch(message);
  });
});

describe('shardMatrix', () => {
  it('gives each shard its --shard argument, size and first and last case, leaving out empty shards', () => {
    const ids = ['a#1', 'b#1', 'c#1', 'd#1', 'e#1'];
    expect(shardMatrix(ids, 2)).toEqual([
      { shard: '1/2', cases: 3, first: 'a#1', last: 'c#1' },
      { shard: '2/2', cases: 2, first: 'd#1', last: 'e#1' },
    ]);
    expect(shardMatrix(['a#1'], 3).map((m) => m.shard)).toEqual(['1/3']);
    expect(shardMatrix(ids, 5).reduce((n, m) => n + m.cases, 0)).toBe(5);
  });
});
