// The flock-based lock with real processes: holders in this process, in a shell, in another pid
// namespace, and a node process killed with SIGKILL while holding it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { acquireLock, describeHolder, parseHolder, tryLock, type LockHolder } from '../../../src/kernel/lock.js';
import { tempDir } from './fake-tree.js';

const LOCK_MODULE = resolve(import.meta.dirname, '..', '..', '..', 'dist', 'src', 'kernel', 'lock.js');
const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A lock path inside a fresh temp dir.
function lockPath(): string {
  const dir = tempDir('lock');
  cleanup.push(dir);
  return join(dir, 'build.lock');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A shell holding the lock for `seconds` with flock(1) (-o: only flock itself holds the descriptor).
function shellHolder(path: string, seconds: number, prefix: string[] = []) {
  const child = spawn(prefix[0] ?? 'flock', [...prefix.slice(1), ...(prefix.length ? ['flock'] : []), '-o', '-x', path, 'sleep', String(seconds)]);
  return { child, exited: new Promise((r) => child.on('exit', r)) };
}

// Wait until someone holds the lock (tryLock fails).
async function untilHeld(path: string): Promise<void> {
  for (;;) {
    const r = await tryLock(path);
    if (!r) return;
    await r();
    await sleep(10);
  }
}

describe('acquireLock', () => {
  it('creates the lock file, records the holder, clears the record on release and keeps the file', async () => {
    const path = lockPath();
    const release = await acquireLock(path);
    const h = parseHolder(readFileSync(path, 'utf8'));
    expect(h).toMatchObject({ pid: process.pid, command: expect.any(String) });
    await release();
    await release();
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('makes a second acquirer wait until the first releases, and tells it once who holds the lock', async () => {
    const path = lockPath();
    const release1 = await acquireLock(path);
    const waits: Array<LockHolder | null> = [];
    let got = false;
    const second = acquireLock(path, { onWait: (h) => waits.push(h) }).then((r) => ((got = true), r));
    await sleep(300);
    expect(got).toBe(false);
    expect(waits.map((h) => h?.pid)).toEqual([process.pid]);
    await release1();
    const release2 = await second;
    expect(got).toBe(true);
    await release2();
  });

  it('waits for a holder in another process, then takes the lock', async () => {
    const path = lockPath();
    const holder = shellHolder(path, 0.5);
    await untilHeld(path);
    const waits: Array<LockHolder | null> = [];
    const t0 = Date.now();
    const release = await acquireLock(path, { onWait: (h) => waits.push(h) });
    expect(Date.now() - t0).toBeGreaterThan(150);
    expect(waits).toEqual([null]); // flock(1) wrote no holder record
    expect(describeHolder(null)).toContain('holder unknown');
    await release();
    await holder.exited;
  });

  it('is taken at once after its holder was killed with SIGKILL (the kernel released it)', async () => {
    const path = lockPath();
    const script = `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)}); await acquireLock(${JSON.stringify(path)}); console.log('held'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    await new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && r()));
    expect(parseHolder(readFileSync(path, 'utf8'))?.pid).toBe(child.pid);
    expect(await tryLock(path)).toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    let waited = false;
    const t0 = Date.now();
    const release = await acquireLock(path, { onWait: () => (waited = true), timeoutMs: 5_000 });
    expect(waited).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(parseHolder(readFileSync(path, 'utf8'))?.pid).toBe(process.pid);
    await release();
  });

  it('excludes a holder in another pid namespace, whose pid means nothing here', async () => {
    const path = lockPath();
    if (spawnSync('unshare', ['--pid', '--fork', 'true']).status !== 0) return; // needs root or user namespaces
    // In its namespace the holder is pid 1 or 2; a pid check here would call it dead or someone else.
    writeFileSync(path, JSON.stringify({ pid: 2, host: 'container', since: '', command: 'daxlab' }));
    const holder = shellHolder(path, 0.6, ['unshare', '--pid', '--fork']);
    await untilHeld(path);
    const t0 = Date.now();
    const release = await acquireLock(path, { timeoutMs: 5_000 });
    expect(Date.now() - t0).toBeGreaterThan(200);
    await release();
    await holder.exited;
  });

  it('times out with LOCK_TIMEOUT naming the holder', async () => {
    const path = lockPath();
    const release1 = await acquireLock(path);
    const t0 = Date.now();
    const err = await acquireLock(path, { timeoutMs: 400, what: 'the build lock of this tree' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DaxlabError);
    expect((err as DaxlabError).code).toBe('LOCK_TIMEOUT');
    expect((err as DaxlabError).exitCode).toBe(69);
    expect((err as DaxlabError).message).toMatch(new RegExp(`waiting for the build lock of this tree, held by daxlab pid ${process.pid} on host`));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    await release1();
  });

  it('stops waiting at once when its signal aborts (Ctrl-C), leaving no flock process behind', async () => {
    const path = lockPath();
    const release1 = await acquireLock(path);
    const abort = new AbortController();
    const waiters = () => spawnSync('pgrep', ['-f', `flock -x -w [0-9.]+ -E 75 3$`]).stdout.toString().trim().split('\n').filter(Boolean);
    let waitingBefore: string[] = [];
    const waiting = acquireLock(path, {
      signal: abort.signal,
      onWait: () => setTimeout(() => ((waitingBefore = waiters()), abort.abort()), 200),
    });
    const t0 = Date.now();
    const err = await waiting.then(() => null, (e: unknown) => e);
    expect((err as DaxlabError).code).toBe('INTERRUPTED');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(waitingBefore.length).toBeGreaterThan(0);
    await sleep(50);
    expect(waiters().filter((pid) => waitingBefore.includes(pid))).toEqual([]);
    await release1();
    const release2 = await acquireLock(path, { timeoutMs: 1_000 });
    await release2();
  });

  it('shares a shared lock and keeps an exclusive one out while any shared holder remains', async () => {
    const path = lockPath();
    const a = await acquireLock(path, { shared: true });
    const b = await acquireLock(path, { shared: true, timeoutMs: 1_000 });
    expect(await tryLock(path)).toBeNull();
    await a();
    expect(await tryLock(path)).toBeNull();
    await b();
    const x = await tryLock(path);
    expect(x).not.toBeNull();
    expect(await tryLock(path, true)).toBeNull();
    await x!();
  });

  it('gives the lock to one holder at a time among concurrent acquirers in one process', async () => {
    const path = lockPath();
    let holders = 0;
    let maxHolders = 0;
    const worker = async () => {
      const release = await acquireLock(path);
      holders++;
      maxHolders = Math.max(maxHolders, holders);
      await sleep(2);
      holders--;
      await release();
    };
    await Promise.all(Array.from({ length: 8 }, () => worker().then(worker)));
    expect(maxHolders).toBe(1);
  });

  it('a waiter whose lock file was removed by the exclusive holder takes the lock on the new file', async () => {
    const path = lockPath();
    const release1 = await acquireLock(path);
    const second = acquireLock(path, { timeoutMs: 5_000 });
    await sleep(200);
    rmSync(path);
    await release1();
    const release2 = await second;
    expect(existsSync(path)).toBe(true);
    expect(await tryLock(path)).toBeNull();
    await release2();
  });

  it('fails when the parent directory does not exist', async () => {
    await expect(acquireLock('/nonexistent/dir/build.lock')).rejects.toThrow(/ENOENT/);
  });
});
