// The lab benchmark: one plan (default test/plans/lab.yaml: 2 kernels x 2 filesystems x 2 cases,
// 4 shards of 2) through a real redis-server on 1 worker and on 2 workers, the queue's overhead
// per job (job time minus the shard's own `daxlab run`, and enqueue-to-start of an idle worker's
// first job), and plain `daxlab run --jobs 1` against `--jobs 2`. Kernels should be built first.
//   npm run bench:lab [-- PLAN]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadRun } from '../src/lab/store.js';
import { RedisServer } from './redis-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(here, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const plan = process.argv[2] ?? 'test/plans/lab.yaml';
const work = mkdtempSync(join(tmpdir(), 'daxlab-bench-lab-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function labRun(redis: RedisServer, workers: number): Promise<{ wallS: number; overheadMs: number[]; startMs: number }> {
  // Workers first, idle and listening, so enqueue-to-start is the queue's latency, not node's start-up.
  const procs: ResultPromise[] = [];
  for (let i = 0; i < workers; i++) {
    procs.push(execa('node', [CLI, 'lab', 'worker', '--redis', redis.url, '--work-dir', join(work, `w${workers}-${i}`)], { cwd: REPO, reject: false, stdio: 'ignore' }));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const t0 = Date.now();
  const sub = await execa('node', [CLI, 'lab', 'submit', plan, '--redis', redis.url, '--shard-size', '2', '--tag', `bench-${workers}-${t0}`], { cwd: REPO });
  const id = sub.stdout.trim();
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const run = (await loadRun(client, id))!;
  const queue = new Queue('daxlab-cells-local', { connection: { host: '127.0.0.1', port: redis.port } });
  try {
    for (;;) {
      const states = await Promise.all(run.shards.map((s) => queue.getJobState(s.id)));
      if (states.every((s) => s === 'completed' || s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const wallS = (Date.now() - t0) / 1000;
    const jobs = await Promise.all(run.shards.map((s) => queue.getJob(s.id)));
    const overheadMs = jobs.map((j) => (j!.finishedOn! - j!.processedOn!) - (j!.returnvalue as { runMs: number }).runMs);
    const startMs = Math.min(...jobs.map((j) => j!.processedOn! - j!.timestamp));
    return { wallS, overheadMs, startMs };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.allSettled(procs);
    await queue.close();
    client.disconnect();
  }
}

async function plainRun(jobs: number): Promise<number> {
  const t0 = Date.now();
  await execa('node', [CLI, 'run', plan, '--jobs', String(jobs), '--results', join(work, `plain-${jobs}`)], { cwd: REPO, reject: false });
  return (Date.now() - t0) / 1000;
}

const redis = await RedisServer.start(work);
try {
  const one = await labRun(redis, 1);
  const two = await labRun(redis, 2);
  const p1 = await plainRun(1);
  const p2 = await plainRun(2);
  const all = [...one.overheadMs, ...two.overheadMs];
  process.stdout.write(`plan ${plan}: 4 shard jobs\n`);
  process.stdout.write(`lab, 1 worker:       ${one.wallS.toFixed(1)} s\n`);
  process.stdout.write(`lab, 2 workers:      ${two.wallS.toFixed(1)} s  (${(one.wallS / two.wallS).toFixed(2)}x)\n`);
  process.stdout.write(`queue overhead/job:  median ${median(all).toFixed(0)} ms, max ${Math.max(...all).toFixed(0)} ms (job time minus its daxlab run; max includes publishing a built kernel)\n`);
  process.stdout.write(`enqueue to start:    ${one.startMs} ms (1 worker), ${two.startMs} ms (2 workers)\n`);
  process.stdout.write(`daxlab run --jobs 1: ${p1.toFixed(1)} s\n`);
  process.stdout.write(`daxlab run --jobs 2: ${p2.toFixed(1)} s  (${(p1 / p2).toFixed(2)}x)\n`);
} finally {
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}
