import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../../src/kernel/lock.js';
import { tempDir } from './fake-tree.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A lock path inside a fresh temp dir.
function lockPath(): string {
  const dir = tempDir('lock');
  cleanup.push(dir);
  return join(dir, 'lock');
}

// The pid of a process that has already exited.
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('acquireLock', () => {
  it('creates the lock dir with our pid and removes it on release', async () => {
    const path = lockPath();
    const release = await acquireLock(path);
    expect(readFileSync(join(path, 'pid'), 'utf8')).toBe(String(process.pid));
    await release();
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });

  it('makes a second acquirer wait until the first releases', async () => {
    const path = lockPath();
    const release1 = await acquireLock(path);
    const waits: number[] = [];
    let got = false;
    const second = acquireLock(path, (pid) => waits.push(pid), 20).then((release) => {
      got = true;
      return release;
    });
    await sleep(200);
    expect(got).toBe(false);
    expect(waits).toEqual([process.pid]); // told once, not on every poll
    await release1();
    const release2 = await second;
    expect(got).toBe(true);
    expect(existsSync(join(path, 'pid'))).toBe(true);
    await release2();
  });

  it('waits for a lock held by another live process', async () => {
    const path = lockPath();
    const child = spawn('sh', ['-c', 'mkdir "$1" && echo $$ > "$1/pid" && sleep 0.4 && rm -rf "$1"', 'sh', path]);
    const exited = new Promise((r) => child.on('exit', r));
    while (!existsSync(join(path, 'pid')) || readFileSync(join(path, 'pid'), 'utf8') === '') await sleep(5);
    const waits: number[] = [];
    const release = await acquireLock(path, (pid) => waits.push(pid), 20);
    expect(waits).toEqual([child.pid]);
    expect(readFileSync(join(path, 'pid'), 'utf8')).toBe(String(process.pid));
    await release();
    await exited;
  });

  it('takes over a lock left by a dead process', async () => {
    const path = lockPath();
    mkdirSync(path);
    writeFileSync(join(path, 'pid'), String(deadPid()));
    let waited = false;
    const release = await acquireLock(path, () => (waited = true), 20);
    expect(waited).toBe(false);
    expect(readFileSync(join(path, 'pid'), 'utf8')).toBe(String(process.pid));
    await release();
  });

  it('takes over an empty lock dir (debris without a pid)', async () => {
    const path = lockPath();
    mkdirSync(path);
    const release = await acquireLock(path, undefined, 20);
    expect(readFileSync(join(path, 'pid'), 'utf8')).toBe(String(process.pid));
    await release();
  });

  it('gives the lock to one holder at a time among concurrent acquirers', async () => {
    const path = lockPath();
    let holders = 0;
    let maxHolders = 0;
    const worker = async () => {
      const release = await acquireLock(path, undefined, 5);
      holders++;
      maxHolders = Math.max(maxHolders, holders);
      await sleep(2);
      holders--;
      await release();
    };
    await Promise.all(Array.from({ length: 12 }, () => worker().then(worker)));
    expect(maxHolders).toBe(1);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });

  it('does not remove a lock that another owner holds by the time we release', async () => {
    const path = lockPath();
    const release = await acquireLock(path);
    writeFileSync(join(path, 'pid'), String(process.ppid));
    await release();
    expect(readFileSync(join(path, 'pid'), 'utf8')).toBe(String(process.ppid));
    expect(readdirSync(join(path, '..'))).toEqual(['lock']);
  });

  it('fails when the parent directory does not exist', async () => {
    await expect(acquireLock('/nonexistent/dir/lock')).rejects.toThrow(/ENOENT/);
  });
});
