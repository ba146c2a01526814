// `daxlab lab` against a real redis-server, without guests: an unreachable Redis, a run no worker
// serves, a second submit, a worker stopped with Ctrl-C, a bad plan. (test/vm/lab.test.ts runs cases.)
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/vm/ports.js';
import { RedisServer } from '../../bench/redis-server.js';
import { shardDirName } from '../../src/lab/shard-dirs.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const cli = (args: string[]) => execa('node', [CLI, ...args], { cwd: REPO, reject: false, all: true, timeout: 60_000 });
let redis: RedisServer;

beforeAll(async () => {
  redis = await RedisServer.start(mkdtempSync(join(tmpdir(), 'daxlab-lab-cli-')));
});
afterAll(async () => {
  await redis?.stop();
});

describe('daxlab lab without workers', () => {
  it('exits 69 for an unreachable Redis, naming the URL without its password', async () => {
    const port = await freePort();
    const r = await cli(['lab', 'status', 'x', '--redis', `redis://admin:s3cret-pw@127.0.0.1:${port}`]);
    expect(r.exitCode).toBe(69);
    expect(r.all).toContain(`redis://admin:***@127.0.0.1:${port}`);
    expect(r.all).not.toContain('s3cret-pw');
  });

  it('takes DAXLAB_REDIS_URL when --redis is not given, and never prints its password (not even in --help)', async () => {
    const port = await freePort();
    const env = { ...process.env, DAXLAB_REDIS_URL: `redis://admin:s3cret-pw@127.0.0.1:${port}` };
    const help = await execa('node', [CLI, 'lab', 'status', '--help'], { cwd: REPO, env, reject: false });
    expect(help.stdout).toContain('--redis <url>');
    expect(help.stdout).not.toContain('s3cret-pw');
    const r = await execa('node', [CLI, 'lab', 'status', 'x'], { cwd: REPO, env, reject: false, all: true });
    expect(r.exitCode).toBe(69);
    expect(r.all).toContain(`redis://admin:***@127.0.0.1:${port}`);
    expect(r.all).not.toContain('s3cret-pw');
    const none = await execa('node', [CLI, 'lab', 'status', 'x'], { cwd: REPO, env: { ...process.env, DAXLAB_REDIS_URL: '' }, reject: false, all: true });
    expect(none.exitCode).toBe(2);
    expect(none.all).toMatch(/no Redis: pass --redis/);
  });

  it('submits once, and shows the shards waiting for a target no worker serves (exit 75)', async () => {
    const args = ['lab', 'submit', 'test/plans/lab.yaml', '--redis', redis.url, '--tag', 'cli-test', '--shard-size', '3'];
    const first = await cli(args);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stderr).toMatch(/^submitted: 8 case\(s\) in 4 shard\(s\) on daxlab-cells-local/);
    const second = await cli(args);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/^already submitted/);
    const id = first.stdout.trim();
    const status = await cli(['lab', 'status', id, '--redis', redis.url]);
    expect(status.exitCode).toBe(75);
    expect(status.stdout).toContain('cases: 0 of 8 done');
    expect(status.stdout).toContain('shards: 4 waiting');
    expect(status.stdout).toContain('target local: no worker serves it, 4 shard(s) waiting for it');
    const results = await cli(['lab', 'results', id, '--redis', redis.url, '--results', mkdtempSync(join(tmpdir(), 'daxlab-lab-res-'))]);
    expect(results.exitCode).toBe(75);
    expect(results.stderr).toMatch(/has not ended: 0 of 8 case\(s\) so far/);
  });

  it('names an unknown run', async () => {
    const r = await cli(['lab', 'status', 'nope-000000000000', '--redis', redis.url]);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/no lab run 'nope-000000000000'/);
  });

  it('refuses an invalid plan with file, line and field, before enqueueing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxlab-lab-plan-'));
    const plan = join(dir, 'bad.yaml');
    await import('node:fs').then((fs) => fs.writeFileSync(plan, 'name: bad\nfilesystems: [ext5]\n'));
    const r = await cli(['lab', 'submit', plan, '--redis', redis.url]);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/bad\.yaml:2.*filesystems/);
  });

  it('a worker removes shard directories older than --keep-days, and stops on SIGINT with exit 130', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'daxlab-lab-w-'));
    const old = shardDirName('run-old:1', 1, 4242, Date.now() - 3 * 86_400_000);
    const fresh = shardDirName('run-new:1', 1, 4242, Date.now() - 3_600_000);
    for (const d of [old, fresh]) mkdirSync(join(workDir, d, 'logs'), { recursive: true });
    const w = execa('node', [CLI, 'lab', 'worker', '--redis', redis.url, '--target', 'nowhere', '--work-dir', workDir, '--keep-days', '2'], { cwd: REPO, reject: false, all: true });
    let out = '';
    w.all?.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 100 && !/serving nowhere/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/serving nowhere with 1 slot\(s\)/);
    expect(out).toContain(`removed 1 shard directory older than 2 days from ${workDir}`);
    expect(readdirSync(workDir)).toEqual([fresh]);
    w.kill('SIGINT');
    const r = await w;
    expect(r.exitCode).toBe(130);
    rmSync(workDir, { recursive: true, force: true });
  });
});
