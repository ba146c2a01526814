// Run directories and their owner locks with real processes: a daxlab killed with SIGKILL leaves its
// run dir (and pmem file); the next sweep removes it, and never a live owner's.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tryLock } from '../../../src/kernel/lock.js';
import { createRunDir, runDirCandidates, sweepRunDirs } from '../../../src/run/run-dirs.js';
import { tempDir } from '../kernel/fake-tree.js';

const MODULE = resolve(import.meta.dirname, '..', '..', '..', 'dist', 'src', 'run', 'run-dirs.js');
const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function root(): string {
  const d = tempDir('rundirs');
  cleanup.push(d);
  return d;
}

// A node process that makes a run dir with a pmem file under `dir`, prints its path and stays.
async function ownerProcess(dir: string) {
  const script = `const { createRunDir } = await import(${JSON.stringify(MODULE)});
    const { writeFileSync } = await import('node:fs');
    const r = await createRunDir(${JSON.stringify(dir)});
    writeFileSync(r.path + '/pmem.img', Buffer.alloc(4096));
    console.log(r.path); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
  const path = await new Promise<string>((r) => child.stdout.on('data', (d: Buffer) => r(d.toString().trim())));
  return { child, path, exited: new Promise((r) => child.on('exit', r)) };
}

describe('run directories', () => {
  it('are private, named daxlab-run-*, and locked by their owner from the start', async () => {
    const r = root();
    const owned = await createRunDir(r);
    expect(owned.path).toMatch(/\/daxlab-run-[A-Za-z0-9]{6}$/);
    expect(statSync(owned.path).mode & 0o777).toBe(0o700);
    expect(await tryLock(join(owned.path, 'owner.lock'))).toBeNull();
    expect(await sweepRunDirs(r)).toEqual([]);
    await owned.release();
    rmSync(owned.path, { recursive: true });
  });

  it('left by an owner killed with SIGKILL are removed with their pmem file; a live owner keeps its own', async () => {
    const r = root();
    const dead = await ownerProcess(r);
    const live = await ownerProcess(r);
    expect(existsSync(join(dead.path, 'pmem.img'))).toBe(true);
    dead.child.kill('SIGKILL');
    await dead.exited;
    expect(await sweepRunDirs(r)).toEqual([dead.path]);
    expect(existsSync(dead.path)).toBe(false);
    expect(existsSync(join(live.path, 'pmem.img'))).toBe(true);
    live.child.kill('SIGKILL');
    await live.exited;
    expect(await sweepRunDirs(r)).toEqual([live.path]);
  });

  it('without an owner lock (older daxlab) are removed only after a day', async () => {
    const r = root();
    const old = join(r, 'daxlab-run-legacy');
    mkdirSync(old);
    writeFileSync(join(old, 'pmem.img'), '');
    expect(await sweepRunDirs(r)).toEqual([]);
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    expect(await sweepRunDirs(r)).toEqual([old]);
  });

  it('candidates are run dirs and half-made ones, nothing else', () => {
    expect(runDirCandidates(['daxlab-run-abc', 'daxlab-new-x', 'daxlab-results', 'other'])).toEqual(['daxlab-run-abc', 'daxlab-new-x']);
  });
});
