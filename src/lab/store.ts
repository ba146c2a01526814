// What a lab run keeps in Redis beside BullMQ's jobs: the run's description, and each case result
// and kernel-log finding under its own field as it finishes (HSETNX: a redelivered shard writes
// nothing twice). Keys live under "daxlab:lab:".
import type { Redis } from 'ioredis';
import type { CaseResult, KlogFinding, RunSummary } from '../results/types.js';
import type { ShardJob } from './jobs.js';

/** A submitted run, as workers, status and results read it. */
export interface LabRun {
  id: string;
  planName: string;
  /** The plan file, relative to the daxlab checkout when inside it, else absolute. */
  planPath: string;
  planSha256: string;
  backend: string;
  submittedAt: string;
  /** Every case name of the run, in plan order. */
  cases: string[];
  shards: Array<Pick<ShardJob, 'id' | 'target' | 'kernel' | 'cases'>>;
  /** Attempts a shard gets when its run stops on a harness error. */
  attempts: number;
}

const runKey = (id: string) => `daxlab:lab:run:${id}`;
const resultsKey = (id: string) => `daxlab:lab:run:${id}:results`;
const findingsKey = (id: string) => `daxlab:lab:run:${id}:findings`;
const RUNS = 'daxlab:lab:runs';

/** Store the run unless it is already there; true when it was new. */
export async function saveRun(r: Redis, run: LabRun): Promise<boolean> {
  const isNew = (await r.hsetnx(runKey(run.id), 'run', JSON.stringify(run))) === 1;
  if (isNew) await r.zadd(RUNS, Date.parse(run.submittedAt), run.id);
  return isNew;
}

/** The run, or null when no run has that id. */
export async function loadRun(r: Redis, id: string): Promise<LabRun | null> {
  const text = await r.hget(runKey(id), 'run');
  return text ? (JSON.parse(text) as LabRun) : null;
}

/** Store a finished case under its name; false when a result was already there (a redelivery). */
export async function storeResult(r: Redis, runId: string, name: string, result: CaseResult): Promise<boolean> {
  return (await r.hsetnx(resultsKey(runId), name, JSON.stringify(result))) === 1;
}

/** Forget results so that their cases run again (a harness error with attempts left). */
export async function dropResults(r: Redis, runId: string, names: readonly string[]): Promise<void> {
  if (names.length > 0) await r.hdel(resultsKey(runId), ...names);
}

/** Names of the cases that have a result. */
export async function doneCases(r: Redis, runId: string): Promise<Set<string>> {
  return new Set(await r.hkeys(resultsKey(runId)));
}

/** Every stored result by case name. */
export async function allResults(r: Redis, runId: string): Promise<Map<string, CaseResult>> {
  const raw = await r.hgetall(resultsKey(runId));
  return new Map(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as CaseResult]));
}

/** Store a kernel-log finding outside every case once, keyed by its content. */
export async function storeFinding(r: Redis, runId: string, key: string, f: KlogFinding): Promise<void> {
  await r.hsetnx(findingsKey(runId), key, JSON.stringify(f));
}

/** Every stored finding. */
export async function allFindings(r: Redis, runId: string): Promise<KlogFinding[]> {
  return Object.values(await r.hgetall(findingsKey(runId))).map((v) => JSON.parse(v) as KlogFinding);
}

const shardsKey = (id: string) => `daxlab:lab:run:${id}:summaries`;

/** Keep the summary a shard's run ended with (its kernels, accel, clocksource), by job id. */
export async function storeShardSummary(r: Redis, runId: string, jobId: string, s: RunSummary): Promise<void> {
  await r.hset(shardsKey(runId), jobId, JSON.stringify(s));
}

/** Every stored shard summary. */
export async function shardSummaries(r: Redis, runId: string): Promise<RunSummary[]> {
  return Object.values(await r.hgetall(shardsKey(runId))).map((v) => JSON.parse(v) as RunSummary);
}
