// Reading runs back for compare, report and history: a results directory, a results.json or an
// events.jsonl journal; a path that does not exist is a usage error (exit 2) naming it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DaxlabError } from '../errors.js';
import { countStatuses, runExitCode } from '../run/exit-code.js';
import { readJsonReport, REPORT_FILES } from './files.js';
import { EVENTS_FILE, readEvents, type Replay } from './jsonl.js';
import { listLogs } from './logs.js';
import type { CaseResult, RunSummary } from './types.js';

/** One run read back, with where it came from. */
export interface RunInput {
  /** The path as given. */
  source: string;
  /** The results directory (for links to its logs), when the input was one or a file in one. */
  dir: string;
  summary: RunSummary;
  results: CaseResult[];
  /** Log files present in dir, relative to it: serial.log, serial.2.log, ..., build/build.log. */
  logs: string[];
  /** True when read from a journal whose last line was torn (a crash mid-write). */
  truncated?: boolean;
}

/** Pure: the summary of a replayed journal; a crashed run (no end event) gets one from its results. */
export function summaryFromReplay(replay: Replay, results: CaseResult[] = replay.results): RunSummary {
  const counts = countStatuses(results);
  const s = replay.summary;
  return {
    plan: s?.plan ?? replay.begin?.plan ?? 'merged',
    kernel: s?.kernel ?? replay.begin?.kernel ?? 'unknown',
    startedAt: s?.startedAt ?? replay.begin?.startedAt ?? new Date(0).toISOString(),
    durationMs: s?.durationMs ?? 0,
    counts,
    stages: s?.stages ?? {},
    accel: s?.accel ?? 'tcg',
    exitCode: runExitCode(results, replay.findings),
    ...(s?.kernels ? { kernels: s.kernels } : {}),
    ...(replay.findings.length > 0 ? { findings: replay.findings } : {}),
  };
}

function missing(p: string): DaxlabError {
  return new DaxlabError('USAGE', `no such results: ${p}`, [
    `expected a results directory (holding ${REPORT_FILES.json} or ${EVENTS_FILE}), a ${REPORT_FILES.json} or an ${EVENTS_FILE}`,
  ]);
}

/** Read one run: a results directory, a results.json or an events.jsonl. */
export function readRun(source: string): RunInput {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw missing(source);
  }
  let file = source;
  if (stat.isDirectory()) {
    const json = path.join(source, REPORT_FILES.json);
    const events = path.join(source, EVENTS_FILE);
    if (fs.existsSync(json)) file = json;
    else if (fs.existsSync(events)) file = events;
    else throw missing(source);
  }
  const dir = path.dirname(path.resolve(file));
  if (path.basename(file).endsWith('.jsonl')) {
    const replay = readEvents(file);
    return { source, dir, summary: summaryFromReplay(replay), results: replay.results, logs: listLogs(dir), truncated: replay.truncated };
  }
  const { summary, results } = readJsonReport(file);
  return { source, dir, summary, results, logs: listLogs(dir) };
}

/**
 * Results directories under each path: the path itself when it holds a run, else every directory
 * below it (to depth 3) that does. A path that does not exist, or holds no run at all, is a usage error.
 */
export function findRunDirs(paths: readonly string[]): string[] {
  const out: string[] = [];
  const holdsRun = (d: string) => fs.existsSync(path.join(d, REPORT_FILES.json)) || fs.existsSync(path.join(d, EVENTS_FILE));
  const walk = (d: string, depth: number, found: string[]) => {
    if (holdsRun(d)) return void found.push(d);
    if (depth === 0) return;
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((x, y) => x.name.localeCompare(y.name))) {
      const sub = path.join(d, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(sub, { throwIfNoEntry: false })?.isDirectory() === true);
      if (isDir) walk(sub, depth - 1, found);
    }
  };
  for (const p of paths) {
    if (!fs.existsSync(p)) throw missing(p);
    const found: string[] = [];
    if (fs.statSync(p).isDirectory()) walk(p, 3, found);
    else found.push(p);
    if (found.length === 0) throw new DaxlabError('USAGE', `no runs under ${p}`, [`expected directories holding ${REPORT_FILES.json} or ${EVENTS_FILE}`]);
    out.push(...found);
  }
  return out;
}
