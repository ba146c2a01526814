// Cases across repeats: a case is its id without the `#repeat` suffix; its repeats (and a merged
// report's several kernels) are grouped here for failure rates, comparisons and history.
import type { CaseResult, CaseStatus } from './types.js';

/** The case id without its `#<repeat>` suffix: "ext4/pin-race/index=5,...#2" -> "ext4/pin-race/index=5,...". */
export function caseKey(id: string): string {
  return id.replace(/#\d+$/, '');
}

/** Where a result ran: its target, or 'local' (this machine) when none is recorded. */
export function targetOf(r: Pick<CaseResult, 'target'>): string {
  return r.target ?? 'local';
}

/** The results of one case on one kernel and target, in input order. */
export interface CaseGroup {
  key: string;
  kernel: string;
  target: string;
  results: CaseResult[];
}

/** Group results by kernel, target and case key, in order of first appearance. */
export function groupCases(results: readonly CaseResult[]): CaseGroup[] {
  const groups = new Map<string, CaseGroup>();
  for (const r of results) {
    const key = caseKey(r.id);
    const id = `${r.kernel}\0${targetOf(r)}\0${key}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, kernel: r.kernel, target: targetOf(r), results: [] }));
    g.results.push(r);
  }
  return [...groups.values()];
}

const PASSED: readonly CaseStatus[] = ['pass', 'xpass'];
const FAILED: readonly CaseStatus[] = ['fail', 'xfail'];

/** How often a case failed: repeats that failed at least once (fail, xfail, flaky) of those that reached a verdict. */
export interface FailureRate {
  failed: number;
  ran: number;
  /** failed / ran, NaN when nothing ran. */
  rate: number;
}

/** The first-attempt failure rate of a case's repeats (errors and skips reached no verdict and do not count). */
export function failureRate(results: readonly Pick<CaseResult, 'status'>[]): FailureRate {
  let failed = 0;
  let ran = 0;
  for (const r of results) {
    if (FAILED.includes(r.status) || r.status === 'flaky') failed++;
    if (FAILED.includes(r.status) || PASSED.includes(r.status) || r.status === 'flaky') ran++;
  }
  return { failed, ran, rate: ran > 0 ? failed / ran : NaN };
}

/** What a case did across its repeats, known issues aside. */
export type GroupOutcome = 'pass' | 'fail' | 'flaky' | 'error' | 'skip';

/**
 * One outcome for a case's repeats: `flaky` when it both failed and passed (across repeats, or within
 * one as a flaky result), `fail` when every repeat that reached a verdict failed, `pass` when every one
 * passed; with no verdict at all, `error` if some repeat errored, else `skip`.
 */
export function groupOutcome(results: readonly Pick<CaseResult, 'status'>[]): GroupOutcome {
  const statuses = results.map((r) => r.status);
  const failed = statuses.some((s) => FAILED.includes(s));
  const passed = statuses.some((s) => PASSED.includes(s));
  if (statuses.includes('flaky') || (failed && passed)) return 'flaky';
  if (failed) return 'fail';
  if (passed) return 'pass';
  return statuses.includes('error') ? 'error' : 'skip';
}

/** "2/3 (67%)", or "-" when nothing ran. */
export function formatRate(r: FailureRate): string {
  return r.ran === 0 ? '-' : `${r.failed}/${r.ran} (${Math.round(r.rate * 100)}%)`;
}
