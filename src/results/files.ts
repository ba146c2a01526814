// Final report files in a results directory: results.json, junit.xml and report.html, written atomically.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DaxlabError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { resultsIoError } from './ioerror.js';
import { fromJsonReport, toJsonReport } from './json.js';
import { reportHtml } from './html/report-page.js';
import { toJUnit } from './junit.js';
import { listLogs } from './logs.js';
import type { CaseResult, RunSummary } from './types.js';

/** File names of the final reports inside a results directory. */
export const REPORT_FILES = { json: 'results.json', junit: 'junit.xml', html: 'report.html' } as const;

/** Write results.json, junit.xml and report.html into dir (created if needed); returns their paths. */
export function writeReports(dir: string, summary: RunSummary, results: CaseResult[]): { json: string; junit: string; html: string } {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw resultsIoError('create directory', dir, err);
  }
  const json = path.join(dir, REPORT_FILES.json);
  const junit = path.join(dir, REPORT_FILES.junit);
  writeFileAtomic(json, `${JSON.stringify(toJsonReport(summary, results), null, 2)}\n`);
  writeFileAtomic(junit, toJUnit(summary, results));
  const html = path.join(dir, REPORT_FILES.html);
  const page = reportHtml([{ summary, results, source: dir, linkBase: '', logs: listLogs(dir) }], `daxlab: ${summary.kernel} (${summary.plan})`);
  writeFileAtomic(html, page);
  return { json, junit, html };
}

/** Read a results.json (or a results directory holding one) back into summary and results. */
export function readJsonReport(file: string): { summary: RunSummary; results: CaseResult[] } {
  let target = file;
  let text: string;
  try {
    if (fs.statSync(target).isDirectory()) target = path.join(target, REPORT_FILES.json);
    text = fs.readFileSync(target, 'utf8');
  } catch (err) {
    throw resultsIoError('read', target, err);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DaxlabError('RESULTS_IO', `cannot parse ${target}: ${(err as Error).message}`);
  }
  return fromJsonReport(value, target);
}
