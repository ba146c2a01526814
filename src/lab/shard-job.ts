// A worker's handling of one shard job: run the cases that have no result yet, store each result as
// it is journaled, retry a harness error while attempts remain; a kernel FAIL is a result, kept.
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { fullCaseName } from '../plan/select.js';
import type { RunEvent, RunSummary } from '../results/types.js';
import { planSha256 } from './plan-file.js';
import type { ShardJob } from './jobs.js';
import { runShard } from './shard-run.js';
import { shardDirName } from './shard-dirs.js';
import { fetchKernel, publishKernel } from './artifacts.js';
import { doneCases, dropResults, loadRun, shardSummaries, storeFinding, storeResult, storeShardSummary } from './store.js';

/** What a shard job needs from its worker. */
export interface ShardContext {
  redis: Redis;
  /** Directory for this worker's shard runs. */
  workDir: string;
  /** The plan file on this host for a run (throws when missing or different). */
  planFile: (stored: string, sha256: string) => string;
  log: (line: string) => void;
  /** This host's kernel cache: built kernels are published from it and installed into it. */
  cacheRoot: string;
  signal?: AbortSignal;
}

// Kernel cache keys of this shard's kernel, from the summaries of shards that already ran (any host).
async function knownKeys(ctx: ShardContext, data: ShardJob): Promise<string[]> {
  const keys = (await shardSummaries(ctx.redis, data.runId)).flatMap((s) => (s.kernels ?? []).filter((k) => k.label === data.kernel).map((k) => k.cacheKey));
  return [...new Set(keys.filter((k): k is string => typeof k === 'string'))];
}

/** What a finished shard job returns (BullMQ keeps it as the job's return value). */
export interface ShardOutcome {
  ran: number;
  alreadyDone: number;
  exitCode: number | null;
  /** Wall time of the child `daxlab run` (0 when nothing was left to run): the rest of the job is queue overhead. */
  runMs: number;
}

/** Exit codes of a run that judged all its cases: passed, failed, flaky, all skipped. */
const JUDGED = new Set([0, 1, 3, 4]);

/** Run one delivery of a shard; throws to have BullMQ retry it (results stored so far are kept). */
export async function runShardJob(data: ShardJob, delivery: { id: string; attempt: number; lastAttempt: boolean }, ctx: ShardContext): Promise<ShardOutcome> {
  const run = await loadRun(ctx.redis, data.runId);
  if (!run) throw new UnrecoverableError(`run ${data.runId} is not in Redis`);
  let planFile: string;
  try {
    planFile = ctx.planFile(run.planPath, run.planSha256);
  } catch (err) {
    throw new UnrecoverableError((err as Error).message);
  }
  const done = await doneCases(ctx.redis, data.runId);
  const todo = data.cases.filter((n) => !done.has(n));
  if (todo.length === 0) {
    ctx.log(`${delivery.id}: nothing left to run, all ${data.cases.length} case(s) already done`);
    return { ran: 0, alreadyDone: data.cases.length, exitCode: null, runMs: 0 };
  }
  const already = data.cases.length - todo.length;
  ctx.log(`${delivery.id}: ${todo.length} case(s) of ${data.kernel}@${data.target}${already > 0 ? `, ${already} already done` : ''}`);
  for (const key of await knownKeys(ctx, data)) {
    if ((await fetchKernel(ctx.redis, ctx.cacheRoot, key)) === 'imported') ctx.log(`${delivery.id}: kernel ${key} installed from the lab (built on another host)`);
  }
  const wanted = new Set(todo);
  const stored: string[] = [];
  const harness: string[] = [];
  const onEvent = async (e: RunEvent) => {
    if (e.type === 'case') {
      const name = fullCaseName(e.result);
      if (!wanted.has(name) || !(await storeResult(ctx.redis, data.runId, name, e.result))) return;
      stored.push(name);
      ctx.log(`${delivery.id}: stored ${name}: ${e.result.status}`);
      if (e.result.harnessError) harness.push(name);
    } else if (e.type === 'finding') {
      await storeFinding(ctx.redis, data.runId, planSha256(JSON.stringify(e.finding)), e.finding);
    } else if (e.type === 'end') {
      await storeShardSummary(ctx.redis, data.runId, delivery.id, e.summary as RunSummary);
    }
  };
  const dir = join(ctx.workDir, shardDirName(delivery.id, delivery.attempt, process.pid, Date.now()));
  const t0 = performance.now();
  const r = await runShard({ planFile, cases: todo, dir, onEvent, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const runMs = performance.now() - t0;
  ctx.log(`${delivery.id}: daxlab run exited ${r.exitCode}, ${stored.length} result(s) stored`);
  for (const key of await knownKeys(ctx, data)) {
    if ((await publishKernel(ctx.redis, ctx.cacheRoot, key)) === 'published') ctx.log(`${delivery.id}: kernel ${key} published for other hosts`);
  }
  if (!JUDGED.has(r.exitCode)) throw new Error(`daxlab run exited ${r.exitCode} (${dir}):\n${r.tail}`);
  if (harness.length > 0 && !delivery.lastAttempt) {
    await dropResults(ctx.redis, data.runId, harness);
    throw new Error(`${harness.length} case(s) ended in a harness error (${harness[0]}); retrying them`);
  }
  return { ran: stored.length, alreadyDone: already, exitCode: r.exitCode, runMs };
}
