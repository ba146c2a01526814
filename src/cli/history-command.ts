// `daxlab history DIR...`: many runs (results directories, or roots holding them) case by case:
// since when a case fails, its failure rate, its oracle timing's trend; --html writes the page.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../results/atomic.js';
import { formatRate } from '../results/case-groups.js';
import { formatMs, table } from '../results/fmt.js';
import { historyHtml, latestOutcome, sinceText } from '../results/html/history-page.js';
import { buildHistory, type History } from '../results/history.js';
import { findRunDirs, readRun } from '../results/inputs.js';
import { resultsIoError } from '../results/ioerror.js';

/** Pure: the text of a history: the runs, then one row per case. */
export function formatHistory(h: History): string[] {
  const out = [`History of ${h.runs.length} run${h.runs.length === 1 ? '' : 's'}:`];
  h.runs.forEach((r, i) => out.push(`  #${i + 1} ${r.summary.startedAt}  ${r.summary.kernel} (plan ${r.summary.plan})  ${r.source}`));
  const rows = [['case', 'latest', 'failing', 'failure rate', 'oracle timing median per run']];
  for (const c of h.cases) {
    const trend = c.timing ? `${c.timing}: ${c.runs.map((r) => (r?.median === undefined ? '-' : formatMs(r.median))).join(' -> ')}` : '-';
    rows.push([c.key, latestOutcome(c), sinceText(c, h) || '-', formatRate(c.rate), trend]);
  }
  out.push(...table(rows).map((l) => `  ${l}`));
  return out;
}

/** The `history` command body; always 0 (it reports, it does not judge). */
export function historyCommand(paths: string[], flags: { html?: string }): number {
  const runs = findRunDirs(paths).map(readRun).map((r) => ({ source: r.source, summary: r.summary, results: r.results }));
  const h = buildHistory(runs);
  for (const line of formatHistory(h)) process.stdout.write(`${line}\n`);
  if (flags.html) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(flags.html)), { recursive: true });
    } catch (err) {
      throw resultsIoError('create the directory of', flags.html, err);
    }
    writeFileAtomic(flags.html, historyHtml(h));
    process.stdout.write(`history: ${flags.html}\n`);
  }
  return 0;
}
