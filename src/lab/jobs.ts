// Pure: a lab run split into jobs a worker can take on its own: shards of cases that share a kernel
// and a target. Ids derive from content, so submitting the same run twice enqueues nothing new.
import { createHash } from 'node:crypto';
import { fullCaseName } from '../plan/select.js';
import type { TestCase } from '../plan/types.js';

/** One shard: cases of one kernel on one target, run by one `daxlab run --cases` on a worker. */
export interface ShardJob {
  /** BullMQ job id: "<run id>-<hash of kernel, target and case names>". */
  id: string;
  runId: string;
  kernel: string;
  target: string;
  /** Case names (<kernel>@<target>:<id>) in plan order. */
  cases: string[];
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Pure: the run id of a plan submitted with a tag: "<plan name>-<12 hex>" of plan text, path and tag. */
export function labRunId(planName: string, planText: string, planPath: string, tag: string): string {
  const slug = planName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plan';
  return `${slug}-${sha(`${planPath}\0${tag}\0${planText}`).slice(0, 12)}`;
}

/** The queue a target's shards go to: a worker serving that target listens there. */
export function cellQueueName(target: string): string {
  return `daxlab-cells-${target}`;
}

/** Pure: the shards of a run: each cell (kernel x target) cut into chunks of at most perShard cases. */
export function shardJobs(runId: string, cases: readonly TestCase[], perShard: number): ShardJob[] {
  const cells = new Map<string, TestCase[]>();
  for (const tc of cases) {
    const key = `${tc.kernel}@${tc.target}`;
    const list = cells.get(key) ?? [];
    list.push(tc);
    cells.set(key, list);
  }
  const out: ShardJob[] = [];
  for (const list of cells.values()) {
    for (let i = 0; i < list.length; i += perShard) {
      const names = list.slice(i, i + perShard).map((tc) => fullCaseName(tc));
      const { kernel = 'stock', target = 'local' } = list[0]!;
      out.push({ id: `${runId}-${sha(`${kernel}\0${target}\0${names.join('\n')}`).slice(0, 16)}`, runId, kernel, target, cases: names });
    }
  }
  return out;
}
