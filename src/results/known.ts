// Known issues: a plan's expected failures turn a matching fail into xfail and flag a matching pass as xpass.
import { globMatches } from '../plan/glob.js';
import { releaseInRanges } from '../plan/kernel-range.js';
import type { KnownIssue } from '../plan/types.js';
import type { CaseResult } from './types.js';

/**
 * The entries that apply to a kernel release: unscoped ones always, scoped ones (`kernels`) when the
 * release lies in one of their ranges. With no release known (null), only the unscoped ones.
 */
export function knownIssuesFor(known: readonly KnownIssue[], release: string | null): KnownIssue[] {
  return known.filter((k) => !k.kernels || (release !== null && releaseInRanges(release, k.kernels)));
}

/** The first entry whose case glob matches the id, if any. */
export function findKnownIssue(id: string, known: readonly KnownIssue[]): KnownIssue | undefined {
  return known.find((k) => globMatches(k.case, id));
}

/**
 * The result as reported given the known issues: fail -> xfail (reason prefixed "known issue: "),
 * pass -> xpass (reason says the entry may be stale), skip and error unchanged; a matched case
 * always carries the entry's reason and ref in `known`. Pure; an unmatched result is returned as is.
 */
export function applyKnownIssues(result: CaseResult, known: readonly KnownIssue[]): CaseResult {
  const k = findKnownIssue(result.id, known);
  if (!k) return result;
  const out: CaseResult = { ...result, known: { reason: k.reason, ref: k.ref } };
  if (result.status === 'fail') return { ...out, status: 'xfail', reason: `known issue: ${result.reason}` };
  if (result.status === 'pass') {
    const reason = `expected to fail (${k.reason}) but passed: remove the known-issue entry if it was fixed`;
    return { ...out, status: 'xpass', reason };
  }
  return out;
}
