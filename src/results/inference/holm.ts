// Holm-Bonferroni correction of p-values for multiple comparisons (Holm 1979).
//
// Why Holm and not Benjamini-Hochberg: `compare` raises an alarm a maintainer acts on (exit 1), so
// the error to bound is "any false alarm in this comparison" (the family-wise error rate), not the
// expected share of false alarms among many (BH's false discovery rate). Holm bounds it under any
// dependence between the tests (a case's timings are correlated: raceMs and raceAfterPinMs move
// together), and is uniformly more powerful than plain Bonferroni.

/**
 * Holm-adjusted p-values, in the input's order: sort ascending, multiply the i-th smallest (0-based)
 * by (m - i), carry the running maximum, cap at 1. A hypothesis is rejected at level alpha when its
 * adjusted p-value is below alpha. NaN stays NaN and does not count in m.
 */
export function holmAdjust(pvalues: readonly number[]): number[] {
  const order = pvalues
    .map((p, i) => [p, i] as const)
    .filter(([p]) => !Number.isNaN(p))
    .sort((x, y) => x[0] - y[0]);
  const m = order.length;
  const out = pvalues.map(() => NaN);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    out[i] = running;
  });
  return out;
}
