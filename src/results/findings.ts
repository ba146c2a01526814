// Pure: which kernel-log findings fail a run. A failing line logged while several cases ran at once
// (an overlap) is blamed on none of them; each is run again alone. When one of them, alone, logs the
// same line in its own window, the line is that case's, already judged there (fail, or xfail by a
// known issue): the overlap finding is explained and does not fail the run a second time. A line no
// re-run reproduces, and every finding outside all cases, fails the run.
import { shortenKernelLine } from './klog.js';
import type { CaseResult, KlogFinding } from './types.js';

type Judged = Pick<CaseResult, 'id' | 'kernel' | 'target' | 'klogMatches'>;

/** The case that, run alone, logged every line of an overlap finding; undefined when none did. */
export function explainingCase(f: KlogFinding, results: readonly Judged[]): string | undefined {
  if (f.phase !== 'overlap' || f.lines.length === 0) return undefined;
  const wanted = f.lines.map(shortenKernelLine);
  for (const r of results) {
    if (!(f.cases ?? []).includes(r.id)) continue;
    if (f.kernel !== undefined && (r.kernel !== f.kernel || (r.target ?? 'local') !== (f.target ?? 'local'))) continue;
    const own = new Set(r.klogMatches.map(shortenKernelLine));
    if (wanted.every((l) => own.has(l))) return r.id;
  }
  return undefined;
}

/** The findings that fail the run: all but overlap findings explained by a case run alone. */
export function failingFindings(findings: readonly KlogFinding[], results: readonly Judged[]): KlogFinding[] {
  return findings.filter((f) => explainingCase(f, results) === undefined);
}
