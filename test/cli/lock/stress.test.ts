// The build lock under real contention: several node processes take it at once, round after round,
// each round starting from a lock left by a holder killed with SIGKILL. Every holder appends a
// "begin" and an "end" line to a shared journal while it holds the lock; two holders at once show
// up as a "begin" before the previous holder's "end". The victim's "begin" is closed by a "killed"
// line the test writes once the victim is dead (no worker is told to take the lock before that).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../kernel/fake-tree.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const LOCK_MODULE = join(REPO, 'dist', 'src', 'kernel', 'lock.js');
const WORKER = join(import.meta.dirname, 'worker.mjs');
const WORKERS = 6;
const ROUNDS = Number(process.env.LOCK_STRESS_ROUNDS ?? 30);

const work = tempDir('lockstress');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A worker process and the lines it printed, handed out in order. */
interface Worker {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<void>;
  send(cmd: string): void;
  next(): Promise<string>;
}

function startWorker(lock: string, journal: string): Worker {
  const child = spawn(process.execPath, [WORKER, LOCK_MODULE, lock, journal]);
  const lines: string[] = [];
  const waiting: Array<(l: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (l) => (waiting.length > 0 ? waiting.shift()!(l) : lines.push(l)));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    child,
    exited,
    send: (cmd) => child.stdin.write(`${cmd}\n`),
    next: () =>
      lines.length > 0
        ? Promise.resolve(lines.shift()!)
        : new Promise((res, rej) => {
            waiting.push(res);
            void exited.then(() => rej(new Error(`worker ${child.pid} exited: ${stderr}`)));
          }),
  };
}

/** Pure: the rounds in which a holder began while another still held the lock. */
export function overlappingRounds(journal: string): string[] {
  let holder: string | null = null;
  const bad = new Set<string>();
  for (const line of journal.split('\n').filter(Boolean)) {
    const [what, pid, round] = line.split(' ') as [string, string, string];
    if (what === 'begin') {
      if (holder !== null) bad.add(round);
      holder = pid;
    } else if ((what === 'end' || what === 'killed') && holder === pid) {
      holder = null;
    }
  }
  return [...bad];
}

describe('build lock: no two holders, starting from a lock whose holder was SIGKILLed', () => {
  it('the journal check itself sees an overlap', () => {
    expect(overlappingRounds('begin 1 a\nbegin 2 a\nend 1 a\nend 2 a\nbegin 3 b\nend 3 b\n')).toEqual(['a']);
    expect(overlappingRounds('begin 9 victim\nkilled 9 -\nbegin 1 c\nend 1 c\n')).toEqual([]);
  });

  it(`${WORKERS} processes, ${ROUNDS} rounds`, { timeout: 300_000 }, async () => {
    const lock = join(work, 'build.lock');
    const journal = join(work, 'journal');
    writeFileSync(journal, '');
    const workers = Array.from({ length: WORKERS }, () => startWorker(lock, journal));
    // Victims are started ahead of their round, so node's start-up is not on the round's clock.
    const spares = [startWorker(lock, journal), startWorker(lock, journal)];
    const started = Date.now();
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const victim = spares.shift()!;
        spares.push(startWorker(lock, journal));
        victim.send('hold');
        expect(await victim.next()).toBe('held');
        victim.child.kill('SIGKILL');
        await victim.exited;
        appendFileSync(journal, `killed ${victim.child.pid} -\n`);
        for (const w of workers) w.send(`go ${round}`);
        const done = Promise.all(workers.map((w) => w.next()));
        const stuck = new Promise<string>((r) => setTimeout(() => r('stuck'), 10_000).unref());
        const outcome = await Promise.race([done.then(() => 'done'), stuck]);
        if (outcome === 'stuck') throw new Error(`round ${round}: not every worker got the lock within 10 s (overlapping rounds so far: ${overlappingRounds(readFileSync(journal, "utf8")).join(", ") || "none"}); journal tail:\n${readFileSync(journal, 'utf8').split('\n').slice(-30).join('\n')}`);
      }
    } finally {
      for (const w of [...workers, ...spares]) w.child.kill('SIGKILL');
    }
    const text = readFileSync(journal, 'utf8');
    const bad = overlappingRounds(text);
    const begins = text.split('\n').filter((l) => l.startsWith('begin')).length;
    console.log(`lock stress: ${ROUNDS} rounds, ${begins} holds, ${bad.length} rounds with two holders, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(begins).toBe(ROUNDS * (WORKERS + 1));
    expect(bad).toEqual([]);
  });
});
