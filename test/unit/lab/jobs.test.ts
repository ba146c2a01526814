import { describe, expect, it } from 'vitest';
import { cellQueueName, labRunId, shardJobs } from '../../../src/lab/jobs.js';
import { fullCaseName } from '../../../src/plan/select.js';
import type { TestCase } from '../../../src/plan/types.js';

function tc(id: string, kernel: string, target: string): TestCase {
  return { id, fs: 'ext4', workload: 'w', params: {}, repeat: 1, timeoutSec: 60, kernel, target };
}

describe('labRunId', () => {
  const base = labRunId('Smoke', 'name: smoke\n', 'plans/smoke.yaml', '');

  it('is "<slug>-<12 hex>" and stable for the same inputs', () => {
    expect(base).toMatch(/^smoke-[0-9a-f]{12}$/);
    expect(labRunId('Smoke', 'name: smoke\n', 'plans/smoke.yaml', '')).toBe(base);
  });

  it('changes with the tag, the plan text and the plan path', () => {
    const ids = [
      base,
      labRunId('Smoke', 'name: smoke\n', 'plans/smoke.yaml', 'again'),
      labRunId('Smoke', 'name: smoke\nrepeats: 2\n', 'plans/smoke.yaml', ''),
      labRunId('Smoke', 'name: smoke\n', 'plans/other.yaml', ''),
    ];
    expect(new Set(ids).size).toBe(4);
  });

  it('does not mix the fields up (path and tag are separated)', () => {
    expect(labRunId('p', 't', 'ab', 'c')).not.toBe(labRunId('p', 't', 'a', 'bc'));
  });

  it('slugs the plan name: lower case, runs of other characters to one dash, no dash at the ends', () => {
    expect(labRunId('  DAX / Pin Race (6.12)!! ', 'x', 'y', '')).toMatch(/^dax-pin-race-6-12-[0-9a-f]{12}$/);
    expect(labRunId('a__b', 'x', 'y', '')).toMatch(/^a-b-[0-9a-f]{12}$/);
  });

  it('falls back to "plan" when the name has nothing to slug', () => {
    expect(labRunId('***', 'x', 'y', '')).toMatch(/^plan-[0-9a-f]{12}$/);
    expect(labRunId('', 'x', 'y', '')).toMatch(/^plan-[0-9a-f]{12}$/);
  });

  it('the name is only the prefix: the hash does not depend on it', () => {
    const a = labRunId('one', 'x', 'y', 't');
    const b = labRunId('two', 'x', 'y', 't');
    expect(a.slice(-12)).toBe(b.slice(-12));
  });
});

describe('cellQueueName', () => {
  it('names a queue per target', () => {
    expect(cellQueueName('local')).toBe('daxlab-cells-local');
    expect(cellQueueName('arm64-box')).toBe('daxlab-cells-arm64-box');
    expect(cellQueueName('a')).not.toBe(cellQueueName('b'));
  });
});

describe('shardJobs', () => {
  // Plan order interleaves cells: k1@x, k2@x, k1@y, k1@x, ...
  const cases = [
    tc('ext4/a/-#1', 'k1', 'x'),
    tc('ext4/a/-#1', 'k2', 'x'),
    tc('ext4/a/-#1', 'k1', 'y'),
    tc('ext4/b/-#1', 'k1', 'x'),
    tc('ext4/c/-#1', 'k1', 'x'),
    tc('ext4/b/-#1', 'k2', 'x'),
    tc('ext4/d/-#1', 'k1', 'x'),
    tc('ext4/e/-#1', 'k1', 'x'),
  ];
  const runId = 'smoke-0123456789ab';

  it('groups by kernel@target cell, in order of first appearance, chunks of at most perShard in plan order', () => {
    const jobs = shardJobs(runId, cases, 2);
    expect(jobs.map((j) => [j.kernel, j.target, j.cases])).toEqual([
      ['k1', 'x', ['k1@x:ext4/a/-#1', 'k1@x:ext4/b/-#1']],
      ['k1', 'x', ['k1@x:ext4/c/-#1', 'k1@x:ext4/d/-#1']],
      ['k1', 'x', ['k1@x:ext4/e/-#1']],
      ['k2', 'x', ['k2@x:ext4/a/-#1', 'k2@x:ext4/b/-#1']],
      ['k1', 'y', ['k1@y:ext4/a/-#1']],
    ]);
    for (const j of jobs) expect(j.runId).toBe(runId);
  });

  it('covers every case exactly once, each shard within one cell and at most perShard long', () => {
    for (const per of [1, 2, 3, 5, 100]) {
      const jobs = shardJobs(runId, cases, per);
      const names = jobs.flatMap((j) => j.cases);
      expect(names.slice().sort()).toEqual(cases.map((c) => fullCaseName(c)).sort());
      for (const j of jobs) {
        expect(j.cases.length).toBeGreaterThan(0);
        expect(j.cases.length).toBeLessThanOrEqual(per);
        for (const n of j.cases) expect(n.startsWith(`${j.kernel}@${j.target}:`)).toBe(true);
      }
    }
    expect(shardJobs(runId, cases, 100)).toHaveLength(3);
    expect(shardJobs(runId, cases, 1)).toHaveLength(cases.length);
  });

  it('gives no shards for no cases', () => {
    expect(shardJobs(runId, [], 4)).toEqual([]);
  });

  it('ids start with the run id, contain no ":" and are unique', () => {
    const jobs = shardJobs(runId, cases, 1);
    for (const j of jobs) {
      expect(j.id.startsWith(`${runId}-`)).toBe(true);
      expect(j.id).not.toContain(':');
      expect(j.id).toMatch(/^smoke-0123456789ab-[0-9a-f]{16}$/);
    }
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
  });

  it('ids derive from content: the same cases give the same id, other cases another', () => {
    const a = shardJobs(runId, cases, 2);
    const b = shardJobs(runId, cases.map((c) => ({ ...c })), 2);
    expect(b.map((j) => j.id)).toEqual(a.map((j) => j.id));
    // A shard with the same cases keeps its id when other cells change around it.
    const onlyK2 = shardJobs(runId, cases.filter((c) => c.kernel === 'k2'), 2);
    expect(onlyK2).toHaveLength(1);
    expect(onlyK2[0]!.id).toBe(a[3]!.id);
    // Dropping one case changes the id of its shard only.
    const fewer = shardJobs(runId, cases.filter((c) => !(c.kernel === 'k2' && c.id === 'ext4/b/-#1')), 2);
    expect(fewer.find((j) => j.kernel === 'k2')!.id).not.toBe(a[3]!.id);
    expect(fewer.find((j) => j.kernel === 'k1' && j.target === 'y')!.id).toBe(a[4]!.id);
  });

  it('the same case names under another run id give other ids', () => {
    const a = shardJobs(runId, cases, 2);
    const b = shardJobs('other-0123456789ab', cases, 2);
    expect(b.map((j) => j.id.slice(-16))).toEqual(a.map((j) => j.id.slice(-16)));
    for (const [i, j] of b.entries()) expect(j.id).not.toBe(a[i]!.id);
  });

  it('a different repeat of the same case is a different shard id', () => {
    const one = shardJobs(runId, [tc('ext4/a/-#1', 'k', 't')], 4);
    const two = shardJobs(runId, [tc('ext4/a/-#2', 'k', 't')], 4);
    expect(one[0]!.id).not.toBe(two[0]!.id);
  });
});
