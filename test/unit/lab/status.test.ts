import { describe, expect, it } from 'vitest';
import { formatStatus, runEnded, type LabStatus, type ShardState } from '../../../src/lab/status.js';
import { labRun } from './fixtures.js';
import { zeroCounts } from '../../../src/results/types.js';

const run = labRun(['a', 'b', 'c', 'd', 'e', 'f']);

const shard = (id: string, target: string, state: ShardState['state'], failedReason?: string): ShardState => ({
  id, kernel: 'stock', target, state, ...(failedReason !== undefined ? { failedReason } : {}),
});

function status(shards: ShardState[], workers: Record<string, number>, done = 0, counts = zeroCounts()): LabStatus {
  return { run, done, counts, shards, workers };
}

describe('runEnded', () => {
  it('is true only when every shard completed or failed', () => {
    expect(runEnded({ shards: [shard('1', 'x', 'completed'), shard('2', 'x', 'failed')] })).toBe(true);
    for (const s of ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'unknown'] as const) {
      expect(runEnded({ shards: [shard('1', 'x', 'completed'), shard('2', 'x', s)] })).toBe(false);
    }
  });

  it('a run with no shards has ended', () => {
    expect(runEnded({ shards: [] })).toBe(true);
  });
});

describe('formatStatus', () => {
  it('prints the run, the cases done with their counts, and shards by state', () => {
    const counts = { ...zeroCounts(), pass: 3, fail: 1 };
    const lines = formatStatus(status([shard('s1', 'x', 'completed'), shard('s2', 'x', 'active'), shard('s3', 'x', 'completed')], { x: 2 }, 4, counts));
    expect(lines).toEqual([
      'run smoke-0123456789ab: plan plans/smoke.yaml, submitted 2025-03-04T05:00:00.000Z',
      'cases: 4 of 6 done (3 pass, 1 fail)',
      'shards: 2 completed, 1 active',
      'target x: 2 worker(s)',
    ]);
  });

  it('prints no counts when nothing is done, and "(run ended)" when every shard ended', () => {
    const lines = formatStatus(status([shard('s1', 'x', 'completed')], { x: 1 }));
    expect(lines[1]).toBe('cases: 0 of 6 done');
    expect(lines[2]).toBe('shards: 1 completed (run ended)');
  });

  it('names a target no worker serves, with how many shards wait for it', () => {
    const shards = [
      shard('s1', 'arm', 'waiting'),
      shard('s2', 'arm', 'delayed'),
      shard('s3', 'arm', 'prioritized'),
      shard('s4', 'arm', 'active'),
      shard('s5', 'x', 'waiting'),
      shard('s6', 'idle', 'completed'),
    ];
    const lines = formatStatus(status(shards, { arm: 0, x: 1, idle: 0 }));
    expect(lines).toContain('target arm: no worker serves it, 3 shard(s) waiting for it');
    expect(lines).toContain('target x: 1 worker(s)');
    expect(lines).toContain('target idle: no worker serves it');
    expect(lines.some((l) => l.startsWith('target idle:') && l.includes('waiting'))).toBe(false);
    expect(lines[2]).not.toContain('run ended');
  });

  it('lists failed shards with their cell and the first line of their reason', () => {
    const shards = [
      shard('s1', 'x', 'failed', 'guest died\nstack\nmore'),
      shard('s2', 'x', 'completed'),
      { ...shard('s3', 'y', 'failed'), kernel: 'patched' },
    ];
    const lines = formatStatus(status(shards, { x: 1, y: 1 }));
    expect(lines.filter((l) => l.startsWith('failed shard'))).toEqual([
      'failed shard s1 (stock@x): guest died',
      'failed shard s3 (patched@y): ?',
    ]);
    expect(lines[2]).toBe('shards: 2 failed, 1 completed (run ended)');
  });
});
