// Kernel log scanning: find lines that must fail a case (WARNING, BUG, KASAN, lockdep, hung
// task, ...) and apply them to a verdict. Cutting the log per case is in kmsg.ts.
import type { Verdict } from './types.js';

/** The class of a kernel log line that fails a case. */
export type KlogKind =
  | 'warning'
  | 'bug'
  | 'oops'
  | 'kasan'
  | 'lockdep'
  | 'hung-task'
  | 'soft-lockup'
  | 'rcu-stall'
  | 'bad-page'
  | 'panic'
  | 'list-corruption'
  | 'refcount'
  | 'ubsan';

/** Matched lines (trimmed, timestamp kept) and one kind per line, in log order. */
export interface KlogScan {
  matches: string[];
  kinds: KlogKind[];
}

// Leading decorations of a printk line: a /dev/kmsg record header ("4,12,345,-;"),
// a syslog priority ("<4>"), PRINTK_TIME ("[   1.234567]") and PRINTK_CALLER ("[  T123]").
const PREFIX = /^\s*(?:\d+,\d+,\d+,[^;]*;)?(?:<\d+>)?\s*(?:\[\s*\d+\.\d+\]\s*)?(?:\[\s*[TC]\d+\]\s*)?/;

/** The message part of a kernel log line, without timestamp and caller prefixes. */
export function klogMessage(line: string): string {
  return line.replace(PREFIX, '').trim();
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

// Lockdep and RCU-lockdep report headers ("WARNING: possible circular locking dependency detected").
const LOCKDEP = new RegExp(
  `^(?:WARNING|INFO): (?:${[
    'possible circular locking dependency',
    'possible recursive locking',
    'inconsistent lock state',
    'possible irq lock inversion',
    'bad unlock balance',
    'held lock freed',
    'lock held when returning',
    'suspicious RCU usage',
  ].join('|')})`,
);

// Ordered rules: the first rule whose pattern matches a message decides its kind,
// so specific reports (lockdep, KASAN, bad page) come before generic WARNING/BUG.
// Patterns are anchored at the start of the message so user text that merely
// mentions a word ("no warnings", "[Firmware Bug]") does not match.
const RULES: ReadonlyArray<readonly [RegExp, KlogKind]> = [
  [LOCKDEP, 'lockdep'],
  [/^(?:BUG: )?KASAN: /, 'kasan'],
  [/^kasan: bad access detected/, 'kasan'],
  [/^(?:watchdog: )?BUG: soft lockup\b/, 'soft-lockup'],
  [/^(?:rcu: )?(?:INFO: )?rcu_\w+ (?:self-)?detected (?:expedited )?stalls?\b/, 'rcu-stall'],
  [/^INFO: task .+ blocked for more than \d+ seconds/, 'hung-task'],
  [/^BUG: Bad (?:page state|page map|rss-counter state)\b/, 'bad-page'],
  [/^page dumped because: /, 'bad-page'],
  [/^list_(?:add|del) corruption\b/, 'list-corruption'],
  [/^refcount_t: /, 'refcount'],
  [/^UBSAN: /, 'ubsan'],
  [/^Kernel panic - not syncing\b/, 'panic'],
  [/^(?:Internal error: )?Oops(?::| -) /, 'oops'],
  [/^general protection fault\b/, 'oops'],
  [/^kernel BUG at /, 'bug'],
  [/^(?:watchdog: )?BUG: /, 'bug'],
  [/^WARNING: /, 'warning'],
];

/** The kind of a kernel log line that must fail a case, or undefined for a benign line. */
export function classifyKernelLine(line: string): KlogKind | undefined {
  const msg = klogMessage(line);
  for (const [re, kind] of RULES) if (re.test(msg)) return kind;
  return undefined;
}

/** Every line of a kernel log that must fail a case, with its kind. */
export function scanKernelLog(text: string): KlogScan {
  const matches: string[] = [];
  const kinds: KlogKind[] = [];
  for (const line of splitLines(text)) {
    const kind = classifyKernelLine(line);
    if (kind === undefined) continue;
    matches.push(line.trim());
    kinds.push(kind);
  }
  return { matches, kinds };
}

const MAX_SHORT = 160;

/**
 * A kernel log line shortened for a one-line reason: no timestamp, no
 * "CPU: n PID: n", no "+0x5d/0x70" offsets or ".constprop.0" clone suffixes.
 */
export function shortenKernelLine(line: string): string {
  let s = klogMessage(line)
    .replace(/^WARNING: CPU: \d+ PID: \d+ at /, 'WARNING at ')
    .replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+/gi, '')
    .replace(/(\w)(?:\.(?:constprop|isra|part|cold|llvm)(?:\.\d+)?)+\b/g, '$1')
    .replace(/\s+\[[\w-]+\]$/, '')
    .trim();
  if (s.length > MAX_SHORT) s = `${s.slice(0, MAX_SHORT - 3)}...`;
  return s;
}

/** A verdict after the kernel log was considered, and the lines to store in CaseResult.klogMatches. */
export interface KlogApplied {
  verdict: Verdict;
  klogMatches: string[];
}

/**
 * Apply a kernel log scan to a workload verdict. Any match means the kernel misbehaved, whatever
 * the workload concluded: a pass, a skip or an error becomes a fail whose reason names the first
 * match (a skip's or an error's own reason is kept after it); a fail keeps its reason. Matches are
 * always returned.
 */
export function applyKernelLog(verdict: Verdict, scan: KlogScan): KlogApplied {
  const klogMatches = [...scan.matches];
  const first = scan.matches[0];
  if (verdict.status === 'fail' || verdict.status === 'xfail' || first === undefined) return { verdict, klogMatches };
  const own = verdict.status === 'pass' ? '' : `; the workload itself reported ${verdict.status}: ${verdict.reason}`;
  return {
    verdict: { ...verdict, status: 'fail', reason: `kernel log: ${shortenKernelLine(first)}${own}` },
    klogMatches,
  };
}
