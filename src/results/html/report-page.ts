// report.html: one self-contained page (no network) for one run or several merged: what ran, counts
// by kernel/target/fs, the timing-oracle plots, failure rates, the filterable case table, and with
// two or more runs the history plot. Pure: data in, HTML out.
import { buildHistory } from '../history.js';
import { formatMs } from '../fmt.js';
import type { RunSummary } from '../types.js';
import { page } from './assets.js';
import { esc } from './escape.js';
import { historyPlots, oraclePlots, runList } from './plots.js';
import { caseTable, failureRateTable, summaryTable, type LinkedResults } from './tables.js';

/** One run for the page: its results, where its logs are, and where it came from. */
export interface ReportRun extends LinkedResults {
  summary: RunSummary;
  source: string;
}

const EXIT_MEANING: Record<number, string> = {
  0: 'all passed', 1: 'a case failed', 2: 'usage error', 3: 'no failure, but flaky cases', 4: 'every case skipped',
  69: 'harness or host errors', 130: 'interrupted', 143: 'terminated',
};

function runHeader(run: ReportRun): string {
  const s = run.summary;
  const counts = Object.entries(s.counts).filter(([, n]) => (n ?? 0) > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'no cases';
  const logs = run.logs.map((l) => `<a href="${esc(run.linkBase + l)}">${esc(l)}</a>`).join('');
  const kernels = (s.kernels ?? []).map((k) =>
    `${esc(k.label)}: ${esc(k.source)}${k.patches.length ? `, patches ${esc(k.patches.join(', '))}` : ''}, fragments ${esc(k.configs.join(' '))}`).join('; ');
  return `<p class="meta"><b>${esc(s.kernel)}</b> (plan ${esc(s.plan)}), started ${esc(s.startedAt)}, ${esc(formatMs(s.durationMs))}, ` +
    `${esc(s.accel.toUpperCase())}, exit ${esc(s.exitCode)} (${esc(EXIT_MEANING[s.exitCode] ?? 'see README')}): ${esc(counts)}` +
    `${kernels ? `<br>kernel ${kernels}` : ''}${logs ? `<br>logs: ${logs}` : ''}</p>`;
}

/** The whole report page for one or more runs. */
export function reportHtml(runs: readonly ReportRun[], title = 'daxlab report'): string {
  const results = runs.flatMap((r) => r.results);
  const sections = [
    `<h1>${esc(title)}</h1>`,
    ...runs.map(runHeader),
    '<h2>Summary by kernel, target and filesystem</h2>',
    results.length > 0 ? summaryTable(results) : '<p class="note">No cases.</p>',
    '<h2 id="plots">Timing oracles</h2>',
    oraclePlots(results),
    '<h2>Failure rate per case</h2>',
    failureRateTable(results),
    '<h2>Cases</h2>',
    caseTable(runs),
  ];
  if (runs.length > 1) {
    const history = buildHistory(runs.map((r) => ({ source: r.source, summary: r.summary, results: r.results })));
    sections.push('<h2 id="history">History</h2>', runList(history), historyPlots(history));
  }
  return page(title, sections.join('\n'));
}
