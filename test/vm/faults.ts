// Helpers for the fault-injection suite: start the real CLI in the background, watch its results
// directory, find the QEMU it started (by the run's results dir in QEMU's argv), check leftovers.
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { parseEvents, type Replay } from '../../src/results/jsonl.js';
import type { CaseResult, RunSummary } from '../../src/results/types.js';
import { CLI, REPO } from './cli-run.js';

export interface Started {
  child: ResultPromise<{ reject: false; all: true; cwd: string }>;
  results: string;
  startedAt: number;
  /** Every /tmp/daxlab-run-* dir seen in this run's QEMU argv so far. */
  runDirs: Set<string>;
  /** What daxlab printed so far (stdout and stderr). */
  output(): string;
}

// Results directories made by startDaxlab: removed after a passing test, kept for a failing one.
const made: string[] = [];
afterEach((ctx) => {
  const dirs = made.splice(0);
  if (ctx.task.result?.state === 'pass') for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Start `daxlab <args> --results <fresh dir>` without waiting for it. */
export function startDaxlab(args: string[], results = mkdtempSync(join(tmpdir(), 'daxlab-fault-'))): Started {
  made.push(results);
  const child = execa('node', [CLI, ...args, '--results', results], { reject: false, all: true, cwd: REPO });
  let out = '';
  child.all?.on('data', (d: Buffer) => (out += d.toString()));
  const started: Started = { child, results, startedAt: Date.now(), runDirs: new Set(), output: () => out };
  // Note every QEMU of the run while it lives, so leftovers can be checked by their run dirs.
  const poll = setInterval(() => void qemuOf(started).catch(() => undefined), 300);
  void child.finally(() => clearInterval(poll));
  return started;
}

/** Poll `check` every 100 ms until it returns a truthy value; throws after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs: number,
  run?: Started,
): Promise<NonNullable<Awaited<T>>> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run?.child.finally(() => (exited = true));
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<Awaited<T>>;
    if (exited) throw new Error(`daxlab exited while waiting for ${what}; it printed:\n${run!.output().slice(-3000)}`);
    if (Date.now() > deadline) {
      run?.child.kill('SIGTERM');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${run ? `; daxlab printed:\n${run.output().slice(-3000)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Command lines of live processes whose argv mentions `needle` (pgrep -af), excluding daxlab itself. */
export async function processesMentioning(needle: string): Promise<Array<{ pid: number; cmd: string }>> {
  const r = await execa('pgrep', ['-af', '--', needle], { reject: false });
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ pid: Number(l.split(' ')[0]), cmd: l.slice(l.indexOf(' ') + 1) }))
    .filter((p) => p.pid !== process.pid && !p.cmd.includes(CLI) && !p.cmd.startsWith('pgrep'));
}

/** QEMU processes of this run (its serial log path is in their argv); records their run dirs. */
export async function qemuOf(s: Started): Promise<Array<{ pid: number; cmd: string }>> {
  const found = (await processesMentioning(s.results)).filter((p) => /qemu-system/.test(p.cmd));
  for (const p of found) {
    const m = /daxlab\.run=(\S+)/.exec(p.cmd);
    if (m) s.runDirs.add(m[1]!);
  }
  return found;
}

/** The serial logs of the run (serial.log, serial.2.log, ...) concatenated. */
export function serialText(results: string): string {
  if (!existsSync(results)) return '';
  return readdirSync(results)
    .filter((f) => /^serial(\.\d+)?\.log$/.test(f))
    .sort()
    .map((f) => readFileSync(join(results, f), 'latin1'))
    .join('\n');
}

/** True once the guest logged the start of case `id` (run-case.sh writes it to the kernel log). */
export function caseBegan(results: string, id: string): boolean {
  return serialText(results).includes(`daxlab: begin ${id}`);
}

/** The replayed journal (events.jsonl must parse: no torn or corrupt line). */
export function journal(results: string): Replay {
  const replay = parseEvents(readFileSync(join(results, 'events.jsonl'), 'utf8'));
  expect(replay.truncated).toBe(false);
  return replay;
}

/** results.json, parsed. */
export function report(results: string): { summary: RunSummary; results: CaseResult[] } {
  return JSON.parse(readFileSync(join(results, 'results.json'), 'utf8'));
}

/** A case result by id, with a readable failure when it is missing. */
export function byId(results: CaseResult[], id: string): CaseResult {
  const r = results.find((c) => c.id === id);
  expect(r, `no result for ${id} in ${results.map((c) => c.id).join(', ')}`).toBeDefined();
  return r!;
}

/**
 * Nothing of the run is left: no process mentions its results dir or any of its run dirs, and the
 * run dirs (private keys) are gone. Call after the CLI exited.
 */
export async function expectNoLeftovers(s: Started): Promise<void> {
  const procs = [...(await processesMentioning(s.results))];
  for (const dir of s.runDirs) procs.push(...(await processesMentioning(dir)));
  expect(procs, 'processes outliving daxlab').toEqual([]);
  for (const dir of s.runDirs) expect(existsSync(dir), `run dir ${dir} left behind`).toBe(false);
}

/** The journal's case results and results.json agree (nothing lost between the two). */
export function expectJournalMatchesReport(results: string): { summary: RunSummary; results: CaseResult[] } {
  const j = journal(results);
  const r = report(results);
  expect(r.results.map((c) => `${c.id} ${c.status}`)).toEqual(j.results.map((c) => `${c.id} ${c.status}`));
  expect(j.summary?.exitCode).toBe(r.summary.exitCode);
  return r;
}
