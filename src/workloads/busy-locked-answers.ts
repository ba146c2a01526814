// Pure: the answers of the busy-locked workload, and what is wrong with them. A DAX entry is locked while a fault, its writeback or
// memory-failure handling works on it. dax_layout_busy_page_range() must wait for such an entry
// (get_unlocked_entry(), fs/dax.c) and then check its page. If it skipped the entry, it would
// miss a pinned page and let a truncate free blocks that DMA still targets. The module locks the
// referenced page's entry for a while and asks the page's own range and the whole file.

import type { ResultLine } from './guest-json.js';

/** One locked answer: [entry_locked, early, asleep, found, pfn, index, mapped, wait_ms]. */
export type LockedAnswer = [locked: number, early: number, asleep: number, found: number, pfn: number, index: number, mapped: number, waitMs: number];

/** The phases of locked queries: while the page is referenced, and after the reference is dropped. */
export const LOCKED_PHASES = ['locked_pinned', 'locked_released'] as const;
const QUERIES = ['its own page range', 'dax_layout_busy_page() (whole file)'] as const;

function isLockedAnswer(a: unknown): a is LockedAnswer {
  return Array.isArray(a) && a.length === 8 && a.every((n) => Number.isInteger(n));
}

/** Pure: the locked answers of a result line, or what is wrong with them. */
export function lockedAnswersOf(line: ResultLine): Record<(typeof LOCKED_PHASES)[number], LockedAnswer[]> | string {
  const out = {} as Record<(typeof LOCKED_PHASES)[number], LockedAnswer[]>;
  for (const p of LOCKED_PHASES) {
    const a = line[p];
    if (!Array.isArray(a) || a.length !== QUERIES.length || !a.every(isLockedAnswer)) return `busyrange result has no ${QUERIES.length} locked answers for phase "${p}"`;
    out[p] = a;
  }
  return out;
}

/**
 * Pure: what is wrong with one locked answer. `inconclusive` when nothing was tested (no entry
 * to lock, or the scan was neither done nor asleep when the lock was dropped); `fail` when the
 * kernel broke the contract; null when it kept it.
 */
export function lockedProblem(
  a: LockedAnswer,
  query: number,
  phase: (typeof LOCKED_PHASES)[number],
  f: { index: number; pinPfn: number },
): { kind: 'fail' | 'inconclusive'; text: string } | null {
  const [locked, early, asleep, found, pfn, , mapped] = a;
  const name = `${QUERIES[query]} with page ${f.index}'s DAX entry locked`;
  if (locked !== 1) return { kind: 'inconclusive', text: `${name}: the module found no DAX entry to lock at page ${f.index}` };
  if (mapped !== 1) return { kind: 'inconclusive', text: `${name}: the file was not mapped (the scan was never exercised)` };
  const pinned = phase === 'locked_pinned';
  if (early === 1) {
    const what = found === 1 ? 'found a busy page' : pinned ? 'found no busy page though the page is referenced' : 'found no busy page';
    return { kind: 'fail', text: `${name} returned while the entry was still locked and ${what}: a locked entry must be waited for (get_unlocked_entry()), not skipped` };
  }
  if (asleep !== 1) return { kind: 'inconclusive', text: `${name}: the scan had neither returned nor gone to sleep when the entry was unlocked` };
  if (pinned && found !== 1) return { kind: 'fail', text: `${name}: after the unlock the scan found no busy page though page ${f.index} is referenced` };
  if (!pinned && found === 1) return { kind: 'fail', text: `${name}: after the unlock the scan reported a busy page (pfn ${pfn}) though the reference was dropped` };
  if (found === 1 && pfn !== f.pinPfn) return { kind: 'fail', text: `${name}: the scan returned pfn ${pfn}, not the referenced page's pfn ${f.pinPfn}` };
  return null;
}

/** Pure: every problem of the locked answers, failures first; plus the longest wait after an unlock. */
export function lockedProblems(
  answers: Record<(typeof LOCKED_PHASES)[number], LockedAnswer[]>,
  f: { index: number; pinPfn: number },
): { fails: string[]; inconclusive: string[]; maxWaitMs: number } {
  const found = LOCKED_PHASES.flatMap((p) => answers[p].map((a, q) => lockedProblem(a, q, p, f)));
  const all = LOCKED_PHASES.flatMap((p) => answers[p]);
  return {
    fails: found.flatMap((x) => (x?.kind === 'fail' ? [x.text] : [])),
    inconclusive: found.flatMap((x) => (x?.kind === 'inconclusive' ? [x.text] : [])),
    maxWaitMs: Math.max(...all.map((a) => a[7])),
  };
}
