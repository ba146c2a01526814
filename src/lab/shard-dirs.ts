// A worker's shard directories (results and serial logs of each shard it ran) under --work-dir:
// which are older than the retention, and removing them, so a nightly worker's disk does not fill.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// <job id>.<attempt>.<pid>.<start ms>, as runShardJob names them; nothing else in the dir is touched.
const SHARD_DIR = /^.+\.\d+\.\d+\.(\d{10,})$/;

/** The directory name a shard run gets (started at startMs). */
export function shardDirName(jobId: string, attempt: number, pid: number, startMs: number): string {
  return `${jobId}.${attempt}.${pid}.${startMs}`;
}

/** Pure: the shard directories among `names` that started more than keepDays before nowMs. */
export function expiredShardDirs(names: readonly string[], nowMs: number, keepDays: number): string[] {
  const cutoff = nowMs - keepDays * 86_400_000;
  return names.filter((n) => {
    const m = SHARD_DIR.exec(n);
    return m !== null && Number(m[1]) < cutoff;
  });
}

/** Remove the expired shard directories of workDir; returns the names removed. */
export function pruneShardDirs(workDir: string, keepDays: number, nowMs = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(workDir);
  } catch {
    return [];
  }
  const old = expiredShardDirs(names, nowMs, keepDays);
  for (const n of old) rmSync(join(workDir, n), { recursive: true, force: true });
  return old;
}
