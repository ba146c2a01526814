import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assembleResults, labSummary, notRunResult, writeLabResults } from '../../../src/lab/results.js';
import type { ShardState } from '../../../src/lab/status.js';
import { labRun } from './fixtures.js';
import type { CaseResult, KernelInfo, KlogFinding, RunEvent, RunSummary } from '../../../src/results/types.js';
import { result, summary } from '../results/fixtures.js';
import { tempDirs } from '../temp-dirs.js';

const tmp = tempDirs('daxlab-lab-results-');
const AT = '2025-03-04T05:06:07.000Z';

/** The stored result of a case name "<kernel>@<target>:<id>". */
function stored(name: string, over: Partial<CaseResult> = {}): CaseResult {
  const [, kernel, target, id] = /^([^@]+)@([^:]+):(.+)$/.exec(name)!;
  return result({ id: id!, kernel: kernel!, target: target!, ...over });
}

describe('notRunResult', () => {
  it('parses kernel, target, fs, workload, params and repeat from the name', () => {
    const r = notRunResult('patched@arm64:xfs/pin-race/index=5,pin=pread#3', 'pmem', 'not run: no worker ran it', AT);
    expect(r).toEqual({
      id: 'xfs/pin-race/index=5,pin=pread#3',
      kernel: 'patched',
      target: 'arm64',
      backend: 'pmem',
      fs: 'xfs',
      workload: 'pin-race',
      params: { index: 5, pin: 'pread' },
      repeat: 3,
      status: 'error',
      reason: 'not run: no worker ran it',
      timings: {},
      klogMatches: [],
      startedAt: AT,
      durationMs: 0,
      harnessError: true,
    });
  });

  it('reads "-" as no params and a multi-digit repeat', () => {
    const r = notRunResult('stock@local:ext4/idle/-#12', 'nullblk', 'x', AT);
    expect(r.params).toEqual({});
    expect(r.repeat).toBe(12);
    expect(r.workload).toBe('idle');
    expect(r.backend).toBe('nullblk');
  });

  it('keeps an id with ":" in a param value whole (the first ":" ends kernel@target)', () => {
    const r = notRunResult('k@t:ext4/w/dev=a:b#1', 'pmem', 'x', AT);
    expect([r.kernel, r.target, r.id]).toEqual(['k', 't', 'ext4/w/dev=a:b#1']);
    expect(r.params).toEqual({ dev: 'a:b' });
  });

  it('repeat is 1 when the id has no #n', () => {
    expect(notRunResult('k@t:ext4/w/-', 'pmem', 'x', AT).repeat).toBe(1);
  });
});

