// The end-of-run summary as plain text lines: counts per fs and workload, key
// timings, failures, failure rates across repeats, stage times, totals and the verdict line CI parses.
import { failureRate, formatRate, groupCases } from './case-groups.js';
import { LOCAL_TARGET } from '../plan/defaults.js';
import { fullCaseName } from '../plan/select.js';
import { cellName } from '../run/cells.js';
import { formatMs, table } from './fmt.js';
import { timingStats } from './stats.js';
import { CASE_STATUSES, zeroCounts, type CaseResult, type CaseStatus, type KlogFinding, type RunSummary } from './types.js';
import { explainingCase } from './findings.js';

/** How many failed/errored cases the summary lists by id before eliding. */
export const MAX_LISTED_FAILURES = 20;

/** The verdict line, exactly `N passed, N failed, N skipped, N errors` (xfail and xpass are not in it). */
export function verdictLine(counts: Pick<Record<CaseStatus, number>, 'pass' | 'fail' | 'skip' | 'error'>): string {
  return `${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors`;
}

/** `known issues: N failed as expected, N passed unexpectedly`, or undefined when no case matched a known issue. */
export function knownLine(counts: Partial<Record<CaseStatus, number>>): string | undefined {
  const xfail = counts.xfail ?? 0; // a results.json from before known issues has neither count
  const xpass = counts.xpass ?? 0;
  if (xfail === 0 && xpass === 0) return undefined;
  return `known issues: ${xfail} failed as expected, ${xpass} passed unexpectedly`;
}

const cellOf = (r: CaseResult) => cellName({ kernel: r.kernel, target: r.target ?? LOCAL_TARGET });

/** Pure: whether results mix kernels or targets, so that each case must be named with its cell. */
export function mixesCells(results: readonly CaseResult[]): boolean {
  return new Set(results.map(cellOf)).size > 1;
}

// A case as the summary names it: "<kernel>@<target>:<id>" where cells mix, else its id.
const nameOf = (r: CaseResult, mixed: boolean) => (mixed ? fullCaseName(r) : r.id);

