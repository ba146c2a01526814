// `daxlab lab submit`: store the run and enqueue its shards on their targets' queues. Ids come from
// content, so a second submit of the same plan and tag finds the run and adds no job.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { expandRun } from '../plan/expand.js';
import { fullCaseName } from '../plan/select.js';
import type { Plan } from '../plan/types.js';
import { cellQueueName, labRunId, shardJobs } from './jobs.js';
import { planSha256 } from './plan-file.js';
import { bullConnection, type RedisTarget } from './redis.js';
import { loadRun, saveRun, type LabRun } from './store.js';

/** What submit needs besides the plan. */
export interface SubmitInput {
  plan: Plan;
  planText: string;
  /** As stored (storedPlanPath). */
  planPath: string;
  /** Makes a new run of an unchanged plan (default: the UTC date, one run per plan per day). */
  tag: string;
  perShard: number;
  attempts: number;
}

/** Store and enqueue; returns the run and whether it was new. */
export async function submitRun(r: Redis, target: RedisTarget, s: SubmitInput): Promise<{ run: LabRun; isNew: boolean }> {
  const id = labRunId(s.plan.name, s.planText, s.planPath, s.tag);
  const existing = await loadRun(r, id);
  const cases = expandRun(s.plan);
  const shards = shardJobs(id, cases, s.perShard);
  const run: LabRun = existing ?? {
    id,
    planName: s.plan.name,
    planPath: s.planPath,
    planSha256: planSha256(s.planText),
    backend: s.plan.backend,
    submittedAt: new Date().toISOString(),
    cases: cases.map((tc) => fullCaseName(tc)),
    shards: shards.map(({ id: jobId, target: t, kernel, cases: names }) => ({ id: jobId, target: t, kernel, cases: names })),
    attempts: s.attempts,
  };
  const isNew = existing === null && (await saveRun(r, run));
  const connection = bullConnection(target);
  const queues = new Map<string, Queue>();
  try {
    for (const job of shards) {
      const name = cellQueueName(job.target);
      let q = queues.get(name);
      if (!q) queues.set(name, (q = new Queue(name, { connection })));
      // An id BullMQ already has is ignored: re-submitting never duplicates a shard.
      await q.add('shard', job, { jobId: job.id, attempts: run.attempts, backoff: { type: 'fixed', delay: 5000 }, removeOnComplete: false, removeOnFail: false });
    }
  } finally {
    await Promise.allSettled([...queues.values()].map((q) => q.close()));
  }
  return { run, isNew };
}