describe('assembleResults', () => {
  const names = ['k1@x:ext4/a/-#1', 'k1@x:ext4/b/-#1', 'k2@x:ext4/a/-#1', 'k1@y:ext4/a/-#1'];
  const run = labRun(names);

  it('returns stored results in plan order, whatever the order of the map', () => {
    const map = new Map([...names].reverse().map((n) => [n, stored(n)]));
    const out = assembleResults(run, map, [], true, AT);
    expect(out.map((r) => `${r.kernel}@${r.target}:${r.id}`)).toEqual(names);
    expect(out[0]).toBe(map.get(names[0]!));
  });

  it('leaves missing cases out while the run has not ended', () => {
    const map = new Map([names[3]!, names[1]!].map((n) => [n, stored(n)]));
    const out = assembleResults(run, map, [{ id: 's1', kernel: 'k1', target: 'x', state: 'failed', failedReason: 'boom' }], false, AT);
    expect(out.map((r) => `${r.kernel}@${r.target}:${r.id}`)).toEqual([names[1], names[3]]);
  });

  it('ignores results stored for names the run does not have', () => {
    const map = new Map([[names[0]!, stored(names[0]!)], ['zz@x:ext4/z/-#1', stored('zz@x:ext4/z/-#1')]]);
    expect(assembleResults(labRun([names[0]!]), map, [], false, AT)).toHaveLength(1);
  });

  it('when ended, a missing case is a harness error naming the failed shard that held it and the first line of its reason', () => {
    const held = labRun(names, { shards: [
      { id: 'smoke-0123456789ab-aaaa', kernel: 'k1', target: 'x', cases: [names[0]!, names[1]!] },
      { id: 'smoke-0123456789ab-bbbb', kernel: 'k2', target: 'x', cases: [names[2]!] },
      { id: 'smoke-0123456789ab-cccc', kernel: 'k1', target: 'y', cases: [names[3]!] },
    ] });
    const shards: ShardState[] = [
      { id: 'smoke-0123456789ab-aaaa', kernel: 'k1', target: 'x', state: 'completed' },
      { id: 'smoke-0123456789ab-bbbb', kernel: 'k2', target: 'x', state: 'failed', failedReason: 'guest died: kernel panic\n  at stack line 1\n  at line 2' },
      { id: 'smoke-0123456789ab-cccc', kernel: 'k1', target: 'y', state: 'failed' },
    ];
    const map = new Map([names[0]!, names[1]!].map((n) => [n, stored(n)]));
    const out = assembleResults(held, map, shards, true, AT);
    expect(out).toHaveLength(4);
    const k2 = out[2]!;
    expect(k2).toMatchObject({ id: 'ext4/a/-#1', kernel: 'k2', target: 'x', status: 'error', harnessError: true, backend: 'pmem', startedAt: AT });
    expect(k2.reason).toBe('not run: shard smoke-0123456789ab-bbbb failed: guest died: kernel panic');
    expect(out[3]!.reason).toBe('not run: shard smoke-0123456789ab-cccc failed: ?');
  });

  it('does not blame a failed shard that did not hold the case; with none, says no worker ran it', () => {
    const shards: ShardState[] = [
      { id: 's-k1x', kernel: 'k1', target: 'x', state: 'failed', failedReason: 'k1 broke' },
      { id: 's-k2x', kernel: 'k2', target: 'x', state: 'completed' },
    ];
    const run2 = labRun(['k2@x:ext4/a/-#1', 'k1@y:ext4/a/-#1'], { shards: [
      { id: 's-k1x', kernel: 'k1', target: 'x', cases: ['k1@x:ext4/b/-#1'] },
      { id: 's-k2x', kernel: 'k2', target: 'x', cases: ['k2@x:ext4/a/-#1'] },
    ] });
    const out = assembleResults(run2, new Map(), shards, true, AT);
    expect(out.map((r) => r.reason)).toEqual(['not run: no worker ran it', 'not run: no worker ran it']);
    expect(out.every((r) => r.status === 'error' && r.harnessError === true)).toBe(true);
  });

  it('of two failed shards of one cell, blames the one that held the case', () => {
    const cases = ['k1@x:ext4/a/-#1', 'k1@x:ext4/a/-#2', 'k1@x:ext4/a/-#3'];
    const shards: ShardState[] = [
      { id: 's1', kernel: 'k1', target: 'x', state: 'failed', failedReason: 'first' },
      { id: 's2', kernel: 'k1', target: 'x', state: 'failed', failedReason: 'second' },
    ];
    const run3 = labRun(cases, { shards: [
      { id: 's1', kernel: 'k1', target: 'x', cases: cases.slice(0, 2) },
      { id: 's2', kernel: 'k1', target: 'x', cases: cases.slice(2) },
    ] });
    const out = assembleResults(run3, new Map(), shards, true, AT);
    expect(out.map((r) => r.reason)).toEqual(['not run: shard s1 failed: first', 'not run: shard s1 failed: first', 'not run: shard s2 failed: second']);
  });
});

