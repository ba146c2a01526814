import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DaxlabError } from '../../../src/errors.js';
import { EventLog, parseEvents, readEvents } from '../../../src/results/jsonl.js';
import { countsOf, result, summary } from './fixtures.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'daxlab-jsonl-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) {
    fs.chmodSync(d, 0o755);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe('EventLog', () => {
  it('appends one JSON line per event and replays them', () => {
    const dir = tmp();
    const log = new EventLog(dir);
    const r1 = result();
    const r2 = result({ id: 'xfs/pin-race/x#1', fs: 'xfs', status: 'fail', reason: 'no wait' });
    log.write({ type: 'begin', plan: 'smoke', kernel: 'stock', cases: 2 });
    log.write({ type: 'stage', stage: 'boot', message: 'booting' });
    log.write({ type: 'case', result: r1 });
    log.write({ type: 'case', result: r2 });
    const s = summary({}, countsOf([r1, r2]));
    log.write({ type: 'end', summary: s });
    log.close();
    log.close();
    const text = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8');
    expect(text.split('\n')).toHaveLength(6);
    const replay = readEvents(log.path);
    expect(replay.results).toEqual([r1, r2]);
    expect(replay.summary).toEqual(s);
    expect(replay.begin?.cases).toBe(2);
    expect(replay.stages).toEqual([{ type: 'stage', stage: 'boot', message: 'booting' }]);
    expect(replay.truncated).toBe(false);
  });

  it('appends to an existing journal and creates the directory', () => {
    const dir = path.join(tmp(), 'nested', 'run');
    const a = new EventLog(dir);
    a.write({ type: 'case', result: result() });
    a.close();
    const b = new EventLog(dir);
    b.write({ type: 'case', result: result({ id: 'two' }) });
    b.close();
    expect(readEvents(path.join(dir, 'events.jsonl')).results.map((r) => r.id)).toEqual([result().id, 'two']);
  });

  it('throws RESULTS_IO naming the file and errno when writing after close', () => {
    const log = new EventLog(tmp());
    log.close();
    expect(() => log.write({ type: 'stage', stage: 's', message: 'm' })).toThrow(DaxlabError);
  });

  it.skipIf(process.getuid?.() === 0)('throws RESULTS_IO with EACCES when the directory is not writable', () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o555);
    try {
      new EventLog(dir);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DaxlabError);
      expect((err as DaxlabError).code).toBe('RESULTS_IO');
      expect((err as DaxlabError).message).toContain(path.join(dir, 'events.jsonl'));
      expect((err as DaxlabError).message).toContain('EACCES');
    }
  });

  it.runIf(fs.existsSync('/dev/full'))('throws RESULTS_IO with ENOSPC when the disk is full', () => {
    const dir = tmp();
    fs.symlinkSync('/dev/full', path.join(dir, 'events.jsonl'));
    const log = new EventLog(dir);
    try {
      let caught: unknown;
      try {
        log.write({ type: 'case', result: result() });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DaxlabError);
      expect((caught as DaxlabError).code).toBe('RESULTS_IO');
      expect((caught as DaxlabError).message).toMatch(/events\.jsonl: ENOSPC/);
      expect((caught as DaxlabError).detail.join(' ')).toMatch(/full/);
    } finally {
      log.close();
    }
  });
});

describe('parseEvents / readEvents', () => {
  const line = (v: unknown) => `${JSON.stringify(v)}\n`;

  it('drops a torn last line and reports it', () => {
    const text = line({ type: 'case', result: result() }) + '{"type":"case","result":{"id":"ext4/pin';
    const replay = parseEvents(text);
    expect(replay.results).toHaveLength(1);
    expect(replay.truncated).toBe(true);
    expect(replay.summary).toBeUndefined();
  });

  it('accepts a complete last line without a newline', () => {
    const text = line({ type: 'case', result: result() }) + JSON.stringify({ type: 'case', result: result({ id: 'b' }) });
    expect(parseEvents(text)).toMatchObject({ truncated: false, results: [{}, { id: 'b' }] });
  });

  it('treats a bad line before the end as corruption', () => {
    const text = line({ type: 'case', result: result() }) + 'garbage\n' + line({ type: 'case', result: result() });
    expect(() => parseEvents(text, '/r/events.jsonl')).toThrow(/\/r\/events\.jsonl: line 2/);
  });

  it('skips blank lines and unknown events; an empty file replays as nothing', () => {
    expect(parseEvents('\n' + line({ type: 'future', x: 1 }) + line(42) + '\n\n')).toEqual({ stages: [], results: [], findings: [], truncated: false });
    expect(parseEvents('')).toEqual({ stages: [], results: [], findings: [], truncated: false });
  });

  it('throws RESULTS_IO naming a missing file', () => {
    expect(() => readEvents('/nonexistent/daxlab/events.jsonl')).toThrow(/\/nonexistent\/daxlab\/events\.jsonl: ENOENT/);
  });
});
