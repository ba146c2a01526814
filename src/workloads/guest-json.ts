// Reading the one-line JSON results that the guest programs print, and small
// helpers for turning their raw numbers into report text.
import { constants } from 'node:os';
import type { GuestOutput } from './types.js';
import type { Verdict } from '../results/types.js';

/** A parsed result line: field name -> JSON value. */
export type ResultLine = Record<string, unknown>;

/** The last stdout line that is a JSON object, or null when there is none. */
export function parseResultLine(stdout: string): ResultLine | null {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const v: unknown = JSON.parse(lines[i]!);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as ResultLine;
    } catch {
      // not JSON: keep looking at earlier lines
    }
  }
  return null;
}

/** The last few non-empty lines of stderr, joined with " | " (empty when none). */
export function stderrTail(stderr: string, lines = 5): string {
  return stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0)
    .slice(-lines)
    .join(' | ');
}

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(constants.errno).map(([name, num]) => [num, name] as [number, string]),
);
// On Linux ENOTSUP and EOPNOTSUPP share 95; the kernel calls it EOPNOTSUPP.
ERRNO_NAMES.set(95, 'EOPNOTSUPP');

/** "EIO (5)" for a positive errno number, "errno 999" when unknown. */
export function errnoName(errno: number): string {
  const name = ERRNO_NAMES.get(Math.abs(errno));
  return name ? `${name} (${Math.abs(errno)})` : `errno ${errno}`;
}

/** Nanoseconds to milliseconds with one decimal. */
export function nsToMs(ns: number): number {
  return Math.round(ns / 1e5) / 10;
}

/** Integer fields of r by name; the names of missing or non-integer ones go to missing. */
export function intFields<K extends string>(
  r: ResultLine,
  names: readonly K[],
): { values: Record<K, number>; missing: K[] } {
  const values = {} as Record<K, number>;
  const missing: K[] = [];
  for (const n of names) {
    const v = r[n];
    if (typeof v === 'number' && Number.isInteger(v)) values[n] = v;
    else missing.push(n);
  }
  return { values, missing };
}

/** An 'error' verdict whose reason ends with the stderr tail when there is one. */
export function errorVerdict(
  reason: string,
  out: GuestOutput,
  timings: Record<string, number> = {},
): Verdict {
  const tail = stderrTail(out.stderr);
  return { status: 'error', reason: tail ? `${reason}; stderr: ${tail}` : reason, timings };
}

/**
 * The error of a timed oracle that could not decide: the pin was not held, the race started too late,
 * or the call was not seen waiting. It is evidence of nothing, so the runner runs the case again.
 */
export function inconclusiveVerdict(reason: string, out: GuestOutput, timings: Record<string, number> = {}): Verdict {
  return { ...errorVerdict(reason, out, timings), inconclusive: true };
}

/**
 * The checks every guest program result goes through before its oracle:
 * a timeout, no JSON line, a "skip" field (a skip verdict with its reason), an "error"
 * field, dax:false, a non-zero exit.
 * Returns the parsed line, or the 'error' verdict to report instead.
 */
export function checkResult(
  program: string,
  out: GuestOutput,
): { line: ResultLine } | { verdict: Verdict } {
  if (out.timedOut) return { verdict: errorVerdict(`${program} timed out`, out) };
  const line = parseResultLine(out.stdout);
  if (!line) {
    return { verdict: errorVerdict(`${program} printed no JSON result (exit ${out.exitCode})`, out) };
  }
  // A program that cannot run on this kernel says why ({"skip": "..."}): a skip, not an error.
  if (typeof line.skip === 'string') return { verdict: { status: 'skip', reason: line.skip, timings: {} } };
  if (typeof line.error === 'string') {
    const err = typeof line.errno === 'number' && line.errno > 0 ? `: ${errnoName(line.errno)}` : '';
    return { verdict: errorVerdict(`${program}: ${line.error}${err}`, out) };
  }
  if (line.dax === false) return { verdict: errorVerdict('file is not DAX', out) };
  if (out.exitCode !== 0) {
    return { verdict: errorVerdict(`${program} exited with ${out.exitCode}`, out) };
  }
  return { line };
}

/**
 * The integer fields ints of line, or the 'error' verdict "<program> result lacks ..." naming
 * the missing ones and then those of booleans that are not true or false.
 */
export function requireFields<K extends string>(
  program: string,
  line: ResultLine,
  ints: readonly K[],
  out: GuestOutput,
  booleans: readonly string[] = [],
): { values: Record<K, number> } | { verdict: Verdict } {
  const { values, missing } = intFields(line, ints);
  const lacking = [...missing, ...booleans.filter((k) => typeof line[k] !== 'boolean')];
  if (lacking.length > 0) return { verdict: errorVerdict(`${program} result lacks ${lacking.join(', ')}`, out) };
  return { values };
}
