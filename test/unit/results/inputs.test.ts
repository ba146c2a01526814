// Reading runs back: results directories, results.json, journals (a crashed run has no end event),
// roots holding many runs, and missing paths as usage errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { writeReports } from '../../../src/results/files.js';
import { findRunDirs, readRun } from '../../../src/results/inputs.js';
import { listLogs } from '../../../src/results/logs.js';
import { countsOf, result, summary } from './fixtures.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daxlab-inputs-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('readRun and findRunDirs', () => {
  const results = [result(), result({ id: 'b#1', status: 'flaky' })];
  const done = path.join(root, 'nightly', '1-done');
  writeReports(done, summary({}, countsOf(results)), results);
  fs.writeFileSync(path.join(done, 'serial.2.log'), '');
  fs.writeFileSync(path.join(done, 'serial.log'), '');
  const crashed = path.join(root, 'nightly', '2-crashed');
  fs.mkdirSync(crashed, { recursive: true });
  fs.writeFileSync(path.join(crashed, 'events.jsonl'), [
    JSON.stringify({ type: 'begin', plan: 'default', kernel: 'seed', cases: 2, startedAt: '2026-12-02T00:00:00.000Z' }),
    JSON.stringify({ type: 'case', result: result({ kernel: 'seed', status: 'fail' }) }),
    '{"type":"case","resu',
  ].join('\n'));

  it('reads a results directory, its results.json, and lists its logs', () => {
    const r = readRun(done);
    expect(r.results).toHaveLength(2);
    expect(r.dir).toBe(done);
    expect(r.logs).toEqual(['serial.log', 'serial.2.log']);
    expect(readRun(path.join(done, 'results.json')).summary.counts.flaky).toBe(1);
    expect(listLogs(path.join(root, 'nope'))).toEqual([]);
  });

  it('replays a crashed run: summary from its begin event and results, the torn line noted', () => {
    const r = readRun(crashed);
    expect(r.truncated).toBe(true);
    expect(r.summary).toMatchObject({ plan: 'default', kernel: 'seed', startedAt: '2026-12-02T00:00:00.000Z', exitCode: 1 });
    expect(r.summary.counts.fail).toBe(1);
  });

  it('finds every run under a root; a missing path or an empty root is a usage error (exit 2)', () => {
    expect(findRunDirs([path.join(root, 'nightly')])).toEqual([done, crashed]);
    expect(findRunDirs([done])).toEqual([done]);
    fs.mkdirSync(path.join(root, 'links'));
    fs.symlinkSync(done, path.join(root, 'links', 'run-1'));
    expect(findRunDirs([path.join(root, 'links')])).toEqual([path.join(root, 'links', 'run-1')]);
    const missing = (() => { try { readRun(path.join(root, 'nope')); } catch (e) { return e; } })() as DaxlabError;
    expect(missing).toBeInstanceOf(DaxlabError);
    expect(missing.exitCode).toBe(2);
    expect(missing.message).toBe(`no such results: ${path.join(root, 'nope')}`);
    fs.mkdirSync(path.join(root, 'empty'));
    expect(() => findRunDirs([path.join(root, 'empty')])).toThrow(/no runs under/);
    expect(() => readRun(path.join(root, 'empty'))).toThrow(/no such results/);
  });
});
