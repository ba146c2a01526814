// The report's tables: counts by kernel, target and filesystem; failure rates per case; the
// filterable case table with kernel-log excerpts and links to the logs.
import { failureRate, formatRate, groupCases, targetOf } from '../case-groups.js';
import { formatMs, formatSecs } from '../fmt.js';
import { oracleTiming, oracleTimingName } from '../oracle-timings.js';
import { CASE_STATUSES, zeroCounts, type CaseResult, type CaseStatus } from '../types.js';
import { esc } from './escape.js';

/** A run's results with where its logs are, relative to the page. */
export interface LinkedResults {
  results: CaseResult[];
  /** Prefix from the page to the run's directory: '' or 'path/to/run/'. */
  linkBase: string;
  /** Log files in the run's directory (serial.log, serial.2.log, build/build.log). */
  logs: string[];
}

/** A status badge. */
export function badge(status: string): string {
  return `<span class="badge s-${esc(status)}">${esc(status.toUpperCase())}</span>`;
}

function cell(n: number): string {
  return `<td class="num${n === 0 ? ' zero' : ''}">${n}</td>`;
}

/** Counts per kernel, target and filesystem, with the share of case runs that failed at least once. */
export function summaryTable(results: readonly CaseResult[]): string {
  const groups = new Map<string, { kernel: string; target: string; fs: string; c: Record<CaseStatus, number>; rs: CaseResult[] }>();
  for (const r of results) {
    const key = `${r.kernel}\0${targetOf(r)}\0${r.fs}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kernel: r.kernel, target: targetOf(r), fs: r.fs, c: zeroCounts(), rs: [] }));
    g.c[r.status]++;
    g.rs.push(r);
  }
  const statuses = CASE_STATUSES.filter((s) => results.some((r) => r.status === s));
  const head = `<tr><th>kernel</th><th>target</th><th>fs</th>${statuses.map((s) => `<th>${badge(s)}</th>`).join('')}<th>failure rate</th></tr>`;
  const rows = [...groups.values()].map((g) =>
    `<tr><td>${esc(g.kernel)}</td><td>${esc(g.target)}</td><td>${esc(g.fs)}</td>${statuses.map((s) => cell(g.c[s])).join('')}` +
    `<td class="num">${esc(formatRate(failureRate(g.rs)))}</td></tr>`);
  return `<table class="summary"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Cases that failed in at least one repeat, worst first, with their statuses in order. */
export function failureRateTable(results: readonly CaseResult[]): string {
  const rows = groupCases(results)
    .map((g) => ({ g, rate: failureRate(g.results) }))
    .filter(({ rate }) => rate.failed > 0)
    .sort((x, y) => y.rate.rate - x.rate.rate || x.g.key.localeCompare(y.g.key))
    .map(({ g, rate }) =>
      `<tr><td>${esc(g.kernel)}</td><td>${esc(g.target)}</td><td>${esc(g.key)}</td><td class="num bad">${esc(formatRate(rate))}</td>` +
      `<td>${g.results.map((r) => badge(r.status)).join(' ')}</td></tr>`);
  if (rows.length === 0) return '<p class="note">No case failed in any repeat.</p>';
  return '<table class="rates"><thead><tr><th>kernel</th><th>target</th><th>case</th><th>failed</th><th>repeats</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`;
}

function link(href: string, text: string): string {
  return `<a href="${esc(href)}">${esc(text)}</a>`;
}

// The serial log of the boot the case ran in when known (a lost guest names it), else the run's first.
function logLinks(r: CaseResult, run: LinkedResults): string {
  const serials = run.logs.filter((l) => l.startsWith('serial'));
  const named = typeof r.details?.serialLog === 'string' && serials.includes(r.details.serialLog) ? r.details.serialLog : serials[0];
  const out = named ? [link(run.linkBase + named, named)] : [];
  if (run.logs.includes('build/build.log')) out.push(link(`${run.linkBase}build/build.log`, 'build.log'));
  return out.join(' ');
}

function reasonCell(r: CaseResult): string {
  const parts = [`<div>${esc(r.reason)}</div>`];
  if (r.known) parts.push(`<div class="note">known issue: ${esc(r.known.reason)} [${esc(r.known.ref)}]</div>`);
  if (r.attempts && r.attempts.length > 0) {
    const items = r.attempts.map((a) => `<li>${badge(a.status)} ${esc(formatMs(a.durationMs))} ${esc(a.reason)}</li>`);
    parts.push(`<details><summary>${r.attempts.length} attempts</summary><ol>${items.join('')}</ol></details>`);
  }
  if (r.klogMatches.length > 0) {
    const shown = r.klogMatches.slice(0, 60);
    const more = r.klogMatches.length > shown.length ? `\n... ${r.klogMatches.length - shown.length} more lines` : '';
    parts.push(`<details class="klog"><summary>kernel log (${r.klogMatches.length} line${r.klogMatches.length === 1 ? '' : 's'})</summary><pre>${esc(shown.join('\n') + more)}</pre></details>`);
  }
  return `<td class="reason">${parts.join('')}</td>`;
}

/** The case table, one row per case run, with its filter controls (see FILTER_SCRIPT). */
export function caseTable(runs: readonly LinkedResults[]): string {
  const all = runs.flatMap((run) => run.results.map((r) => ({ r, run })));
  const rows = all.map(({ r, run }) => {
    const timing = oracleTiming(r);
    const search = [r.id, r.kernel, targetOf(r), r.fs, r.workload, r.status, r.reason].join(' ').toLowerCase();
    return `<tr class="case" data-status="${esc(r.status)}" data-search="${esc(search)}">` +
      `<td>${badge(r.status)}</td><td class="id">${esc(r.id)}</td><td>${esc(r.kernel)}</td><td>${esc(targetOf(r))}</td><td>${esc(r.fs)}</td>` +
      reasonCell(r) +
      `<td class="num" title="${esc(oracleTimingName(r) ?? '')}">${timing === undefined ? '-' : esc(formatMs(timing))}</td>` +
      `<td class="num">${esc(formatSecs(r.durationMs))}</td><td>${logLinks(r, run)}</td></tr>`;
  });
  const present = CASE_STATUSES.filter((s) => all.some(({ r }) => r.status === s));
  const options = ['<option value="">every status</option>', ...present.map((s) => `<option value="${s}">${s}</option>`)].join('');
  return '<div class="filters"><input id="filter" type="search" placeholder="filter: words of the case id, fs, reason..." aria-label="filter cases"> ' +
    `<select id="status-filter" aria-label="status">${options}</select> <span id="shown">${all.length} of ${all.length} shown</span></div>` +
    '<table id="cases"><thead><tr><th>status</th><th>case</th><th>kernel</th><th>target</th><th>fs</th><th>reason</th>' +
    '<th>oracle timing</th><th>duration</th><th>logs</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`;
}
