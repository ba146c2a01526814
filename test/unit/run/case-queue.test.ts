import { describe, expect, it } from 'vitest';
import { again, canStart, INCONCLUSIVE_RERUNS, markId, rerunOf, type QueuedCase } from '../../../src/run/case-queue.js';
import { result } from '../results/fixtures.js';

const q = (id: string, fs: 'ext4' | 'xfs', exclusive?: 'guest' | 'fs'): QueuedCase => ({
  tc: { id, fs, workload: 'w', params: {}, repeat: 1, timeoutSec: 1 },
  exclusive,
  attempt: 1,
});

describe('canStart', () => {
  it('lets independent cases of both filesystems run together when each has its own device', () => {
    expect(canStart(q('a', 'ext4'), [q('b', 'xfs'), q('c', 'ext4')], true)).toBe(true);
  });

  it('makes the filesystems take turns on a single device', () => {
    expect(canStart(q('a', 'ext4'), [q('b', 'xfs')], false)).toBe(false);
    expect(canStart(q('a', 'ext4'), [q('b', 'ext4')], false)).toBe(true);
  });

  it('runs a guest-exclusive case alone, and nothing beside it', () => {
    expect(canStart(q('a', 'ext4', 'guest'), [q('b', 'xfs')], true)).toBe(false);
    expect(canStart(q('a', 'ext4'), [q('b', 'xfs', 'guest')], true)).toBe(false);
    expect(canStart(q('a', 'ext4', 'guest'), [], true)).toBe(true);
  });

  it('keeps other cases off the filesystem of an fs-exclusive case, but not off the others', () => {
    expect(canStart(q('a', 'ext4', 'fs'), [q('b', 'ext4')], true)).toBe(false);
    expect(canStart(q('a', 'ext4'), [q('b', 'ext4', 'fs')], true)).toBe(false);
    expect(canStart(q('a', 'xfs'), [q('b', 'ext4', 'fs')], true)).toBe(true);
  });
});

describe('again and markId', () => {
  it('queues a case again to run alone, with the attempt in its kernel-log marker', () => {
    const a = again(q('ext4/x/-#1', 'ext4'));
    expect(a).toMatchObject({ exclusive: 'guest', attempt: 2 });
    expect(markId(a)).toBe('ext4/x/-#1~2');
    expect(markId(q('ext4/x/-#1', 'ext4'))).toBe('ext4/x/-#1');
  });
});

describe('rerunOf', () => {
  const undecided = result({ status: 'error', reason: 'race started too late', inconclusive: true });
  const harness = result({ status: 'error', reason: 'filesystem setup failed', harnessError: true });
  const failed = result({ status: 'fail', reason: 'ftruncate returned 300 ms early' });

  it('runs an inconclusive error again up to INCONCLUSIVE_RERUNS times, and nothing else without --rerun-failures', () => {
    expect(rerunOf(q('a', 'ext4'), undecided, 0)).toBe('inconclusive');
    const spent = { ...q('a', 'ext4'), earlier: Array(INCONCLUSIVE_RERUNS).fill(undecided) };
    expect(rerunOf(spent, undecided, 0)).toBeNull();
    expect(rerunOf(q('a', 'ext4'), harness, 0)).toBeNull();
    expect(rerunOf(q('a', 'ext4'), failed, 0)).toBeNull();
    expect(rerunOf(q('a', 'ext4'), result(), 5)).toBeNull();
  });

  it('counts failures and inconclusive errors apart', () => {
    const mixed = { ...q('a', 'ext4'), earlier: [undecided, undecided] };
    expect(rerunOf(mixed, failed, 1)).toBe('failed');
    expect(rerunOf({ ...q('a', 'ext4'), earlier: [failed] }, failed, 1)).toBeNull();
    expect(rerunOf({ ...q('a', 'ext4'), earlier: [failed] }, undecided, 1)).toBe('inconclusive');
  });
});
