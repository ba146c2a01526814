// Run the built CLI for real (node dist/src/cli/main.js) and read back its results.json. The
// results dirs a test file makes are removed after it, unless one of its tests failed (they are
// then kept for reading, and named on stderr) or DAXLAB_KEEP_TEST_RESULTS is set.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { CaseResult, RunSummary } from '../../src/results/types.js';

const made: string[] = [];
let failed = false;
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true;
});
afterAll(() => {
  if (failed || process.env.DAXLAB_KEEP_TEST_RESULTS) {
    if (made.length > 0) process.stderr.write(`results kept: ${made.join(' ')}\n`);
    return;
  }
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export const REPO = resolve(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

/** Run `daxlab <args>` with a fresh results dir; returns exit code, output and the parsed report. */
export async function daxlab(args: string[], timeoutMs = 3_000_000) {
  const results = mkdtempSync(join(tmpdir(), 'daxlab-test-'));
  made.push(results);
  const r = await execa('node', [CLI, ...args, '--results', results], { reject: false, timeout: timeoutMs, cwd: REPO, all: true });
  let report: { summary: RunSummary; results: CaseResult[] } | null = null;
  try {
    report = JSON.parse(readFileSync(join(results, 'results.json'), 'utf8'));
  } catch {
    report = null;
  }
  return { exitCode: r.exitCode, output: String(r.all ?? ''), report, results };
}
