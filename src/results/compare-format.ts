// Text of a comparison: status changes first (regressed, fixed, newly flaky, ...), then timing
// regressions with their shift and interval, then (verbose) every timing comparison made.
import { CHANGE_KINDS, type CaseSide, type Comparison } from './compare.js';
import { formatMs, table } from './fmt.js';
import type { TimingTest } from './timing-compare.js';

/** A p-value in at most 2 significant digits: "0.031", "4.2e-5". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '-';
  return p >= 0.001 ? String(Number(p.toPrecision(2))) : p.toExponential(1);
}

/** Milliseconds with an explicit sign: "+29.9 ms", "-392 ms". */
export function signedMs(ms: number): string {
  return ms > 0 ? `+${formatMs(ms)}` : formatMs(ms);
}

// "pass", "xfail", or with repeats "fail (3 of 3 repeats failed)", "flaky (1 of 3 repeats failed)".
function sideLabel(s: CaseSide | undefined): string {
  if (!s) return '-';
  const uniform = s.statuses.every((x) => x === s.statuses[0]);
  const base = uniform && s.statuses[0] ? s.statuses[0] : s.outcome;
  return s.statuses.length > 1 && s.rate.failed > 0 ? `${base} (${s.rate.failed} of ${s.rate.ran} repeats failed)` : base;
}

/** One timing comparison: case, timing, medians, shift with its interval, raw and corrected p, sample sizes. */
export function formatTimingTest(t: TimingTest): string {
  const level = Math.round(t.shift.level * 100);
  return (
    `${t.case}  ${t.timing}  ${formatMs(t.medianA)} -> ${formatMs(t.medianB)}  ` +
    `shift ${signedMs(t.shift.estimate)} [${level}% CI ${signedMs(t.shift.lower)}, ${signedMs(t.shift.upper)}]  ` +
    `p ${formatP(t.test.p)} (${t.test.method}), Holm ${formatP(t.pAdjusted)}  n ${t.test.n1}/${t.test.n2}`
  );
}

/** Text lines of a comparison; with verbose, every timing comparison as a table. */
export function formatComparison(c: Comparison, verbose = false): string[] {
  const out = [`Comparing ${c.a.kernel} (${c.a.plan}) -> ${c.b.kernel} (${c.b.plan})`];
  out.push(CHANGE_KINDS.filter((k) => c.counts[k] > 0).map((k) => `${c.counts[k]} ${k}`).join(', ') || 'no cases');
  for (const kind of CHANGE_KINDS) {
    if (kind === 'still-passing' || c.counts[kind] === 0) continue;
    out.push(`${kind}:`);
    for (const x of c.cases.filter((y) => y.kind === kind)) {
      const showB = x.b !== undefined && (x.b.outcome !== 'pass' || x.a === undefined);
      const reason = showB ? x.b?.reason : x.a?.reason;
      out.push(`  ${x.id}  ${sideLabel(x.a)} -> ${sideLabel(x.b)}${reason ? `  ${reason}` : ''}`);
    }
  }
  const t = c.timing;
  const s = t.settings;
  const rule = `Mann-Whitney U, Holm over ${t.tests.length} comparison${t.tests.length === 1 ? '' : 's'}, alpha ${s.alpha}, ` +
    `|shift| > ${formatMs(s.minShiftMs)}, ${Math.round((1 - s.alpha) * 100)}% bootstrap CI excluding 0`;
  if (t.regressions.length > 0) {
    out.push(`timing regressions (${rule}):`);
    for (const r of t.regressions) out.push(`  ${formatTimingTest(r)}  ${r.shift.estimate > 0 ? 'slower' : 'faster'}`);
  } else {
    out.push(`timing: no regression (${rule})`);
  }
  if (t.tooFewRepeats > 0) out.push(`timing: ${t.tooFewRepeats} case timing(s) with fewer than 2 repeats on a side were not tested`);
  if (t.powerNote) out.push(`note: ${t.powerNote}`);
  if (verbose && t.tests.length > 0) {
    const rows = [['case', 'timing', 'median a', 'median b', 'shift', 'CI', 'p', 'Holm', 'n']];
    for (const x of t.tests) {
      rows.push([
        x.case, x.timing, formatMs(x.medianA), formatMs(x.medianB), signedMs(x.shift.estimate),
        `[${signedMs(x.shift.lower)}, ${signedMs(x.shift.upper)}]`, formatP(x.test.p), formatP(x.pAdjusted), `${x.test.n1}/${x.test.n2}`,
      ]);
    }
    out.push('timing comparisons:', ...table(rows).map((l) => `  ${l}`));
  }
  return out;
}
