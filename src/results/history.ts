// History across many runs (nights): per case, since when it fails, how often it failed, and the
// trend of its oracle timing (the median over its repeats in each run). Pure.
import { caseKey, failureRate, groupOutcome, type FailureRate, type GroupOutcome } from './case-groups.js';
import { median } from './inference/bootstrap.js';
import { oracleTiming, ORACLE_TIMINGS } from './oracle-timings.js';
import type { CaseResult, RunSummary } from './types.js';

/** One run as history sees it. */
export interface HistoryRun {
  /** Where it was read from (a results directory). */
  source: string;
  summary: RunSummary;
  results: CaseResult[];
}

/** What one case did in one run. */
export interface CaseInRun {
  outcome: GroupOutcome;
  rate: FailureRate;
  /** Median of the oracle timing over the repeats that recorded it. */
  median?: number;
}

/** One case across the runs (runs are in time order; `runs[i]` is undefined where the case did not run). */
export interface CaseHistory {
  key: string;
  workload: string;
  /** The oracle timing's name, when the workload has one. */
  timing?: string;
  runs: Array<CaseInRun | undefined>;
  /** Over every run: repeats that failed at least once, of those that reached a verdict. */
  rate: FailureRate;
  /** When the latest run fails: the first run of the current failing streak, and whether it passed before that. */
  failingSince?: { run: number; afterPass: boolean };
  /** When the latest run passes but an earlier one failed: the last run that failed. */
  lastFailed?: number;
}

/** The runs in time order and every case seen in them. */
export interface History {
  runs: HistoryRun[];
  cases: CaseHistory[];
}

const FAILING: readonly GroupOutcome[] = ['fail', 'flaky'];

function streaks(c: Pick<CaseHistory, 'runs'>): Pick<CaseHistory, 'failingSince' | 'lastFailed'> {
  const seen = c.runs.map((r, i) => [r, i] as const).filter((x): x is readonly [CaseInRun, number] => x[0] !== undefined && x[0].outcome !== 'error' && x[0].outcome !== 'skip');
  const last = seen[seen.length - 1];
  if (!last) return {};
  if (FAILING.includes(last[0].outcome)) {
    let k = seen.length - 1;
    while (k > 0 && FAILING.includes(seen[k - 1]![0].outcome)) k--;
    return { failingSince: { run: seen[k]![1], afterPass: k > 0 } };
  }
  const failed = seen.filter(([r]) => FAILING.includes(r.outcome));
  return failed.length > 0 ? { lastFailed: failed[failed.length - 1]![1] } : {};
}

/** Build the history of runs (sorted by start time) case by case, cases in order of first appearance. */
export function buildHistory(input: readonly HistoryRun[]): History {
  const runs = [...input].sort((a, b) => a.summary.startedAt.localeCompare(b.summary.startedAt));
  const byCase = new Map<string, { workload: string; perRun: CaseResult[][] }>();
  runs.forEach((run, i) => {
    const latest = new Map<string, CaseResult>();
    for (const r of run.results) latest.set(r.id, r);
    for (const r of latest.values()) {
      const key = caseKey(r.id);
      let c = byCase.get(key);
      if (!c) byCase.set(key, (c = { workload: r.workload, perRun: runs.map(() => []) }));
      c.perRun[i]!.push(r);
    }
  });
  const cases = [...byCase].map(([key, c]): CaseHistory => {
    const perRun = c.perRun.map((rs): CaseInRun | undefined => {
      if (rs.length === 0) return undefined;
      const values = rs.map(oracleTiming).filter((v): v is number => v !== undefined);
      return { outcome: groupOutcome(rs), rate: failureRate(rs), ...(values.length > 0 ? { median: median(values) } : {}) };
    });
    const h: CaseHistory = { key, workload: c.workload, runs: perRun, rate: failureRate(c.perRun.flat()) };
    if (ORACLE_TIMINGS[c.workload] !== undefined && perRun.some((r) => r?.median !== undefined)) h.timing = ORACLE_TIMINGS[c.workload];
    return { ...h, ...streaks(h) };
  });
  return { runs, cases };
}
