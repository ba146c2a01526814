// The run journal: events.jsonl, one JSON event per line, fsynced after each
// write so a crash loses no finished case; and its replay.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DaxlabError } from '../errors.js';
import { resultsIoError } from './ioerror.js';
import type { CaseResult, KlogFinding, RunEvent, RunSummary } from './types.js';

/** File name of the journal inside a results directory. */
export const EVENTS_FILE = 'events.jsonl';

// Write all of buf at the current append position (writeSync may write less).
function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** Append-only writer of `<dir>/events.jsonl`; every write is fsynced. */
export class EventLog {
  /** Absolute path of the journal file. */
  readonly path: string;
  private fd: number | undefined;

  constructor(dir: string) {
    this.path = path.resolve(dir, EVENTS_FILE);
    try {
      fs.mkdirSync(path.dirname(this.path), { recursive: true });
      this.fd = fs.openSync(this.path, 'a');
    } catch (err) {
      throw resultsIoError('open', this.path, err);
    }
  }

  /** Append one event as a JSON line and fsync it; throws DaxlabError RESULTS_IO on failure. */
  write(event: RunEvent): void {
    if (this.fd === undefined) throw new DaxlabError('RESULTS_IO', `cannot write ${this.path}: EBADF (log is closed)`);
    const buf = Buffer.from(`${JSON.stringify(event)}\n`, 'utf8');
    let size: number | undefined;
    try {
      size = fs.fstatSync(this.fd).size;
      writeAll(this.fd, buf);
      fs.fsyncSync(this.fd);
    } catch (err) {
      // Cut a torn line off again (a full disk may take half a line): the journal stays replayable.
      if (size !== undefined) {
        try {
          fs.ftruncateSync(this.fd, size);
        } catch {
          // read-only by now: replay drops a torn last line anyway
        }
      }
      throw resultsIoError('write', this.path, err);
    }
  }

  /** Close the file; later writes throw. Safe to call twice. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch (err) {
      throw resultsIoError('close', this.path, err);
    }
  }
}

/** What a journal replay recovers. */
export interface Replay {
  begin?: Extract<RunEvent, { type: 'begin' }>;
  stages: Array<Extract<RunEvent, { type: 'stage' }>>;
  results: CaseResult[];
  /** Kernel-log findings outside every case, in journal order. */
  findings: KlogFinding[];
  /** Present when the run finished and wrote its end event. */
  summary?: RunSummary;
  /** True when a torn last line (a crash mid-write) was dropped. */
  truncated: boolean;
}

function isEvent(v: unknown): v is RunEvent {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as { type?: unknown }).type;
  return t === 'begin' || t === 'stage' || t === 'case' || t === 'finding' || t === 'end';
}

/**
 * Replay journal text. A last line that does not parse is a torn write and is
 * dropped (truncated: true); a bad line before the last one is corruption and
 * throws RESULTS_IO. Unknown event types are skipped.
 */
export function parseEvents(text: string, file = EVENTS_FILE): Replay {
  const out: Replay = { stages: [], results: [], findings: [], truncated: false };
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] ?? '').trim() === '') last--;
  for (let i = 0; i <= last; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === last) {
        out.truncated = true;
        break;
      }
      throw new DaxlabError('RESULTS_IO', `cannot read ${file}: line ${i + 1} is not valid JSON`);
    }
    if (!isEvent(value)) continue;
    if (value.type === 'begin') out.begin = value;
    else if (value.type === 'stage') out.stages.push(value);
    else if (value.type === 'case') out.results.push(value.result);
    else if (value.type === 'finding') out.findings.push(value.finding);
    else out.summary = value.summary;
  }
  return out;
}

/** Read and replay `events.jsonl` at path; see parseEvents. */
export function readEvents(file: string): Replay {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw resultsIoError('read', file, err);
  }
  return parseEvents(text, file);
}
