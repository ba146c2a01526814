// Run the built CLI for real (node dist/src/cli/main.js) and read back its results.json.
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CaseResult, RunSummary } from '../../src/results/types.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

/** Run `daxlab <args>` with a fresh results dir; returns exit code, output and the parsed report. */
export async function daxlab(args: string[], timeoutMs = 3_000_000) {
  const results = mkdtempSync(join(tmpdir(), 'daxlab-test-'));
  const r = await execa('node', [CLI, ...args, '--results', results], { reject: false, timeout: timeoutMs, cwd: REPO, all: true });
  let report: { summary: RunSummary; results: CaseResult[] } | null = null;
  try {
    report = JSON.parse(readFileSync(join(results, 'results.json'), 'utf8'));
  } catch {
    report = null;
  }
  return { exitCode: r.exitCode, output: String(r.all ?? ''), report, results };
}
