// The JSON report (results.json): summary, timing stats and every case result.
import { DaxlabError } from '../errors.js';
import { timingStats, type Stats } from './stats.js';
import type { CaseResult, RunSummary } from './types.js';

/** Schema tag of results.json. */
export const REPORT_SCHEMA = 'daxlab/1';

/** Shape of results.json. */
export interface JsonReport {
  schema: typeof REPORT_SCHEMA;
  summary: RunSummary;
  stats: Record<string, Stats>;
  results: CaseResult[];
}

/** The JSON report object of a run (NaN stats serialize as null). */
export function toJsonReport(summary: RunSummary, results: CaseResult[]): JsonReport {
  return { schema: REPORT_SCHEMA, summary, stats: timingStats(results), results };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Check a parsed results.json and return its summary and results; throws RESULTS_IO naming the source. */
export function fromJsonReport(value: unknown, source = 'results.json'): { summary: RunSummary; results: CaseResult[] } {
  const bad = (why: string) => new DaxlabError('RESULTS_IO', `${source} is not a daxlab report: ${why}`);
  if (!isObject(value)) throw bad('not a JSON object');
  if (value.schema !== REPORT_SCHEMA) throw bad(`schema is ${JSON.stringify(value.schema)}, expected "${REPORT_SCHEMA}"`);
  if (!isObject(value.summary)) throw bad('summary missing');
  if (!Array.isArray(value.results)) throw bad('results missing');
  value.results.forEach((r, i) => {
    if (!isObject(r) || typeof r.id !== 'string' || typeof r.status !== 'string') throw bad(`results[${i}] has no id or status`);
  });
  const results = (value.results as Array<Record<string, unknown>>).map((r) => ({
    ...r,
    timings: isObject(r.timings) ? r.timings : {},
    klogMatches: Array.isArray(r.klogMatches) ? r.klogMatches : [],
  })) as unknown as CaseResult[];
  return { summary: value.summary as unknown as RunSummary, results };
}
