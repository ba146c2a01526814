// Comparison of two runs: per-case status transitions and timing median deltas.
import { formatMs, table } from './fmt.js';
import { timingStats, type Stats } from './stats.js';
import type { CaseResult, CaseStatus, RunSummary } from './types.js';

/** A run as stored in results.json. */
export interface RunData {
  summary: RunSummary;
  results: CaseResult[];
}

/**
 * How a case changed from run a to run b. Known issues only relabel an outcome, so xfail counts as
 * a fail and xpass as a pass here: fail -> xfail is still-failing, xfail -> xpass is fixed.
 */
export type ChangeKind =
  | 'regressed' // pass -> fail
  | 'fixed' // fail -> pass
  | 'changed' // any other status change (involves skip or error)
  | 'still-failing' // fail -> fail
  | 'still-passing' // pass -> pass
  | 'unchanged' // skip -> skip, error -> error
  | 'new' // only in b
  | 'missing'; // only in a

/** Order in which kinds are counted and listed. */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  'regressed', 'fixed', 'changed', 'still-failing', 'new', 'missing', 'unchanged', 'still-passing',
];

/** One case's transition. */
export interface CaseChange {
  id: string;
  kind: ChangeKind;
  a?: CaseStatus;
  b?: CaseStatus;
  reasonA?: string;
  reasonB?: string;
}

/** Median of one timing in both runs; delta = b - a, ratio = b / a (undefined when not computable). */
export interface TimingDelta {
  key: string;
  a?: Stats;
  b?: Stats;
  delta?: number;
  ratio?: number;
}

/** The result of compareRuns. */
export interface Comparison {
  a: { plan: string; kernel: string };
  b: { plan: string; kernel: string };
  cases: CaseChange[];
  counts: Record<ChangeKind, number>;
  timings: TimingDelta[];
}

/** What a case did, known issues aside: xfail is a fail, xpass a pass. */
export function outcome(s: CaseStatus): CaseStatus {
  return s === 'xfail' ? 'fail' : s === 'xpass' ? 'pass' : s;
}

function classify(sa: CaseStatus, sb: CaseStatus): ChangeKind {
  const a = outcome(sa);
  const b = outcome(sb);
  if (a === 'pass' && b === 'fail') return 'regressed';
  if (a === 'fail' && b === 'pass') return 'fixed';
  if (a !== b) return 'changed';
  if (a === 'pass') return 'still-passing';
  if (a === 'fail') return 'still-failing';
  return 'unchanged';
}

// Last result per id: a case id seen twice (a resumed run) counts once, latest wins.
function byId(results: CaseResult[]): Map<string, CaseResult> {
  const m = new Map<string, CaseResult>();
  for (const r of results) m.set(r.id, r);
  return m;
}

/** Compare run a (baseline) with run b, matching cases by id. Cases keep a's order, then b's new ones. */
export function compareRuns(a: RunData, b: RunData): Comparison {
  const ma = byId(a.results);
  const mb = byId(b.results);
  const cases: CaseChange[] = [];
  for (const [id, ra] of ma) {
    const rb = mb.get(id);
    if (!rb) cases.push({ id, kind: 'missing', a: ra.status, reasonA: ra.reason });
    else cases.push({ id, kind: classify(ra.status, rb.status), a: ra.status, b: rb.status, reasonA: ra.reason, reasonB: rb.reason });
  }
  for (const [id, rb] of mb) if (!ma.has(id)) cases.push({ id, kind: 'new', b: rb.status, reasonB: rb.reason });
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const c of cases) counts[c.kind]++;

  const sa = timingStats([...ma.values()]);
  const sb = timingStats([...mb.values()]);
  const keys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])].sort();
  const timings = keys.map((key): TimingDelta => {
    const ta = sa[key];
    const tb = sb[key];
    const d: TimingDelta = { key, a: ta, b: tb };
    if (ta && tb && Number.isFinite(ta.median) && Number.isFinite(tb.median)) {
      d.delta = tb.median - ta.median;
      if (ta.median !== 0) d.ratio = tb.median / ta.median;
    }
    return d;
  });
  return {
    a: { plan: a.summary.plan, kernel: a.summary.kernel },
    b: { plan: b.summary.plan, kernel: b.summary.kernel },
    cases,
    counts,
    timings,
  };
}

function signedMs(ms: number): string {
  return ms > 0 ? `+${formatMs(ms)}` : formatMs(ms);
}

/** Text lines of a comparison: counts, listed transitions (not the steady passes), timing medians. */
export function formatComparison(c: Comparison): string[] {
  const out = [`Comparing ${c.a.kernel} (${c.a.plan}) -> ${c.b.kernel} (${c.b.plan})`];
  out.push(CHANGE_KINDS.filter((k) => c.counts[k] > 0).map((k) => `${c.counts[k]} ${k}`).join(', ') || 'no cases');
  for (const kind of CHANGE_KINDS) {
    if (kind === 'still-passing' || c.counts[kind] === 0) continue;
    out.push(`${kind}:`);
    for (const x of c.cases.filter((y) => y.kind === kind)) {
      const arrow = `${x.a ?? '-'} -> ${x.b ?? '-'}`;
      const reason = x.b !== undefined && (outcome(x.b) !== 'pass' || x.a === undefined) ? x.reasonB : x.reasonA;
      out.push(`  ${x.id}  ${arrow}${reason ? `  ${reason}` : ''}`);
    }
  }
  if (c.timings.length > 0) {
    const rows = [['timing', 'median a', 'median b', 'delta']];
    for (const t of c.timings) {
      const delta = t.delta === undefined ? '-' : `${signedMs(t.delta)}${t.ratio === undefined ? '' : ` (x${t.ratio.toFixed(2)})`}`;
      rows.push([t.key, formatMs(t.a?.median ?? NaN), formatMs(t.b?.median ?? NaN), delta]);
    }
    out.push('Timings:', ...table(rows).map((l) => `  ${l}`));
  }
  return out;
}
