import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expiredShardDirs, pruneShardDirs, shardDirName } from '../../../src/lab/shard-dirs.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 4, 12);

describe('expiredShardDirs', () => {
  it('picks the shard directories that started more than keepDays ago, and nothing else', () => {
    const old = shardDirName('run1:shard-2', 1, 4242, NOW - 15 * DAY);
    const fresh = shardDirName('run1:shard-3', 2, 4242, NOW - 13 * DAY);
    const justOver = shardDirName('r.with.dots', 3, 7, NOW - 14 * DAY - 1);
    const names = [old, fresh, justOver, 'notes.txt', 'kernels', 'x.1.2.3', 'run1.1.2.bak'];
    expect(expiredShardDirs(names, NOW, 14)).toEqual([old, justOver]);
  });
});

describe('pruneShardDirs', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('removes old shard directories with their logs and keeps new ones and foreign files', () => {
    const work = mkdtempSync(join(tmpdir(), 'daxlab-shard-dirs-'));
    dirs.push(work);
    const old = shardDirName('run1:1', 1, 10, NOW - 30 * DAY);
    const fresh = shardDirName('run1:2', 1, 10, NOW - DAY);
    for (const d of [old, fresh]) {
      mkdirSync(join(work, d, 'logs'), { recursive: true });
      writeFileSync(join(work, d, 'logs', 'serial.log'), 'boot\n');
    }
    writeFileSync(join(work, 'README'), 'mine\n');
    expect(pruneShardDirs(work, 14, NOW)).toEqual([old]);
    expect(readdirSync(work).sort()).toEqual([fresh, 'README'].sort());
  });

  it('does nothing when the work dir does not exist yet', () => {
    expect(pruneShardDirs(join(tmpdir(), 'daxlab-no-such-dir-here'), 14, NOW)).toEqual([]);
  });
});
