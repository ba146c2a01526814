// The timing-oracle plots: per workload, when the racing call returned relative to the pinned I/O's
// completion, one column of dots per kernel, with the tolerance line; and the history trend plots.
import { TOLERANCE_MS } from '../../workloads/pin-checks.js';
import type { History } from '../history.js';
import { ORACLE_TIMINGS, oracleTiming } from '../oracle-timings.js';
import type { CaseResult } from '../types.js';
import { esc } from './escape.js';
import { stripPlot, trendPlot, type RefLine } from './svg.js';

/** The reference lines of every oracle plot: the pin's completion (0) and the tolerance (-50 ms). */
export const ORACLE_LINES: RefLine[] = [
  { value: 0, label: 'pinned I/O completed', cls: 'zero-line' },
  { value: -TOLERANCE_MS, label: `tolerance -${TOLERANCE_MS} ms`, cls: 'tolerance' },
];

/** One strip plot per workload that recorded its oracle timing; kernels side by side. */
export function oraclePlots(results: readonly CaseResult[]): string {
  const workloads = [...new Set(results.map((r) => r.workload))].filter((w) => ORACLE_TIMINGS[w] !== undefined);
  const kernels = [...new Set(results.map((r) => r.kernel))];
  const plots: string[] = [];
  for (const w of workloads) {
    const timing = ORACLE_TIMINGS[w]!;
    const groups = kernels.map((k) => ({
      label: k,
      points: results
        .filter((r) => r.workload === w && r.kernel === k && oracleTiming(r) !== undefined)
        .map((r) => {
          const v = oracleTiming(r)!;
          return { value: v, cls: `s-${r.status}`, title: `${r.id} (${r.kernel}): ${v} ms, ${r.status}` };
        }),
    })).filter((g) => g.points.length > 0).map((g) => {
      const below = g.points.filter((p) => p.value < -TOLERANCE_MS).length;
      return { ...g, caption: `n = ${g.points.length}, ${below} below the tolerance` };
    });
    if (groups.length === 0) continue;
    plots.push(stripPlot({ id: w, title: `${w}: ${timing}`, unit: `ms after the pinned I/O completed`, groups, lines: ORACLE_LINES }));
  }
  if (plots.length === 0) return '<p class="note">No case recorded a timing-oracle value.</p>';
  return (
    '<p class="note">Each dot is one case run (repeats included), coloured by status (hover for the case). ' +
    `A racing call below the red line returned more than ${TOLERANCE_MS} ms before the pinned I/O completed: it did not wait.</p>` +
    `<div class="plots">${plots.join('')}</div>`
  );
}

// "#2 seed" for run i.
function runLabel(h: History, i: number): string {
  return `#${i + 1} ${h.runs[i]?.summary.kernel ?? ''}`;
}

/** One trend plot per workload: each case's median oracle timing per run. */
export function historyPlots(h: History): string {
  const plots: string[] = [];
  const xLabels = h.runs.map((_, i) => runLabel(h, i));
  for (const w of [...new Set(h.cases.filter((c) => c.timing).map((c) => c.workload))]) {
    const series = h.cases
      .filter((c) => c.workload === w && c.timing)
      .map((c) => ({
        label: c.key,
        points: c.runs.flatMap((r, i) =>
          r?.median === undefined ? [] : [{ x: i, y: r.median, title: `${c.key}, ${runLabel(h, i)}: median ${r.median} ms (${r.outcome})` }]),
      }));
    plots.push(trendPlot({ id: `history-${w}`, title: `${w}: median ${ORACLE_TIMINGS[w]} per run`, unit: 'ms after the pinned I/O completed', xLabels, series, lines: ORACLE_LINES }));
  }
  if (plots.length === 0) return '<p class="note">No case recorded a timing-oracle value.</p>';
  return `<p class="note">One line per case: the median over its repeats in each run (hover a line for its case).</p><div class="plots">${plots.join('')}</div>`;
}

/** The list of runs a history covers, as HTML. */
export function runList(h: History): string {
  const items = h.runs.map((r, i) =>
    `<li>#${i + 1} ${esc(r.summary.startedAt)}: ${esc(r.summary.kernel)} (plan ${esc(r.summary.plan)}), ${r.results.length} results, ${esc(r.source)}</li>`);
  return `<ol class="runs">${items.join('')}</ol>`;
}
