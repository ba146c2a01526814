// Comparison of two runs: per-case status transitions (a case's repeats taken together) and timing
// regressions judged by statistics (timing-compare.ts).
import { caseKey, failureRate, groupOutcome, type FailureRate, type GroupOutcome } from './case-groups.js';
import { compareTimings, DEFAULT_TIMING_SETTINGS, type TimingComparison, type TimingSettings } from './timing-compare.js';
import type { CaseResult, CaseStatus, RunSummary } from './types.js';

/** A run as stored in results.json. */
export interface RunData {
  summary: RunSummary;
  results: CaseResult[];
}

/**
 * How a case changed from run a to run b, over all its repeats (known issues aside: xfail counts as
 * a fail, xpass as a pass). A case is flaky when it both failed and passed (see groupOutcome).
 */
export type ChangeKind =
  | 'regressed' // passed (or was flaky) -> fails
  | 'fixed' // failed (or was flaky) -> passes
  | 'newly-flaky' // anything else -> flaky
  | 'changed' // any other change (involves skip or error)
  | 'still-failing'
  | 'still-flaky'
  | 'still-passing'
  | 'unchanged' // skip -> skip, error -> error
  | 'new' // only in b
  | 'missing'; // only in a

/** Order in which kinds are counted and listed: status changes first. */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  'regressed', 'fixed', 'newly-flaky', 'changed', 'still-failing', 'still-flaky', 'new', 'missing', 'unchanged', 'still-passing',
];

/** One side of a case: what its repeats did. */
export interface CaseSide {
  outcome: GroupOutcome;
  /** Statuses of its repeats, in order. */
  statuses: CaseStatus[];
  rate: FailureRate;
  /** The reason worth showing: the first failure's, else the first repeat's. */
  reason: string;
}

/** One case's transition. */
export interface CaseChange {
  /** The case id without `#repeat`. */
  id: string;
  kind: ChangeKind;
  a?: CaseSide;
  b?: CaseSide;
}

/** The result of compareRuns. */
export interface Comparison {
  a: { plan: string; kernel: string };
  b: { plan: string; kernel: string };
  cases: CaseChange[];
  counts: Record<ChangeKind, number>;
  timing: TimingComparison;
}

/** What a case did, known issues aside: xfail is a fail, xpass a pass. */
export function outcome(s: CaseStatus): CaseStatus {
  return s === 'xfail' ? 'fail' : s === 'xpass' ? 'pass' : s;
}

function classify(a: GroupOutcome, b: GroupOutcome): ChangeKind {
  if (b === 'flaky') return a === 'flaky' ? 'still-flaky' : 'newly-flaky';
  if (b === 'fail') return a === 'pass' || a === 'flaky' ? 'regressed' : a === 'fail' ? 'still-failing' : 'changed';
  if (b === 'pass') return a === 'fail' || a === 'flaky' ? 'fixed' : a === 'pass' ? 'still-passing' : 'changed';
  return a === b ? 'unchanged' : 'changed';
}

// Latest result per id (a resumed run's repeated id counts once), then grouped by case key.
function byCase(results: readonly CaseResult[]): Map<string, CaseResult[]> {
  const latest = new Map<string, CaseResult>();
  for (const r of results) latest.set(r.id, r);
  const out = new Map<string, CaseResult[]>();
  for (const r of latest.values()) {
    const key = caseKey(r.id);
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

function side(results: CaseResult[]): CaseSide {
  const failed = results.find((r) => ['fail', 'xfail', 'flaky'].includes(r.status));
  return {
    outcome: groupOutcome(results),
    statuses: results.map((r) => r.status),
    rate: failureRate(results),
    reason: (failed ?? results[0])?.reason ?? '',
  };
}

/** Compare run a (baseline) with run b, matching cases by id without `#repeat`. Cases keep a's order, then b's new ones. */
export function compareRuns(a: RunData, b: RunData, settings: TimingSettings = DEFAULT_TIMING_SETTINGS): Comparison {
  const ma = byCase(a.results);
  const mb = byCase(b.results);
  const cases: CaseChange[] = [];
  for (const [id, ra] of ma) {
    const rb = mb.get(id);
    const sa = side(ra);
    if (!rb) cases.push({ id, kind: 'missing', a: sa });
    else {
      const sb = side(rb);
      cases.push({ id, kind: classify(sa.outcome, sb.outcome), a: sa, b: sb });
    }
  }
  for (const [id, rb] of mb) if (!ma.has(id)) cases.push({ id, kind: 'new', b: side(rb) });
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const c of cases) counts[c.kind]++;
  return {
    a: { plan: a.summary.plan, kernel: a.summary.kernel },
    b: { plan: b.summary.plan, kernel: b.summary.kernel },
    cases,
    counts,
    timing: compareTimings(a.results, b.results, settings),
  };
}

/** compare's exit code: 1 on a regression (status or timing), 3 when the only news is newly flaky cases, else 0. */
export function comparisonExitCode(c: Comparison): number {
  if (c.counts.regressed > 0 || c.timing.regressions.length > 0) return 1;
  return c.counts['newly-flaky'] > 0 ? 3 : 0;
}
