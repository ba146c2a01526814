// `daxlab lab submit|worker|status|results`: a run spread over workers through BullMQ on Redis.
import { join } from 'node:path';
import { DaxlabError, EXIT } from '../errors.js';
import { cellQueueName } from '../lab/jobs.js';
import { connectRedis, type RedisTarget } from '../lab/redis.js';
import { assembleResults, labSummary, writeLabResults } from '../lab/results.js';
import { formatStatus, labStatus, runEnded } from '../lab/status.js';
import { allFindings, allResults, loadRun, shardSummaries, type LabRun } from '../lab/store.js';
import { submitRun } from '../lab/submit.js';
import { runWorker } from '../lab/worker.js';
import { planChainText, storedPlanPath } from '../lab/plan-file.js';
import { cacheRoot } from '../kernel/cache-dir.js';
import { formatSummary } from '../results/summary.js';
import { REPO_ROOT } from './paths.js';
import { prepareResultsDir } from './results-dir.js';
import { resolvePlan } from './resolve-plan.js';

/** The Redis flags every lab command takes. */
export interface RedisFlags {
  redis?: string;
  tlsCa?: string;
}

function redisOf(f: RedisFlags): RedisTarget {
  const url = f.redis ?? process.env.DAXLAB_REDIS_URL;
  if (!url) throw new DaxlabError('USAGE', 'no Redis: pass --redis redis://host:port or set DAXLAB_REDIS_URL');
  return { url, ...(f.tlsCa ? { tlsCa: f.tlsCa } : {}) };
}

function positiveInt(flag: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new DaxlabError('USAGE', `invalid ${flag} '${text}': expected an integer from 1 to ${max}`);
  return n;
}

async function withRun<T>(f: RedisFlags, id: string, body: (r: Awaited<ReturnType<typeof connectRedis>>, run: LabRun) => Promise<T>): Promise<T> {
  const r = await connectRedis(redisOf(f));
  try {
    const run = await loadRun(r, id);
    if (!run) throw new DaxlabError('USAGE', `no lab run '${id}' in this Redis (lab submit prints the id)`);
    return await body(r, run);
  } finally {
    r.disconnect();
  }
}

/** `lab submit PLAN`: prints the run id (or the run as JSON). */
export async function labSubmitCommand(planFile: string, f: RedisFlags & { tag?: string; shardSize?: string; attempts?: string; json?: boolean }): Promise<number> {
  const plan = await resolvePlan(planFile, {});
  const planText = planChainText(planFile);
  const r = await connectRedis(redisOf(f));
  try {
    const { run, isNew } = await submitRun(r, redisOf(f), {
      plan, planText, planPath: storedPlanPath(planFile, REPO_ROOT),
      tag: f.tag ?? new Date().toISOString().slice(0, 10),
      perShard: positiveInt('--shard-size', f.shardSize, 8, 10_000),
      attempts: positiveInt('--attempts', f.attempts, 3, 20),
    });
    if (f.json) process.stdout.write(`${JSON.stringify({ ...run, new: isNew })}\n`);
    else {
      process.stderr.write(`${isNew ? 'submitted' : 'already submitted'}: ${run.cases.length} case(s) in ${run.shards.length} shard(s) on ${[...new Set(run.shards.map((s) => cellQueueName(s.target)))].join(', ')}\n`);
      process.stdout.write(`${run.id}\n`);
    }
    return EXIT.ok;
  } finally {
    r.disconnect();
  }
}

/** `lab worker`: serve targets until SIGINT/SIGTERM. */
export async function labWorkerCommand(f: RedisFlags & { target?: string[]; slots?: string; lockSec?: string; workDir?: string; keepDays?: string }): Promise<number> {
  const abort = new AbortController();
  let code: number = EXIT.ok;
  const stop = (sig: NodeJS.Signals) => {
    code = sig === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runWorker({
    redis: redisOf(f),
    targets: f.target ?? ['local'],
    slots: positiveInt('--slots', f.slots, 1, 8),
    lockSec: positiveInt('--lock-sec', f.lockSec, 30, 3600),
    workDir: f.workDir ?? join(cacheRoot(), '..', 'daxlab-lab'),
    keepDays: positiveInt('--keep-days', f.keepDays, 14, 3650),
    repoRoot: REPO_ROOT,
    cacheRoot: cacheRoot(),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    signal: abort.signal,
  });
  return code;
}

/** `lab status RUN`: 0 when the run ended, 75 (EX_TEMPFAIL) while shards are still to run. */
export async function labStatusCommand(id: string, f: RedisFlags & { json?: boolean }): Promise<number> {
  return withRun(f, id, async (r, run) => {
    const s = await labStatus(redisOf(f), run, await allResults(r, run.id));
    if (f.json) process.stdout.write(`${JSON.stringify({ ...s, run: { id: run.id, planPath: run.planPath, cases: run.cases.length }, ended: runEnded(s) })}\n`);
    else for (const line of formatStatus(s)) process.stdout.write(`${line}\n`);
    return runEnded(s) ? EXIT.ok : EXIT.pending;
  });
}

/** `lab results RUN --results DIR`: the run's results directory; its exit code is the run's. */
export async function labResultsCommand(id: string, f: RedisFlags & { results?: string }): Promise<number> {
  return withRun(f, id, async (r, run) => {
    const stored = await allResults(r, run.id);
    const status = await labStatus(redisOf(f), run, stored);
    const ended = runEnded(status);
    const results = assembleResults(run, stored, status.shards, ended, new Date().toISOString());
    const findings = await allFindings(r, run.id);
    const summary = labSummary(run, await shardSummaries(r, run.id), results, findings);
    const dir = prepareResultsDir(f.results, run.id);
    const files = writeLabResults(dir, summary, results, findings);
    for (const line of formatSummary(summary, results)) process.stdout.write(`${line}\n`);
    process.stdout.write(`results: ${files.json}\njunit:   ${files.junit}\nreport:  ${files.html}\n`);
    if (!ended) {
      process.stderr.write(`daxlab: run ${run.id} has not ended: ${results.length} of ${run.cases.length} case(s) so far (lab status ${run.id})\n`);
      return EXIT.pending;
    }
    return summary.exitCode;
  });
}
