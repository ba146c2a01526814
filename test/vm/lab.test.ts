// The lab queue for real: redis-server, two `daxlab lab worker` processes, the stock kernel and the
// seed's bug side by side. One worker is SIGKILLed mid-shard, Redis is restarted mid-run, a shard
// is delivered twice; every case is still reported exactly once, with the statuses a plain
// single-machine run of the same plan gives.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShardJob } from '../../src/lab/jobs.js';
import { allResults, loadRun } from '../../src/lab/store.js';
import type { CaseResult } from '../../src/results/types.js';
import { CLI, REPO, daxlab } from './cli-run.js';
import { RedisServer } from '../../bench/redis-server.js';

const PLAN = 'test/plans/lab.yaml';
const work = mkdtempSync(join(tmpdir(), 'daxlab-lab-test-'));
const procs: ResultPromise[] = [];
let redis: RedisServer | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cli = (args: string[]) => execa('node', [CLI, ...args], { cwd: REPO, reject: false, all: true, timeout: 120_000 });

function worker(name: string, url: string): ResultPromise & { logText: () => string } {
  const p = execa('node', [CLI, 'lab', 'worker', '--redis', url, '--slots', '1', '--lock-sec', '8', '--work-dir', join(work, name)], {
    cwd: REPO, reject: false, all: true, buffer: { all: true },
  });
  let text = '';
  p.all?.on('data', (d: Buffer) => (text += d.toString()));
  procs.push(p);
  return Object.assign(p, { logText: () => text });
}

async function until(what: string, ms: number, test: () => Promise<boolean> | boolean, everyMs = 500): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await Promise.allSettled(procs);
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('daxlab lab on BullMQ and a real redis-server', () => {
  it('reports every case exactly once through a worker SIGKILL, a Redis restart and a duplicate delivery', async () => {
    redis = await RedisServer.start(work);
    const url = redis.url;
    const tag = `test-${Date.now()}`;
    const sub = await cli(['lab', 'submit', PLAN, '--redis', url, '--shard-size', '2', '--tag', tag]);
    expect(sub.exitCode, sub.all).toBe(0);
    const runId = String(sub.stdout).trim();
    const again = await cli(['lab', 'submit', PLAN, '--redis', url, '--shard-size', '2', '--tag', tag]);
    expect(String(again.stdout).trim()).toBe(runId);
    expect(again.stderr).toMatch(/already submitted/);

    const client = new Redis(url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    const run = (await loadRun(client, runId))!;
    expect(run.cases).toHaveLength(8);
    expect(run.shards).toHaveLength(4);
    const stored = async () => (await allResults(client, runId)).size;
    const queue = new Queue<ShardJob>('daxlab-cells-local', { connection: { host: '127.0.0.1', port: redis.port } });

    // Worker A takes a shard; once the first of its two cases is stored, it is SIGKILLed mid-shard.
    const a = worker('a', url);
    await until('worker A to start a shard', 300_000, () => /: 2 case\(s\) of/.test(a.logText()));
    const shardA = /(\S+): 2 case\(s\) of/.exec(a.logText())![1]!;
    const casesA = (await queue.getJob(shardA))!.data.cases;
    // Killed the moment it logs its first stored result: its next case needs about a second more.
    await until('the first result of worker A\'s shard', 300_000, () => a.logText().includes(`${shardA}: stored `), 10);
    a.kill('SIGKILL');
    await a;
    const storedNow = await allResults(client, runId);
    expect(casesA.filter((n) => storedNow.has(n)), 'worker A was killed mid-shard').toHaveLength(1);
    const b = worker('b', url);
    const c = worker('c', url);

    // Redis restarts while B and C run shards.
    await until('4 results', 600_000, async () => (await stored()) >= 4);
    await redis.stop();
    await sleep(1500);
    await redis.restart();

    // A shard delivered twice: the same job data under a second id.
    const first = (await queue.getJob(run.shards[0]!.id))!;
    await queue.add('shard', first.data, { jobId: `${first.id}-again`, attempts: 1 });

    await until('the run to end', 900_000, async () => (await cli(['lab', 'status', runId, '--redis', url])).exitCode === 0, 3000);
    await until('the duplicate to finish', 300_000, async () => (await queue.getJobState(`${first.id}-again`)) === 'completed');
    const dup = (await queue.getJob(`${first.id}-again`))!;
    expect(dup.returnvalue).toMatchObject({ ran: 0, alreadyDone: 2 });
    await queue.close();
    // The killed worker's shard was taken over and only its missing case ran.
    expect(b.logText() + c.logText()).toMatch(new RegExp(`${shardA}: 1 case\\(s\\) of \\S+, 1 already done`));

    const out = join(work, 'merged');
    const res = await cli(['lab', 'results', runId, '--redis', url, '--results', out]);
    const merged = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { results: CaseResult[] };
    const names = merged.results.map((r) => `${r.kernel}@${r.target ?? 'local'}:${r.id}`);
    expect(names.sort()).toEqual([...run.cases].sort());
    expect(new Set(names).size).toBe(8);
    expect(res.stdout).toMatch(/FAIL seed@local:ext4\/busy-range\//);
    expect(res.exitCode).toBe(1);
    client.disconnect();

    // The same plan run plainly on this machine: same case ids, same statuses.
    const plain = await daxlab(['run', PLAN]);
    const statusOf = (rs: CaseResult[]) => Object.fromEntries(rs.map((r) => [`${r.kernel}@${r.target ?? 'local'}:${r.id}`, r.status]));
    expect(statusOf(merged.results)).toEqual(statusOf(plain.report!.results));
    expect(merged.results.filter((r) => r.kernel === 'stock').every((r) => r.status === 'pass')).toBe(true);
    expect(merged.results.filter((r) => r.kernel === 'seed').every((r) => r.status === 'fail')).toBe(true);
  });
});
