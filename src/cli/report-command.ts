// `daxlab report INPUT...`: rebuild results.json, junit.xml and report.html from journals or results
// (a crashed run, merged shards), and/or write report.html (--html) or a KCIDB document (--kcidb).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DaxlabError } from '../errors.js';
import { writeFileAtomic } from '../results/atomic.js';
import { writeReports } from '../results/files.js';
import { reportHtml, type ReportRun } from '../results/html/report-page.js';
import { readRun, type RunInput } from '../results/inputs.js';
import { resultsIoError } from '../results/ioerror.js';
import { ORIGIN_PATTERN, toKcidb } from '../results/kcidb.js';
import { formatSummary } from '../results/summary.js';
import type { KernelInfo, RunSummary } from '../results/types.js';
import { countStatuses, runExitCode } from '../run/exit-code.js';

/** Flags of `daxlab report`. */
export interface ReportFlags {
  out?: string;
  html?: string;
  kcidb?: string;
  origin?: string;
}

/** Default output directory when neither --html nor --kcidb is given. */
export const DEFAULT_REPORT_DIR = 'daxlab-report';

/** Pure: one summary over several runs (the first run's plan, kernel and times; counts and kernels over all). */
export function mergedSummary(runs: readonly Pick<RunInput, 'summary' | 'results'>[]): RunSummary {
  const results = runs.flatMap((r) => r.results);
  const first = runs[0]?.summary;
  const counts = countStatuses(results);
  const kernels = new Map<string, KernelInfo>();
  for (const r of runs) for (const k of r.summary.kernels ?? []) if (!kernels.has(k.label)) kernels.set(k.label, k);
  // Kernel-log findings outside every case fail the merged run too.
  const findings = runs.flatMap((r) => r.summary.findings ?? []);
  return {
    plan: first?.plan ?? 'merged',
    kernel: first?.kernel ?? 'unknown',
    startedAt: first?.startedAt ?? new Date().toISOString(),
    durationMs: first?.durationMs ?? 0,
    counts,
    stages: first?.stages ?? {},
    accel: first?.accel ?? 'tcg',
    exitCode: runExitCode(results, findings),
    ...(kernels.size > 0 ? { kernels: [...kernels.values()] } : {}),
    ...(findings.length > 0 ? { findings } : {}),
  };
}

// "" when the run's directory is the page's, else the relative path with a trailing slash.
function linkBase(pageFile: string, runDir: string): string {
  const rel = path.relative(path.dirname(path.resolve(pageFile)), runDir).split(path.sep).join('/');
  return rel === '' ? '' : `${rel}/`;
}

function writeFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  } catch (err) {
    throw resultsIoError('create the directory of', file, err);
  }
  writeFileAtomic(file, text);
}

/** The `report` command body; returns the exit code of the merged results. */
export function reportCommand(inputs: string[], flags: ReportFlags): number {
  const origin = flags.origin ?? 'daxlab';
  if (!ORIGIN_PATTERN.test(origin)) {
    throw new DaxlabError('USAGE', `--origin: KCIDB origin names are lower-case letters, digits and '_', got "${origin}"`);
  }
  const runs = inputs.map(readRun);
  for (const r of runs) if (r.truncated) process.stderr.write(`note: ${r.source} ends in a torn line (dropped)\n`);
  const summary = mergedSummary(runs);
  const results = runs.flatMap((r) => r.results);
  if (flags.html) {
    const pageRuns: ReportRun[] = runs.map((r) => ({ ...r, linkBase: linkBase(flags.html!, r.dir) }));
    writeFile(flags.html, reportHtml(pageRuns, runs.length === 1 ? `daxlab: ${summary.kernel} (${summary.plan})` : 'daxlab report'));
    process.stdout.write(`report:  ${flags.html}\n`);
  }
  if (flags.kcidb) {
    writeFile(flags.kcidb, `${JSON.stringify(toKcidb(runs, origin), null, 2)}\n`);
    process.stdout.write(`kcidb:   ${flags.kcidb}\n`);
  }
  if (flags.out !== undefined || (!flags.html && !flags.kcidb)) {
    const files = writeReports(flags.out ?? DEFAULT_REPORT_DIR, summary, results);
    for (const line of formatSummary(summary, results)) process.stdout.write(`${line}\n`);
    process.stdout.write(`results: ${files.json}\njunit:   ${files.junit}\nreport:  ${files.html}\n`);
  }
  return summary.exitCode;
}
