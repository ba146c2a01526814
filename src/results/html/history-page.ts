// The history page (`daxlab history --html`): the runs, a table per case (since when it fails, its
// failure rate, its oracle timing's median per run) and the trend plots. Pure.
import { formatRate } from '../case-groups.js';
import { formatMs } from '../fmt.js';
import type { CaseHistory, History } from '../history.js';
import { page } from './assets.js';
import { esc } from './escape.js';
import { historyPlots, runList } from './plots.js';
import { badge } from './tables.js';

/** The latest outcome of a case, for the status filter: what it did in the last run it ran in. */
export function latestOutcome(c: CaseHistory): string {
  const runs = c.runs.filter((r) => r !== undefined);
  return runs[runs.length - 1]?.outcome ?? 'skip';
}

/** "since #3 seed (passed before)", "in every run", "last failed in #2", or "". */
export function sinceText(c: CaseHistory, h: History): string {
  const name = (i: number) => `#${i + 1} ${h.runs[i]?.summary.kernel ?? ''} (${h.runs[i]?.summary.startedAt ?? ''})`;
  if (c.failingSince) return c.failingSince.afterPass ? `since ${name(c.failingSince.run)}` : `in every run since ${name(c.failingSince.run)}`;
  if (c.lastFailed !== undefined) return `passes now; last failed in ${name(c.lastFailed)}`;
  return '';
}

function row(c: CaseHistory, h: History): string {
  const latest = latestOutcome(c);
  const trend = c.runs.map((r) => (r?.median === undefined ? '-' : formatMs(r.median))).join(' → ');
  const outcomes = c.runs.map((r) => (r ? badge(r.outcome) : '<span class="zero">-</span>')).join(' ');
  const search = [c.key, c.workload, latest, sinceText(c, h)].join(' ').toLowerCase();
  return `<tr class="case" data-status="${esc(latest)}" data-search="${esc(search)}"><td>${esc(c.key)}</td><td>${outcomes}</td>` +
    `<td>${esc(sinceText(c, h))}</td><td class="num">${esc(formatRate(c.rate))}</td>` +
    `<td>${c.timing ? `${esc(c.timing)}: ${esc(trend)}` : '-'}</td></tr>`;
}

/** The history page. */
export function historyHtml(h: History, title = 'daxlab history'): string {
  const statuses = [...new Set(h.cases.map(latestOutcome))];
  const options = ['<option value="">every outcome</option>', ...statuses.map((s) => `<option value="${esc(s)}">${esc(s)} in the latest run</option>`)];
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${h.runs.length} runs, ${h.cases.length} cases</p>`,
    runList(h),
    '<h2>Timing trend</h2>',
    historyPlots(h),
    '<h2>Cases</h2>',
    `<div class="filters"><input id="filter" type="search" placeholder="filter cases" aria-label="filter cases"> ` +
      `<select id="status-filter" aria-label="outcome">${options.join('')}</select> <span id="shown"></span></div>`,
    '<table id="cases"><thead><tr><th>case</th><th>per run</th><th>failing</th><th>failure rate</th><th>oracle timing median per run</th></tr></thead>',
    `<tbody>${h.cases.map((c) => row(c, h)).join('')}</tbody></table>`,
  ];
  return page(title, body.join('\n'));
}
