// `daxlab compare` through the built CLI on synthetic results.json files shaped like the default
// plan's pin-race cases with 10 repeats: stock-vs-stock runs with noise raise no timing alarm; a run
// where one group of cases got 30 ms slower is found, with the shift estimated inside its interval;
// a missing input exits 2 with a message naming it.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/results/inference/prng.js';
import type { CaseResult } from '../../src/results/types.js';
import { countStatuses, exitCodeFor } from '../../src/run/exit-code.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'daxlab-compare-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CASES = ['ext4', 'xfs'].flatMap((fs) =>
  ['truncate', 'punch'].flatMap((race) => [0, 5].map((index) => ({ fs, race, index }))),
);

// Noise like TCG's: mostly a few ms (the racer returned 0-10 ms after the read on stock 6.12, see
// TOLERANCE_MS), now and then a scheduling hiccup of 5-25 ms.
function noise(random: () => number, spread: number): number {
  const base = (random() - 0.5) * spread;
  return random() < 0.04 ? base + 5 + random() * 20 : base;
}

// One run: every case 10 times; `slower(case)` ms added to the racing call's timings.
function makeRun(label: string, seed: number, slower: (c: (typeof CASES)[number]) => number): string {
  const random = mulberry32(seed);
  const round = (v: number) => Math.round(v * 10) / 10;
  const results: CaseResult[] = [];
  for (let repeat = 1; repeat <= 10; repeat++) {
    for (const c of CASES) {
      const extra = slower(c);
      const after = 1.5 + noise(random, 4) + extra;
      results.push({
        id: `${c.fs}/pin-race/index=${c.index},pages=16,pin=pread,race=${c.race}#${repeat}`,
        kernel: label, backend: 'pmem', fs: c.fs, workload: 'pin-race',
        params: { index: c.index, pages: 16, pin: 'pread', race: c.race }, repeat,
        status: 'pass', reason: 'waited', klogMatches: [],
        timings: {
          pinMs: 500,
          readMs: round(500 + Math.abs(noise(random, 6))),
          raceMs: round(400 + after),
          raceAfterReadMs: round(after - 0.5),
          raceAfterPinMs: round(after),
          raceStartBeforeReadEndMs: round(100 + noise(random, 3)),
        },
        startedAt: '2026-11-25T00:00:00.000Z', durationMs: 600,
      });
    }
  }
  const counts = countStatuses(results);
  const summary = {
    plan: 'default', kernel: label, startedAt: '2026-11-25T00:00:00.000Z', durationMs: 60_000, counts,
    stages: {}, accel: 'tcg', exitCode: exitCodeFor(counts),
  };
  const file = join(work, `${label}-${seed}.json`);
  writeFileSync(file, JSON.stringify({ schema: 'daxlab/1', summary, stats: {}, results }));
  return file;
}

async function compare(a: string, b: string, ...flags: string[]) {
  return execa('node', [CLI, 'compare', a, b, ...flags], { reject: false, cwd: REPO });
}

describe('daxlab compare with statistics', () => {
  it('stock vs stock, three times: no timing regression', async () => {
    for (const [sa, sb] of [[1, 2], [3, 4], [5, 6]] as const) {
      const r = await compare(makeRun('stock', sa, () => 0), makeRun('stock', sb, () => 0));
      expect(r.stdout).toContain('timing: no regression (Mann-Whitney U, Holm over 40 comparisons');
      expect(r.exitCode, r.stdout).toBe(0);
    }
  });

  it('a controlled +30 ms in the ext4 truncate path is found, the shift inside its interval', async () => {
    const slow = (c: (typeof CASES)[number]) => (c.fs === 'ext4' && c.race === 'truncate' ? 30 : 0);
    const r = await compare(makeRun('stock', 7, () => 0), makeRun('delay30', 8, slow));
    expect(r.exitCode, r.stdout).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('  ') && l.includes('shift'));
    const flagged = new Set(lines.map((l) => l.trim().split('  ')[0]));
    expect([...flagged].sort()).toEqual([
      'ext4/pin-race/index=0,pages=16,pin=pread,race=truncate',
      'ext4/pin-race/index=5,pages=16,pin=pread,race=truncate',
    ]);
    for (const l of lines) {
      const m = /shift \+([\d.]+) ms \[95% CI \+([\d.]+) ms, \+([\d.]+) ms\]/.exec(l);
      expect(m, l).not.toBeNull();
      const [est, lo, hi] = [Number(m![1]), Number(m![2]), Number(m![3])];
      expect(lo).toBeLessThanOrEqual(est);
      expect(est).toBeLessThanOrEqual(hi);
      expect(Math.abs(est - 30)).toBeLessThan(8);
      expect(l).toMatch(/slower$/);
    }
  });

  it('--verbose lists every comparison; bad flags and missing inputs exit 2', async () => {
    const a = makeRun('stock', 9, () => 0);
    const v = await compare(a, a, '--verbose');
    expect(v.stdout).toContain('timing comparisons:');
    const bad = await compare(a, a, '--alpha', '2');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('daxlab: error: --alpha: expected a number between 0 and 1, got "2"');
    const missing = await compare(a, join(work, 'nope'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe(`daxlab: error: no such results: ${join(work, 'nope')}`);
  });
});
