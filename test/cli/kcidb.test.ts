// `daxlab report --kcidb` through the built CLI: the document of two runs validates against the
// v5.3 field rules; a bad origin and a missing input exit 2.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPEATS, writeRun } from './report-fixtures.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'daxlab-kcidb-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('daxlab report --kcidb', () => {
  it('writes a document that validates, with one checkout and build per kernel', async () => {
    writeRun(join(work, 'stock'), 'stock', '2026-12-01T02:00:00.000Z', 1);
    writeRun(join(work, 'seed'), 'seed', '2026-12-02T02:00:00.000Z', 2);
    const file = join(work, 'out', 'kcidb.json');
    const r = await execa('node', [CLI, 'report', join(work, 'stock'), join(work, 'seed'), '--kcidb', file, '--origin', 'daxlab_ci'], { reject: false });
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO, 'test', 'unit', 'results', 'kcidb-v5.3.schema.json'), 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(doc.checkouts).toHaveLength(2);
    expect(doc.builds.map((b: { id: string }) => b.id)).toEqual(['daxlab_ci:build-fedcba9876543210', 'daxlab_ci:build-0123456789abcdef']);
    expect(doc.tests).toHaveLength(2 * (8 * REPEATS + 3));
    const statuses = (kernel: string) => doc.tests.filter((t: { misc: { case: string }; id: string }) => t.id.includes(`/${kernel}/`)).map((t: { status: string }) => t.status);
    expect(statuses('seed').filter((s: string) => s === 'FAIL')).toHaveLength(4 * REPEATS);
    expect(new Set(statuses('stock'))).toEqual(new Set(['PASS', 'MISS', 'SKIP']));
  });

  it('a bad origin or a missing input exits 2', async () => {
    const bad = await execa('node', [CLI, 'report', join(work, 'stock'), '--kcidb', join(work, 'k.json'), '--origin', 'Bad'], { reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`--origin: KCIDB origin names are lower-case letters, digits and '_', got "Bad"`);
    const missing = await execa('node', [CLI, 'report', join(work, 'nope'), '--kcidb', join(work, 'k.json')], { reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`daxlab: error: no such results: ${join(work, 'nope')}`);
    const history = await execa('node', [CLI, 'history', join(work, 'nope')], { reject: false });
    expect(history.exitCode).toBe(2);
  });
});
