// Nightly proof of compare's statistics on real runs: a kernel made 30 ms slower in one place (only
// after ext4 waited for a pinned page) is found as a timing regression with the shift inside its
// interval, on exactly the ext4 cases that wait, while stock against stock raises no alarm.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/results/compare.js';
import { readRun } from '../../src/results/inputs.js';
import { bootstrapMedianShift } from '../../src/results/inference/bootstrap.js';
import { DEFAULT_TIMING_SETTINGS } from '../../src/results/timing-compare.js';
import { daxlab } from '../vm/cli-run.js';

const PATCH = 'test/patches/ext4-break-layouts-30ms-later.patch';

describe('compare finds a controlled timing regression', () => {
  it('flags +30 ms on the ext4 waits, nothing on xfs, and nothing between two stock runs', async () => {
    const stockA = await daxlab(['run', '--repeats', '10']);
    const stockB = await daxlab(['run', '--repeats', '10']);
    const slow = await daxlab(['run', '--repeats', '10', '--patch', PATCH]);
    for (const r of [stockA, stockB, slow]) expect(r.exitCode, r.output.slice(-3000)).toBe(0);

    const noise = compareRuns(readRun(stockA.results), readRun(stockB.results), DEFAULT_TIMING_SETTINGS);
    expect(noise.timing.regressions.map((t) => `${t.case} ${t.timing}`)).toEqual([]);

    const c = compareRuns(readRun(stockA.results), readRun(slow.results), DEFAULT_TIMING_SETTINGS);
    expect(c.counts.regressed).toBe(0);
    const found = c.timing.regressions.filter((t) => t.timing === 'returnAfterPinMs');
    const waits = [...new Set(found.map((t) => t.case))];
    console.log(found.map((t) => `${t.case}: shift ${t.shift.estimate.toFixed(1)} ms [${t.shift.lower.toFixed(1)}, ${t.shift.upper.toFixed(1)}], p ${t.pAdjusted.toExponential(2)}`).join('\n'));
    expect(waits.length).toBeGreaterThan(0);
    // The true shift (30 ms) inside every interval, at 95% for the family: with k cases found, each
    // interval at 1 - 0.05/k (Bonferroni). k separate 95% intervals would all cover it only about
    // 0.95^k of the time (66% for the 8 ext4 waits of the default plan).
    const level = 1 - DEFAULT_TIMING_SETTINGS.alpha / found.length;
    for (const t of found) {
      expect(t.case.startsWith('ext4/'), t.case).toBe(true);
      const family = bootstrapMedianShift(t.a, t.b, { seed: 1, resamples: DEFAULT_TIMING_SETTINGS.resamples, level });
      console.log(`${t.case}: shift ${t.shift.estimate.toFixed(1)} ms, ${(level * 100).toFixed(2)}% interval [${family.lower.toFixed(1)}, ${family.upper.toFixed(1)}]`);
      expect(family.lower, t.case).toBeLessThanOrEqual(30);
      expect(family.upper, t.case).toBeGreaterThanOrEqual(30);
    }
    expect(c.timing.regressions.filter((t) => t.case.startsWith('xfs/'))).toEqual([]);
  });
});
