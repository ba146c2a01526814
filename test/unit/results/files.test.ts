import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readJsonReport, writeReports } from '../../../src/results/files.js';
import { countsOf, result, summary } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('writeReports / readJsonReport', () => {
  it('writes results.json, junit.xml and report.html atomically and reads the JSON back', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daxlab-files-'));
    dirs.push(root);
    const dir = path.join(root, 'run-1');
    const results = [result(), result({ id: 'b', status: 'fail', reason: 'x' })];
    const s = summary({}, countsOf(results));
    const paths = writeReports(dir, s, results);
    expect(paths).toEqual({ json: path.join(dir, 'results.json'), junit: path.join(dir, 'junit.xml'), html: path.join(dir, 'report.html') });
    expect(fs.readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'results.json']);
    expect(fs.readFileSync(paths.html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(fs.readFileSync(paths.junit, 'utf8')).toContain('<testsuite name="stock/pmem/ext4" tests="2" failures="1"');
    expect(JSON.parse(fs.readFileSync(paths.json, 'utf8')).schema).toBe('daxlab/1');
    expect(readJsonReport(paths.json)).toEqual({ summary: s, results });
    expect(readJsonReport(dir)).toEqual({ summary: s, results });
  });

  it('reports unreadable and unparsable files as RESULTS_IO', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daxlab-files-'));
    dirs.push(root);
    const bad = path.join(root, 'results.json');
    fs.writeFileSync(bad, '{"schema": "daxlab/1", "summ');
    expect(() => readJsonReport(bad)).toThrow(/cannot parse .*results\.json/);
    expect(() => readJsonReport(path.join(root, 'nope.json'))).toThrow(/nope\.json: ENOENT/);
  });
});
