// `daxlab lab status RUN`: how far a run is: cases with results, shards by state, and targets
// that have waiting shards but no worker serving them.
import { Queue, type JobState } from 'bullmq';
import { countStatuses } from '../run/exit-code.js';
import type { CaseResult, CaseStatus } from '../results/types.js';
import { cellQueueName } from './jobs.js';
import { bullConnection, type RedisTarget } from './redis.js';
import type { LabRun } from './store.js';

/** A shard's state as BullMQ reports it, with the reason of its last failure. */
export interface ShardState {
  id: string;
  kernel: string;
  target: string;
  state: JobState | 'unknown';
  failedReason?: string;
}

/** A run's progress. */
export interface LabStatus {
  run: LabRun;
  done: number;
  counts: Record<CaseStatus, number>;
  shards: ShardState[];
  /** Workers listening per target of the run. */
  workers: Record<string, number>;
}

/** The run's progress from BullMQ, with its stored results (allResults, read once by the caller). */
export async function labStatus(target: RedisTarget, run: LabRun, results: ReadonlyMap<string, CaseResult>): Promise<LabStatus> {
  const connection = bullConnection(target);
  const shards: ShardState[] = [];
  const workers: Record<string, number> = {};
  for (const t of new Set(run.shards.map((s) => s.target))) {
    const q = new Queue(cellQueueName(t), { connection });
    try {
      workers[t] = (await q.getWorkers()).length;
      for (const s of run.shards.filter((x) => x.target === t)) {
        const job = await q.getJob(s.id);
        const state = job ? await job.getState() : 'unknown';
        shards.push({ id: s.id, kernel: s.kernel, target: s.target, state, ...(job?.failedReason ? { failedReason: job.failedReason } : {}) });
      }
    } finally {
      await q.close();
    }
  }
  return { run, done: results.size, counts: countStatuses(results.values()), shards, workers };
}

/** Pure: every shard has ended (completed, or failed with no attempt left). */
export function runEnded(s: Pick<LabStatus, 'shards'>): boolean {
  return s.shards.every((x) => x.state === 'completed' || x.state === 'failed');
}

/** Pure: the status as lines for a person. */
export function formatStatus(s: LabStatus): string[] {
  const counts = Object.entries(s.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  const byState = new Map<string, number>();
  for (const x of s.shards) byState.set(x.state, (byState.get(x.state) ?? 0) + 1);
  const lines = [
    `run ${s.run.id}: plan ${s.run.planPath}, submitted ${s.run.submittedAt}`,
    `cases: ${s.done} of ${s.run.cases.length} done${counts ? ` (${counts})` : ''}`,
    `shards: ${[...byState].map(([k, n]) => `${n} ${k}`).join(', ')}${runEnded(s) ? ' (run ended)' : ''}`,
  ];
  for (const [t, n] of Object.entries(s.workers)) {
    const waiting = s.shards.filter((x) => x.target === t && (x.state === 'waiting' || x.state === 'delayed' || x.state === 'prioritized')).length;
    lines.push(n > 0 ? `target ${t}: ${n} worker(s)` : `target ${t}: no worker serves it${waiting > 0 ? `, ${waiting} shard(s) waiting for it` : ''}`);
  }
  for (const x of s.shards.filter((y) => y.state === 'failed')) lines.push(`failed shard ${x.id} (${x.kernel}@${x.target}): ${x.failedReason?.split('\n')[0] ?? '?'}`);
  return lines;
}
