// The end-of-run summary as plain text lines: counts per fs and workload, key
// timings, failures, stage times, totals and the verdict line CI parses.
import { formatMs, table } from './fmt.js';
import { timingStats } from './stats.js';
import type { CaseResult, CaseStatus, RunSummary } from './types.js';

/** How many failed/errored cases the summary lists by id before eliding. */
export const MAX_LISTED_FAILURES = 20;

/** The verdict line, exactly `N passed, N failed, N skipped, N errors`. */
export function verdictLine(counts: Record<CaseStatus, number>): string {
  return `${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors`;
}

function countTable(results: CaseResult[]): string[] {
  const groups = new Map<string, { fs: string; workload: string; c: Record<CaseStatus, number> }>();
  for (const r of results) {
    const key = `${r.fs}\0${r.workload}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { fs: r.fs, workload: r.workload, c: { pass: 0, fail: 0, skip: 0, error: 0 } }));
    g.c[r.status]++;
  }
  const sorted = [...groups.values()].sort((a, b) => a.fs.localeCompare(b.fs) || a.workload.localeCompare(b.workload));
  const rows = [['fs', 'workload', 'pass', 'fail', 'skip', 'error']];
  for (const g of sorted) rows.push([g.fs, g.workload, ...[g.c.pass, g.c.fail, g.c.skip, g.c.error].map(String)]);
  return table(rows).map((l) => `  ${l}`);
}

function timingTable(results: CaseResult[]): string[] {
  const stats = Object.entries(timingStats(results));
  if (stats.length === 0) return [];
  const rows = [['timing', 'n', 'median', 'min', 'max']];
  for (const [key, s] of stats) rows.push([key, String(s.n), formatMs(s.median), formatMs(s.min), formatMs(s.max)]);
  return ['Timings (pass and fail cases):', ...table(rows).map((l) => `  ${l}`)];
}

function failureList(results: CaseResult[]): string[] {
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
  if (bad.length === 0) return [];
  const out = ['Failures and errors:'];
  for (const r of bad.slice(0, MAX_LISTED_FAILURES)) out.push(`  ${r.status === 'fail' ? 'FAIL' : 'ERROR'} ${r.id}: ${r.reason}`);
  if (bad.length > MAX_LISTED_FAILURES) out.push(`  ... and ${bad.length - MAX_LISTED_FAILURES} more`);
  return out;
}

/** Summary lines for the end of a run; the last line is the verdict line. */
export function formatSummary(summary: RunSummary, results: CaseResult[]): string[] {
  const out: string[] = [];
  if (results.length > 0) out.push('Results:', ...countTable(results));
  out.push(...timingTable(results));
  out.push(...failureList(results));
  const stages = Object.entries(summary.stages);
  if (stages.length > 0) out.push(`Stages: ${stages.map(([k, v]) => `${k} ${formatMs(v)}`).join(', ')}`);
  const total = summary.counts.pass + summary.counts.fail + summary.counts.skip + summary.counts.error;
  out.push(
    `Total: ${total} cases in ${formatMs(summary.durationMs)} (plan ${summary.plan}, kernel ${summary.kernel}, accel ${summary.accel})`,
  );
  out.push(verdictLine(summary.counts));
  return out;
}