describe('labSummary', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const kernel = (label: string, cacheKey?: string): KernelInfo => ({ label, source: `src ${label}`, patches: [], configs: [], ...(cacheKey ? { cacheKey } : {}) });
  const names = ['k2@x:ext4/a/-#1', 'k1@x:ext4/a/-#1', 'k2@y:ext4/b/-#1'];
  const run = labRun(names);

  it('counts results, names the kernels in plan order and exits 0 when all passed', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-03-04T05:01:30.000Z'));
    const results = names.map((n) => stored(n));
    const s = labSummary(run, [], results, []);
    expect(s.plan).toBe('smoke');
    expect(s.kernel).toBe('k2, k1');
    expect(s.startedAt).toBe(run.submittedAt);
    expect(s.durationMs).toBe(90_000);
    expect(s.counts).toEqual({ pass: 3, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0, flaky: 0 });
    expect(s.exitCode).toBe(0);
    expect(s.accel).toBe('tcg');
    expect(s).not.toHaveProperty('kernels');
    expect(s).not.toHaveProperty('findings');
  });

  it('exits 1 with a failed case, 69 with only an error', () => {
    const fail = [stored(names[0]!), stored(names[1]!, { status: 'fail' }), stored(names[2]!, { status: 'error' })];
    const s = labSummary(run, [], fail, []);
    expect(s.counts.fail).toBe(1);
    expect(s.counts.error).toBe(1);
    expect(s.exitCode).toBe(1);
    expect(labSummary(run, [], [stored(names[0]!), stored(names[1]!, { status: 'error' })], []).exitCode).toBe(69);
  });

  it('a kernel-log finding makes the exit code 1 and is kept', () => {
    const f: KlogFinding = { phase: 'boot', lines: ['WARNING: at fs/dax.c:397'] };
    const s = labSummary(run, [], names.map((n) => stored(n)), [f]);
    expect(s.exitCode).toBe(1);
    expect(s.findings).toEqual([f]);
  });

  it('accel is kvm when any shard ran under kvm', () => {
    const sums: RunSummary[] = [summary({ accel: 'tcg' }), summary({ accel: 'kvm' }), summary({ accel: 'tcg' })];
    expect(labSummary(run, sums, [], []).accel).toBe('kvm');
    expect(labSummary(run, [summary({ accel: 'tcg' })], [], []).accel).toBe('tcg');
  });

  it('keeps each built kernel once (by label), skipping ones without a cache key', () => {
    const sums = [
      summary({ kernels: [kernel('k2', 'key-k2'), kernel('k1')] }),
      summary({ kernels: [kernel('k2', 'key-k2-other'), kernel('k1', 'key-k1')] }),
    ];
    expect(labSummary(run, sums, [], []).kernels).toEqual([kernel('k2', 'key-k2'), kernel('k1', 'key-k1')]);
  });

  it('durationMs is never negative', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-03-04T04:00:00.000Z'));
    expect(labSummary(run, [], [], []).durationMs).toBe(0);
  });
});

describe('writeLabResults', () => {
  it('writes events.jsonl (begin, cases, findings, end), results.json and junit.xml', () => {
    const dir = join(tmp(), 'results');
    const names = ['k1@x:ext4/a/-#1', 'k2@x:ext4/a/-#1'];
    const results = [stored(names[0]!), stored(names[1]!, { status: 'fail', reason: 'no wait' })];
    const finding: KlogFinding = { phase: 'end', after: 'ext4/a/-#1', lines: ['BUG: x'] };
    const s = labSummary(labRun(names), [], results, [finding]);
    const files = writeLabResults(dir, s, results, [finding]);

    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(events.map((e) => e.type)).toEqual(['begin', 'case', 'case', 'finding', 'end']);
    expect(events[0]).toMatchObject({ type: 'begin', plan: 'smoke', kernel: 'k1, k2', cases: 2, startedAt: s.startedAt });
    expect(events.slice(1, 3).map((e) => (e.type === 'case' ? `${e.result.kernel}:${e.result.status}` : ''))).toEqual(['k1:pass', 'k2:fail']);
    expect(events[3]).toEqual({ type: 'finding', finding });
    expect(events[4]).toEqual({ type: 'end', summary: s });

    expect(files.json).toBe(join(dir, 'results.json'));
    expect(files.junit).toBe(join(dir, 'junit.xml'));
    for (const f of [files.json, files.junit, files.html]) expect(existsSync(f)).toBe(true);
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as { summary: RunSummary; results: CaseResult[] };
    expect(json.results).toHaveLength(2);
    expect(json.summary.exitCode).toBe(1);
    expect(readFileSync(files.junit, 'utf8')).toContain('no wait');
  });
});
