// Kernel version ranges of known issues (pure): "6.1" (any 6.1.x), ">=6.12 <6.15" (every
// comparator must hold), a list of such ranges (any one must hold), matched against a kernel
// release such as "6.1.192" or "6.15.0-rc3-00012-gabcdef".

/** One comparator: an operator and up to three version components. */
interface Comparator {
  op: '=' | '>=' | '>' | '<=' | '<';
  parts: number[];
}

const COMPARATOR_RE = /^(>=|<=|>|<|=)?(\d+(?:\.\d+){0,2})$/;
const RELEASE_RE = /^(\d+)\.(\d+)(?:\.(\d+))?/;

/** Pure: the problem with one range string, or null when every word is a comparator. */
export function rangeProblem(range: string): string | null {
  const words = range.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return 'expected a version range such as 6.1, >=6.12 or ">=6.12 <6.15"';
  const bad = words.find((w) => !COMPARATOR_RE.test(w));
  if (bad !== undefined) {
    return `'${bad}' is not a version comparator; expected a version (6.1, 6.12.3), optionally after =, >=, >, <= or <`;
  }
  return null;
}

function parseRange(range: string): Comparator[] {
  return range.trim().split(/\s+/).filter((w) => w !== '').map((w) => {
    const m = COMPARATOR_RE.exec(w)!;
    return { op: (m[1] ?? '=') as Comparator['op'], parts: m[2]!.split('.').map(Number) };
  });
}

/** Pure: major, minor, patch of a release string ("6.1.192-3-amd64" -> [6, 1, 192]), or null. */
export function releaseParts(release: string): number[] | null {
  const m = RELEASE_RE.exec(release.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

// Compare the release with the comparator's version on the components the comparator names
// (">=6.12" compares major and minor only, so 6.12.0 and 6.12.118 are both >= 6.12).
function compare(release: number[], parts: number[]): number {
  for (let i = 0; i < parts.length; i++) {
    const d = (release[i] ?? 0) - parts[i]!;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function holds(release: number[], c: Comparator): boolean {
  const d = compare(release, c.parts);
  switch (c.op) {
    case '=': return d === 0;
    case '>=': return d >= 0;
    case '>': return d > 0;
    case '<=': return d <= 0;
    case '<': return d < 0;
  }
}

/**
 * Pure: whether a release lies in any of the ranges. "6.1" and "=6.1" match every 6.1.x (not 6.12);
 * "<6.15" matches 6.14.x but no 6.15.x. A release that is not a version matches no range.
 */
export function releaseInRanges(release: string, ranges: readonly string[]): boolean {
  const parts = releaseParts(release);
  if (!parts) return false;
  return ranges.some((r) => rangeProblem(r) === null && parseRange(r).every((c) => holds(parts, c)));
}
