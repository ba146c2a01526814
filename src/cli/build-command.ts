// `daxlab build`: the kernel stage on its own; prints the cached image path.
import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernel, type BuildResult } from '../kernel/build.js';
import { cacheRoot } from '../kernel/cache-dir.js';
import type { Plan } from '../plan/types.js';
import { formatStageLine } from '../results/console.js';
import { prepareResultsDir } from './results-dir.js';

function rmdirIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or already gone
  }
}

/** Build (or fetch from the cache) the plan's kernel, with progress on stderr. */
export async function buildPlanKernel(
  plan: Plan,
  logDir: string,
  onProgress: (step: string) => void,
  signal?: AbortSignal,
): Promise<BuildResult> {
  return buildKernel(plan.kernel, {
    cacheRoot: cacheRoot(),
    logDir,
    timeoutMs: plan.timeouts.buildSec * 1000,
    onProgress,
    signal,
  });
}

/** Progress printer: "[  12.3s] build: step", at most one line per step change. */
export function progressPrinter(stream: NodeJS.WritableStream, stage: string): (step: string) => void {
  const start = Date.now();
  return (step) => stream.write(`${formatStageLine(Date.now() - start, stage, step)}\n`);
}

/** The `build` command body; returns the exit code. */
export async function buildCommand(plan: Plan, opts: { results?: string; json?: boolean }): Promise<number> {
  const resultsDir = prepareResultsDir(opts.results, plan.kernel.label);
  const r = await buildPlanKernel(plan, join(resultsDir, 'build'), progressPrinter(process.stderr, 'build'));
  // A cache hit writes no log: leave no empty directory behind.
  if (r.cached && opts.results === undefined) for (const d of [join(resultsDir, 'build'), resultsDir]) rmdirIfEmpty(d);
  const line = { image: r.artifact.image, key: r.artifact.key, cached: r.cached, seconds: Number(r.seconds.toFixed(2)) };
  if (opts.json) process.stdout.write(JSON.stringify(line) + '\n');
  else process.stdout.write(`${r.cached ? 'cached' : 'built'} in ${line.seconds} s: ${r.artifact.image}\n`);
  return 0;
}
