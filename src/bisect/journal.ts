// The bisect journal (bisect.jsonl in its results directory): the start record, then one line per
// judged step, appended and fsynced as each step ends, so an interrupted bisect resumes where it
// stopped (`daxlab bisect --resume DIR`) and judges no commit twice.
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { DaxlabError } from '../errors.js';
import type { StepVerdict } from './step-verdict.js';

/** What a bisect was asked, as the first journal line. */
export interface BisectStart {
  type: 'start';
  repo: string;
  good: string;
  bad: string;
  cases: string[];
  confidence: number;
  badRuns: number;
  configs: string[];
  patches: string[];
}

/** Why a commit was run: an endpoint, a bisection step, or the confirmation of the culprit. */
export type StepRole = 'bad-endpoint' | 'good-endpoint' | 'step' | 'confirm-culprit' | 'confirm-parent';

/** One judged run of one commit. */
export interface StepRecord extends StepVerdict {
  type: 'step';
  sha: string;
  role: StepRole;
  repeats: number;
  seconds: number;
  dir: string;
}

export type JournalLine = BisectStart | StepRecord;

/** Append one line and fsync it. */
export function appendJournal(file: string, line: JournalLine): void {
  appendFileSync(file, `${JSON.stringify(line)}\n`, { mode: 0o644 });
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Pure: the start record and steps of a journal's text; a torn last line (a crash mid-write) is dropped. */
export function parseJournal(text: string, file = 'bisect.jsonl'): { start: BisectStart; steps: StepRecord[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parsed: JournalLine[] = [];
  lines.forEach((l, i) => {
    try {
      parsed.push(JSON.parse(l) as JournalLine);
    } catch {
      if (i !== lines.length - 1) throw new DaxlabError('RESULTS_IO', `${file}:${i + 1}: not a JSON line`);
    }
  });
  const start = parsed[0];
  if (!start || start.type !== 'start') throw new DaxlabError('USAGE', `${file} has no start record: not a bisect journal`);
  return { start, steps: parsed.filter((p): p is StepRecord => p.type === 'step') };
}

/** Read a journal file (USAGE error when it does not exist). */
export function readJournal(file: string): { start: BisectStart; steps: StepRecord[] } {
  if (!existsSync(file)) throw new DaxlabError('USAGE', `no bisect journal at ${file}`);
  return parseJournal(readFileSync(file, 'utf8'), file);
}