function countTable(results: CaseResult[], mixed: boolean): string[] {
  const groups = new Map<string, { cell: string; fs: string; workload: string; c: Record<CaseStatus, number> }>();
  for (const r of results) {
    const cell = mixed ? cellOf(r) : '';
    const key = `${cell}\0${r.fs}\0${r.workload}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { cell, fs: r.fs, workload: r.workload, c: zeroCounts() }));
    g.c[r.status]++;
  }
  const sorted = [...groups.values()];
  if (!mixed) sorted.sort((a, b) => a.fs.localeCompare(b.fs) || a.workload.localeCompare(b.workload));
  // The xfail/xpass columns appear only when some case matched a known issue.
  const statuses: CaseStatus[] = ['pass', 'fail', 'skip', 'error'];
  if (results.some((r) => r.status === 'xfail' || r.status === 'xpass')) statuses.push('xfail', 'xpass');
  if (results.some((r) => r.status === 'flaky')) statuses.push('flaky');
  const rows = [[...(mixed ? ['kernel@target'] : []), 'fs', 'workload', ...statuses]];
  for (const g of sorted) rows.push([...(mixed ? [g.cell] : []), g.fs, g.workload, ...statuses.map((s) => String(g.c[s]))]);
  return table(rows).map((l) => `  ${l}`);
}

function timingTable(results: CaseResult[]): string[] {
  const stats = Object.entries(timingStats(results));
  if (stats.length === 0) return [];
  const rows = [['timing', 'n', 'median', 'min', 'max']];
  for (const [key, s] of stats) rows.push([key, String(s.n), formatMs(s.median), formatMs(s.min), formatMs(s.max)]);
  return ['Timings (pass and fail cases):', ...table(rows).map((l) => `  ${l}`)];
}

function failureList(results: CaseResult[], mixed: boolean): string[] {
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
  if (bad.length === 0) return [];
  const out = ['Failures and errors:'];
  for (const r of bad.slice(0, MAX_LISTED_FAILURES)) out.push(`  ${r.status === 'fail' ? 'FAIL' : 'ERROR'} ${nameOf(r, mixed)}: ${r.reason}`);
  if (bad.length > MAX_LISTED_FAILURES) out.push(`  ... and ${bad.length - MAX_LISTED_FAILURES} more`);
  return out;
}

// Cases that matched a known issue and failed or passed: unexpected passes first, each with its reference.
function knownList(results: CaseResult[], mixed: boolean): string[] {
  const known = [
    ...results.filter((r) => r.status === 'xpass'),
    ...results.filter((r) => r.status === 'xfail'),
  ];
  if (known.length === 0) return [];
  const out = ['Known issues:'];
  for (const r of known.slice(0, MAX_LISTED_FAILURES)) {
    const ref = r.known ? ` [${r.known.ref}]` : '';
    out.push(`  ${r.status === 'xpass' ? 'XPASS' : 'XFAIL'} ${nameOf(r, mixed)}: ${r.reason}${ref}`);
  }
  if (known.length > MAX_LISTED_FAILURES) out.push(`  ... and ${known.length - MAX_LISTED_FAILURES} more`);
  return out;
}

/** Where a finding was logged, in words: "between a#1 and b#1", "during boot and setup", ... */
export function findingPlace(f: KlogFinding): string {
  if (f.phase === 'boot') return 'during boot and setup, before any case';
  if (f.phase === 'overlap') return `while ${(f.cases ?? []).join(', ')} ran at once (each is run again alone)`;
  if (f.phase === 'end') return f.after ? `after the last case of a boot (${f.after})` : 'at the end of a boot';
  return f.before ? `between ${f.after ?? 'setup'} and ${f.before}` : `after ${f.after ?? 'a case'}`;
}

/** A finding as text lines: where, then its kernel-log lines indented. */
export function findingLines(f: KlogFinding): string[] {
  const lost = f.lost ? `; ${f.lost} kernel-log record(s) lost` : '';
  const head = `KERNEL LOG outside any case, ${findingPlace(f)}${f.serialLog ? ` (${f.serialLog})` : ''}${lost}:`;
  return [head, ...f.lines.slice(0, 20).map((l) => `    ${l}`), ...(f.lines.length > 20 ? [`    ... and ${f.lines.length - 20} more`] : [])];
}

function findingList(findings: KlogFinding[] | undefined, results: CaseResult[]): string[] {
  if (!findings || findings.length === 0) return [];
  const explained = findings.map((f) => explainingCase(f, results));
  const failing = explained.filter((by) => by === undefined).length;
  const head = failing === findings.length ? 'each fails the run' : `${failing} fail the run; the others were logged again by a case run alone`;
  return [
    `Kernel-log findings outside cases (${findings.length}; ${head}):`,
    ...findings.flatMap((f, i) => {
      const by = explained[i];
      return [...findingLines(f), ...(by ? [`  explained: ${by}, run alone, logged it in its own window and was judged there`] : [])].map((l) => `  ${l}`);
    }),
  ];
}

/** `flaky: N cases failed, then passed when re-run`, or undefined when none was flaky. */
export function flakyLine(counts: Partial<Record<CaseStatus, number>>): string | undefined {
  const n = counts.flaky ?? 0;
  return n === 0 ? undefined : `flaky: ${n} case${n === 1 ? '' : 's'} failed, then passed when re-run`;
}

// Flaky cases with their attempts, then every case that failed in some but not all of its repeats.
function flakyList(results: CaseResult[], mixed: boolean): string[] {
  const out: string[] = [];
  const flaky = results.filter((r) => r.status === 'flaky');
  if (flaky.length > 0) out.push('Flaky (failed, then passed when re-run):');
  for (const r of flaky.slice(0, MAX_LISTED_FAILURES)) out.push(`  FLAKY ${nameOf(r, mixed)}: ${r.reason}`);
  if (flaky.length > MAX_LISTED_FAILURES) out.push(`  ... and ${flaky.length - MAX_LISTED_FAILURES} more`);
  const rates = groupCases(results)
    .filter((g) => g.results.length > 1)
    .map((g) => ({ g, rate: failureRate(g.results) }))
    .filter(({ rate }) => rate.failed > 0);
  if (rates.length > 0) out.push('Failure rate across repeats:');
  for (const { g, rate } of rates.slice(0, MAX_LISTED_FAILURES)) out.push(`  ${formatRate(rate)}  ${mixed ? `${cellName(g)}:` : ''}${g.key}`);
  if (rates.length > MAX_LISTED_FAILURES) out.push(`  ... and ${rates.length - MAX_LISTED_FAILURES} more`);
  return out;
}

/** Summary lines for the end of a run; the last line is the verdict line, the known-issues and flaky lines (if any) just before it. */
export function formatSummary(summary: RunSummary, results: CaseResult[]): string[] {
  const mixed = mixesCells(results);
  const out: string[] = [];
  if (results.length > 0) out.push('Results:', ...countTable(results, mixed));
  out.push(...timingTable(results));
  out.push(...failureList(results, mixed));
  out.push(...knownList(results, mixed));
  out.push(...findingList(summary.findings, results));
  out.push(...flakyList(results, mixed));
  const stages = Object.entries(summary.stages);
  if (stages.length > 0) out.push(`Stages: ${stages.map(([k, v]) => `${k} ${formatMs(v)}`).join(', ')}`);
  const total = CASE_STATUSES.reduce((sum, k) => sum + (summary.counts[k] ?? 0), 0);
  out.push(
    `Total: ${total} cases in ${formatMs(summary.durationMs)} (plan ${summary.plan}, kernel ${summary.kernel}, accel ${summary.accel}${summary.clocksource ? `, guest clocksource ${summary.clocksource}` : ''})`,
  );
  const known = knownLine(summary.counts);
  if (known !== undefined) out.push(known);
  const flaky = flakyLine(summary.counts);
  if (flaky !== undefined) out.push(flaky);
  out.push(verdictLine(summary.counts));
  return out;
}
