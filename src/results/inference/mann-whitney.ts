// The Mann-Whitney U test (Wilcoxon rank-sum test) of two independent samples.
//
// U is the statistic of the first sample: its rank sum (average ranks for ties) minus n1(n1+1)/2,
// i.e. the number of pairs (x, y) with x > y, ties counting one half. This is R's W and SciPy's U1.
//
// p-value, as R's wilcox.test chooses it: without ties and with both samples under 50 values, the
// exact null distribution of U, counted (every assignment of ranks to the first sample is equally
// likely; the counts are the coefficients of the Gaussian binomial [n1+n2 choose n1]_q, built with
// exact BigInt arithmetic). Otherwise the normal approximation, with the tie-corrected variance
// n1 n2/12 * ((N+1) - sum(t^3 - t)/(N(N-1))) and a continuity correction of 1/2. A two-sided
// normal p-value is 1 when U is within 1/2 of its mean (R may report slightly less there).
import { normalCdf, normalSf } from './normal.js';

/** Which shift the test looks for: 'greater' means the first sample tends to be larger. */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** The outcome of one rank test. */
export interface RankTest {
  /** U of the first sample. */
  u: number;
  p: number;
  method: 'exact' | 'normal';
  n1: number;
  n2: number;
  /** True when some values are tied (the exact method is then not used). */
  ties: boolean;
}

export interface RankTestOptions {
  alternative?: Alternative;
  /** Force the method; default: exact when there are no ties and n1, n2 < 50. */
  exact?: boolean;
  /** Continuity correction for the normal approximation (default true). */
  continuity?: boolean;
}

/** Average ranks (1-based) of values, and the sizes of the groups of tied values. */
export function rank(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const avg = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = avg;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

const countCache = new Map<string, bigint[]>();

/**
 * How many of the C(n1+n2, n1) rank assignments give U = u, for u = 0..n1*n2: the coefficients of
 * prod_{i=1..n1} (1 - q^(n2+i)) / (1 - q^i). Each partial product is itself a polynomial
 * ([n2+k choose k]_q), so the division by (1 - q^i) is exact at every step.
 */
export function uCounts(n1: number, n2: number): bigint[] {
  const key = `${n1},${n2}`;
  const hit = countCache.get(key);
  if (hit) return hit;
  let c: bigint[] = [1n];
  for (let i = 1; i <= n1; i++) {
    const shift = n2 + i;
    const m = new Array<bigint>(c.length + shift).fill(0n);
    c.forEach((v, j) => {
      m[j] = m[j]! + v;
      m[j + shift] = m[j + shift]! - v;
    });
    const degree = i * n2;
    const d = new Array<bigint>(degree + 1).fill(0n);
    for (let j = 0; j <= degree; j++) d[j] = m[j]! + (j >= i ? d[j - i]! : 0n);
    c = d;
  }
  countCache.set(key, c);
  return c;
}

// Exact P(U <= u) and P(U >= u) for an integer u.
function exactTails(u: number, n1: number, n2: number): { lower: number; upper: number } {
  const counts = uCounts(n1, n2);
  let total = 0n;
  let below = 0n;
  let above = 0n;
  counts.forEach((c, k) => {
    total += c;
    if (k <= u) below += c;
    if (k >= u) above += c;
  });
  return { lower: Number(below) / Number(total), upper: Number(above) / Number(total) };
}

function normalP(u: number, n1: number, n2: number, tieSizes: number[], alt: Alternative, continuity: boolean): number {
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const tieTerm = tieSizes.reduce((s, t) => s + (t ** 3 - t), 0) / (n * (n - 1));
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  const cc = continuity ? 0.5 : 0;
  if (!(sd > 0)) return 1; // every value tied: no evidence either way
  if (alt === 'greater') return normalSf((u - mean - cc) / sd);
  if (alt === 'less') return normalCdf((u - mean + cc) / sd);
  return Math.min(1, 2 * normalSf(Math.max(Math.abs(u - mean) - cc, 0) / sd));
}

/** Mann-Whitney U test of samples a and b (non-finite values are dropped). */
export function mannWhitney(aIn: readonly number[], bIn: readonly number[], opts: RankTestOptions = {}): RankTest {
  const a = aIn.filter(Number.isFinite);
  const b = bIn.filter(Number.isFinite);
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitney needs at least one value in each sample');
  const { ranks, tieSizes } = rank([...a, ...b]);
  const r1 = ranks.slice(0, n1).reduce((s, r) => s + r, 0);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const ties = tieSizes.length > 0;
  const alt = opts.alternative ?? 'two-sided';
  const exact = opts.exact ?? (!ties && n1 < 50 && n2 < 50);
  if (!exact) return { u, p: normalP(u, n1, n2, tieSizes, alt, opts.continuity ?? true), method: 'normal', n1, n2, ties };
  // With ties U may be a half-integer; the exact tables are for untied data, so round toward the null.
  const { lower, upper } = exactTails(u > (n1 * n2) / 2 ? Math.floor(u) : Math.ceil(u), n1, n2);
  const p = alt === 'greater' ? upper : alt === 'less' ? lower : Math.min(1, 2 * Math.min(lower, upper));
  return { u, p, method: 'exact', n1, n2, ties };
}

/** The smallest two-sided p-value the test can give for these sample sizes (exact, untied data). */
export function minimumP(n1: number, n2: number): number {
  if (n1 >= 50 || n2 >= 50) return normalP(0, n1, n2, [], 'two-sided', true);
  const counts = uCounts(n1, n2);
  const total = counts.reduce((s, c) => s + c, 0n);
  return Math.min(1, (2 * Number(counts[0] ?? 0n)) / Number(total));
}
