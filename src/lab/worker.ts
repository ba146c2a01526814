// `daxlab lab worker`: take shard jobs of the targets this host serves, up to its slots, until
// stopped. A job whose worker dies (SIGKILL, power) is stalled: BullMQ hands it to another worker
// after the lock expires, and that worker runs only the cases with no stored result.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { DEFAULT_VM } from '../plan/defaults.js';
import { checkGuestsFitCores } from '../run/jobs-check.js';
import { cellQueueName, type ShardJob } from './jobs.js';
import { connectRedis, redactUrl, bullConnection, type RedisTarget } from './redis.js';
import { runShardJob, type ShardOutcome } from './shard-job.js';
import { localPlanFile } from './plan-file.js';
import { pruneShardDirs } from './shard-dirs.js';

/** How a worker runs. */
export interface WorkerOptions {
  redis: RedisTarget;
  targets: string[];
  /** Shards run at once on this host (each boots its own guest). */
  slots: number;
  /** Lock time of a job: a dead worker's shard moves on after about this long. */
  lockSec: number;
  workDir: string;
  /** Shard directories under workDir older than this many days are removed (at start and after each shard). */
  keepDays: number;
  repoRoot: string;
  cacheRoot: string;
  log: (line: string) => void;
  signal: AbortSignal;
}

/** Run until the signal aborts; resolves when every job in hand has been given up or finished. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  const crowded = checkGuestsFitCores('--slots', o.slots, DEFAULT_VM.cpus, availableParallelism());
  if (crowded) o.log(`warning: ${crowded} (plans of the default vCPUs)`);
  const probe = await connectRedis(o.redis); // exit 69 now, not a silent retry loop, when Redis is not there
  mkdirSync(o.workDir, { recursive: true });
  const prune = () => {
    const removed = pruneShardDirs(o.workDir, o.keepDays);
    if (removed.length > 0) o.log(`removed ${removed.length} shard director${removed.length > 1 ? 'ies' : 'y'} older than ${o.keepDays} days from ${o.workDir}`);
  };
  prune();
  const abort = new AbortController();
  const ctx = {
    redis: probe,
    workDir: o.workDir,
    planFile: (stored: string, sha: string) => localPlanFile(stored, sha, o.repoRoot),
    log: o.log,
    cacheRoot: o.cacheRoot,
    signal: abort.signal,
  };
  const connection = bullConnection(o.redis);
  const workers = o.targets.map((target) => {
    const w = new Worker<ShardJob, ShardOutcome>(
      cellQueueName(target),
      (job: Job<ShardJob>) => runShardJob(job.data, {
        id: job.id ?? job.data.runId,
        attempt: job.attemptsMade + 1,
        lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      }, ctx),
      { connection, concurrency: o.slots, lockDuration: o.lockSec * 1000, stalledInterval: o.lockSec * 1000, maxStalledCount: 3 },
    );
    w.on('failed', (job, err) => {
      o.log(`${job?.id ?? '?'}: attempt failed: ${err.message.split('\n')[0]}`);
      prune();
    });
    w.on('completed', prune);
    w.on('error', (err) => o.log(`redis: ${err.message} (retrying)`));
    return w;
  });
  o.log(`worker ${process.pid}: serving ${o.targets.join(', ')} with ${o.slots} slot(s) on ${redactUrl(o.redis.url)}`);
  await new Promise<void>((done) => {
    if (o.signal.aborted) done();
    o.signal.addEventListener('abort', () => done(), { once: true });
  });
  o.log('stopping: running shards are stopped; their jobs go to another worker');
  abort.abort();
  await Promise.allSettled(workers.map((w) => w.close(true)));
  probe.disconnect();
}
