// Run one bisect step: `daxlab run` of the watched cases on one commit, as a child process (its own
// results directory, the kernel cache shared, so a commit built once is never built again), and
// judge it with stepVerdict.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { fromJsonReport } from '../results/json.js';
import { stepVerdict, type StepVerdict } from './step-verdict.js';

/** What a step runs: the commit, the plan of the watched cases, and the kernel flags passed on. */
export interface StepInput {
  repo: string;
  sha: string;
  planFile: string;
  watched: string[];
  repeats: number;
  configs: string[];
  patches: string[];
  /** New directory for this step's results; its output goes to <dir>.log. */
  dir: string;
  signal?: AbortSignal;
}

/** Pure: the argv of `daxlab run` for a step (after the node binary and daxlab's main script). */
export function stepArgs(s: StepInput): string[] {
  return [
    'run', s.planFile, '--source', s.repo, '--ref', s.sha, '--label', s.sha.slice(0, 12),
    '--repeats', String(s.repeats), '--results', s.dir,
    ...s.configs.flatMap((c) => ['--config', c]),
    ...s.patches.flatMap((p) => ['--patch', p]),
  ];
}

/** Run the step and judge it. */
export async function runStep(s: StepInput): Promise<StepVerdict & { seconds: number }> {
  const t0 = Date.now();
  const log = createWriteStream(`${s.dir}.log`);
  const child = execa(process.execPath, [process.argv[1]!, ...stepArgs(s)], {
    reject: false, all: true, stdin: 'ignore', cancelSignal: s.signal, buffer: { all: true },
  });
  child.all?.pipe(log);
  const r = await child;
  await new Promise<void>((done) => log.end(done));
  const file = join(s.dir, 'results.json');
  const report = existsSync(file) ? fromJsonReport(JSON.parse(readFileSync(file, 'utf8')), file) : null;
  const v = stepVerdict(r.exitCode ?? 69, report, s.watched, String(r.all ?? ''));
  return { ...v, seconds: (Date.now() - t0) / 1000 };
}
