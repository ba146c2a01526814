// Run one shard on this host: `daxlab run PLAN --cases FILE` as a child that dies with the worker
// (setpriv pdeathsig, so a SIGKILLed worker leaves no run and no QEMU behind), its journal followed
// so each case result leaves the host the moment it is written.
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { dyingWithUs } from '../host/parent-death.js';
import { EVENTS_FILE } from '../results/jsonl.js';
import type { RunEvent } from '../results/types.js';
import { JournalTail } from './journal-tail.js';

/** What one shard run needs. */
export interface ShardRunInput {
  planFile: string;
  /** Case names to run (<kernel>@<target>:<id>). */
  cases: string[];
  /** New directory for the cases file, the child's results and its output (run.log). */
  dir: string;
  /** Called for every journal event, in order, as the child writes it. */
  onEvent: (e: RunEvent) => Promise<void>;
  signal?: AbortSignal;
  pollMs?: number;
}

/** Pure: argv of the child run (after node and daxlab's main script). */
export function shardRunArgs(planFile: string, casesFile: string, resultsDir: string): string[] {
  return ['run', planFile, '--cases', casesFile, '--results', resultsDir];
}

/** Run the shard; resolves with the child's exit code and the tail of its output. */
export async function runShard(i: ShardRunInput): Promise<{ exitCode: number; tail: string }> {
  mkdirSync(i.dir, { recursive: true });
  const casesFile = join(i.dir, 'cases.txt');
  writeFileSync(casesFile, `${i.cases.join('\n')}\n`);
  const results = join(i.dir, 'results');
  const argv = dyingWithUs([process.execPath, process.argv[1]!, ...shardRunArgs(i.planFile, casesFile, results)], 'SIGTERM');
  const child = execa(argv[0]!, argv.slice(1), {
    reject: false, all: true, stdin: 'ignore', cancelSignal: i.signal, forceKillAfterDelay: 10_000, buffer: false,
  });
  const logFile = join(i.dir, 'run.log');
  const log = createWriteStream(logFile);
  child.all?.pipe(log);
  const tail = new JournalTail(join(results, EVENTS_FILE));
  let running = true;
  const follow = (async () => {
    do {
      for (const e of await tail.poll()) await i.onEvent(e);
      if (running) await new Promise((done) => setTimeout(done, i.pollMs ?? 300));
    } while (running);
    for (const e of await tail.poll()) await i.onEvent(e);
  })();
  follow.catch(() => undefined); // awaited below, once the child has ended; until then not unhandled
  const r = await child;
  running = false;
  await follow;
  await new Promise<void>((done) => log.end(done));
  const text = readFileSync(logFile, 'utf8');
  return { exitCode: r.exitCode ?? 69, tail: text.split('\n').slice(-12).join('\n') };
}
