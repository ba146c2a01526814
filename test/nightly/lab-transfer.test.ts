// A kernel built by one lab host reaches another by a content-addressed transfer through Redis:
// worker A (the usual cache) runs the stock shard and publishes the kernel; worker B, with an
// empty kernel cache of its own, installs it from Redis and runs its shard without building.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisServer } from '../../bench/redis-server.js';
import { CLI, REPO } from '../vm/cli-run.js';

const work = mkdtempSync(join(tmpdir(), 'daxlab-lab-transfer-'));
const procs: ResultPromise[] = [];
let redis: RedisServer | undefined;

afterAll(async () => {
  for (const p of procs) p.kill('SIGTERM');
  await Promise.allSettled(procs);
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

function worker(name: string, url: string, env: NodeJS.ProcessEnv = {}) {
  const p = execa('node', [CLI, 'lab', 'worker', '--redis', url, '--work-dir', join(work, name)], {
    cwd: REPO, reject: false, all: true, env: { ...process.env, ...env },
  });
  let text = '';
  p.all?.on('data', (d: Buffer) => (text += d.toString()));
  procs.push(p);
  return { p, log: () => text };
}

async function until(what: string, ms: number, test: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('kernel transfer between lab hosts', () => {
  it('a worker with an empty cache installs the kernel another worker built, and does not build it', async () => {
    redis = await RedisServer.start(work);
    const plan = join(REPO, 'test', 'plans', 'busy-range.yaml');
    const a = worker('a', redis.url);
    const sub = await execa('node', [CLI, 'lab', 'submit', plan, '--redis', redis.url, '--shard-size', '1', '--tag', `transfer-${Date.now()}`], { cwd: REPO });
    expect(sub.exitCode).toBe(0);
    await until('worker A to publish the kernel', 1_800_000, () => /published for other hosts/.test(a.log()));
    a.p.kill('SIGTERM');
    await a.p;
    const emptyCache = join(work, 'cache-b');
    const b = worker('b', redis.url, { DAXLAB_CACHE: emptyCache });
    await until('worker B to finish its shard', 1_800_000, () => /daxlab run exited/.test(b.log()));
    expect(b.log()).toMatch(/installed from the lab \(built on another host\)/);
    const runLog = readdirSync(join(work, 'b')).map((d) => readFileSync(join(work, 'b', d, 'run.log'), 'utf8')).join('\n');
    expect(runLog).toMatch(/cache hit/);
    expect(runLog).not.toMatch(/\bbuilt in\b/);
    expect(b.log()).toMatch(/daxlab run exited 0/);
  });
});
