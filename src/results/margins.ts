// Pure: how far each timing oracle's verdicts sat from its threshold, per workload: for every case
// whose waiting call was judged (timing returnAfterPinMs, recorded by every pin workload), the
// closest a passing call came to the early-return tolerance, and how early the failing ones were.
import { summarize, type Stats } from './stats.js';
import type { CaseResult } from './types.js';

/** One workload's oracle margins; times in ms after the pinned I/O's completion (negative: before). */
export interface OracleMargin {
  workload: string;
  /** Calls that passed (pass, xpass): when they returned. */
  passed: Stats;
  /** Calls that failed (fail, xfail): when they returned. */
  failed: Stats;
  /** How far the earliest passing return was from failing: passed.min + tolerance (ms). */
  headroomMs: number;
  /** The shortest time a passing call was seen asleep in the layout-break wait. */
  minWaitSeenMs: number;
}

/** Margins of every workload whose results carry returnAfterPinMs, sorted by workload. */
export function oracleMargins(results: CaseResult[], toleranceMs: number): OracleMargin[] {
  const by = new Map<string, { pass: number[]; fail: number[]; seen: number[] }>();
  for (const r of results) {
    const t = r.timings.returnAfterPinMs;
    if (typeof t !== 'number') continue;
    let g = by.get(r.workload);
    if (!g) by.set(r.workload, (g = { pass: [], fail: [], seen: [] }));
    if (r.status === 'pass' || r.status === 'xpass') {
      g.pass.push(t);
      if (typeof r.timings.waitSeenMs === 'number') g.seen.push(r.timings.waitSeenMs);
    } else if (r.status === 'fail' || r.status === 'xfail') g.fail.push(t);
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workload, g]) => {
    const passed = summarize(g.pass);
    return {
      workload,
      passed,
      failed: summarize(g.fail),
      headroomMs: passed.n > 0 ? Math.round((passed.min + toleranceMs) * 10) / 10 : NaN,
      minWaitSeenMs: g.seen.length > 0 ? Math.min(...g.seen) : NaN,
    };
  });
}

/** The margins as text lines for a report or a test log. */
export function formatMargins(ms: OracleMargin[], toleranceMs: number): string[] {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
  const lines = [`Oracle margins (returnAfterPinMs; a return more than ${toleranceMs} ms before the pin completed fails):`];
  for (const m of ms) {
    lines.push(
      `  ${m.workload}: ${m.passed.n} passed, returned ${f(m.passed.min)} .. ${f(m.passed.median)} (median) .. ${f(m.passed.max)} ms ` +
        `after the pin, headroom ${f(m.headroomMs)} ms, asleep in the wait >= ${f(m.minWaitSeenMs)} ms; ` +
        `${m.failed.n} failed, ${f(m.failed.min)} .. ${f(m.failed.max)} ms`,
    );
  }
  return lines;
}
