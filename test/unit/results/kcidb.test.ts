// The KCIDB document validated against a JSON Schema written from KCIDB I/O v5.3's field rules
// (kcidb-v5.3.schema.json, Ajv 8 with formats), and the status mapping.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldAttempts } from '../../../src/results/attempts.js';
import { kcidbStatus, MAX_EXCERPT, testPath, toKcidb } from '../../../src/results/kcidb.js';
import type { CaseResult } from '../../../src/results/types.js';
import { unrunResult } from '../../../src/run/case-result.js';
import { countsOf, result, summary } from './fixtures.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'kcidb-v5.3.schema.json'), 'utf8'));
const ajv = new Ajv({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const tc = { id: 'xfs/pin-race/index=5,pin=pread,race=truncate#1', fs: 'xfs' as const, workload: 'pin-race', params: { index: 5, pin: 'pread', race: 'truncate' }, repeat: 1, timeoutSec: 60 };
const results: CaseResult[] = [
  result({ timings: { pinMs: 500, raceAfterPinMs: 1.5, bogus: NaN } }),
  result({ id: 'ext4/pin-race/index=5,pin=pread,race=truncate#2', status: 'fail', reason: 'ftruncate returned 392 ms early', timings: { raceAfterPinMs: -392 }, klogMatches: ['WARNING: at fs/dax.c:397'] }),
  result({ id: 'k#1', status: 'xfail', known: { reason: '6.12 evicts pinned inodes', ref: 'v6.15' } }),
  result({ id: 'k#2', status: 'xpass', known: { reason: '6.12 evicts pinned inodes', ref: 'v6.15' } }),
  foldAttempts([result({ id: 'f#1', status: 'fail', reason: 'early' }), result({ id: 'f#1', status: 'pass' })]),
  result({ id: 'e#1', status: 'error', reason: 'delay device did not hold the pin' }),
  unrunResult(tc, { kernel: 'stock', backend: 'pmem' }, 'error', 'lost the ssh connection'),
  result({ id: 's#1', status: 'skip', reason: 'no virtio-fs DAX window', workload: 'register-buffers', params: {} }),
];
const sha = 'b'.repeat(64);
const run = {
  summary: summary({ kernels: [{ label: 'stock', source: 'debian linux-source-6.12 6.12.57-1', patches: ['fix.patch'], patchSha256: [sha], configs: ['base', 'pmem'], buildSeconds: 21.5, cacheKey: 'abc123', cached: false }] }, countsOf(results)),
  results,
};

describe('toKcidb', () => {
  const doc = toKcidb([run], 'daxlab');

  it('validates against the v5.3 field rules', () => {
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(doc.version).toEqual({ major: 5, minor: 3 });
    expect(JSON.stringify(doc)).not.toContain('null');
  });

  it('one checkout and build for the kernel, with its identity, patchset hash and configuration', () => {
    expect(doc.checkouts).toHaveLength(1);
    expect(doc.checkouts[0]).toMatchObject({
      origin: 'daxlab', comment: 'stock: debian linux-source-6.12 6.12.57-1 + fix.patch', valid: true,
      patchset_hash: createHash('sha256').update(`${sha}\n`).digest('hex'),
    });
    expect(doc.builds[0]).toMatchObject({ id: 'daxlab:build-abc123', checkout_id: doc.checkouts[0]!.id, architecture: 'x86_64', config_name: 'base+pmem', duration: 21.5, status: 'PASS' });
  });

  it('maps statuses: harness errors are MISS, the workload errors ERROR, flaky and xpass PASS with misc', () => {
    expect(doc.tests.map((t) => t.status)).toEqual(['PASS', 'FAIL', 'FAIL', 'PASS', 'PASS', 'ERROR', 'MISS', 'SKIP']);
    expect(doc.tests[2]!.misc).toMatchObject({ daxlab_status: 'xfail', known_issue: { reason: '6.12 evicts pinned inodes', ref: 'v6.15' } });
    expect(doc.tests[3]!.misc).toMatchObject({ daxlab_status: 'xpass', unexpected_pass: true });
    expect(doc.tests[4]!.misc).toMatchObject({ daxlab_status: 'flaky', flaky: true, attempts: [{ status: 'fail' }, { status: 'pass' }] });
    expect(doc.tests[6]!.misc).toMatchObject({ harness_error: true });
    expect(kcidbStatus({ status: 'error' })).toBe('ERROR');
  });

  it('paths, durations, excerpts, the oracle timing and the configuration', () => {
    const t = doc.tests[1]!;
    expect(t.path).toBe('daxlab.pin_race.ext4.index-5_pin-pread_race-truncate');
    expect(t.duration).toBe(0.52);
    expect(t.log_excerpt).toBe('ftruncate returned 392 ms early\nWARNING: at fs/dax.c:397');
    expect(t.number).toEqual({ value: -392, unit: 'ms' });
    expect(t.misc).toMatchObject({ case: 'ext4/pin-race/index=5,pin=pread,race=truncate#2', plan: 'smoke', params: { index: 5, pin: 'pread', race: 'truncate' } });
    expect(doc.tests[0]!.misc).toMatchObject({ timings_ms: { pinMs: 500, raceAfterPinMs: 1.5 } }); // NaN dropped
    expect(testPath({ workload: 'register-buffers', fs: 'xfs', params: {} })).toBe('daxlab.register_buffers.xfs');
    expect(testPath({ workload: 'w', fs: 'ext4', params: { 'a.b': 'x y' } })).toBe('daxlab.w.ext4.a_b-x_y');
  });

  it('cuts long excerpts to the 16384-character limit', () => {
    const long = toKcidb([{ summary: run.summary, results: [result({ klogMatches: Array.from({ length: 2000 }, () => 'x'.repeat(40)) })] }], 'daxlab');
    expect((long.tests[0]!.log_excerpt as string).length).toBeLessThanOrEqual(MAX_EXCERPT);
    expect(validate(long)).toBe(true);
  });

  it('a kernel without recorded identity still gets a checkout and a build; a bad origin is refused', () => {
    const old = toKcidb([{ summary: summary(), results: [result()] }], 'lab_1');
    expect(validate(old), JSON.stringify(validate.errors)).toBe(true);
    expect(old.checkouts[0]!.comment).toBe('stock: unknown (stock)');
    expect(() => toKcidb([run], 'Bad-Origin')).toThrow(RangeError);
  });

  it('the schema rejects what KCIDB rejects (so a pass above means something)', () => {
    const bad = structuredClone(doc);
    bad.tests[0]!.status = 'BROKEN';
    bad.tests[1]!.path = 'daxlab.pin-race/ext4';
    bad.tests[2]!.id = 'no-origin-prefix';
    bad.builds[0]!.extra = 1;
    expect(validate(bad)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath).sort();
    expect(paths).toEqual(['/builds/0', '/tests/0/status', '/tests/1/path', '/tests/2/id']);
  });
});
