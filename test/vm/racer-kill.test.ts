// Each layout-changing path has its own kill patch: with it, exactly the racing operations that
// go through that path FAIL (at page 5: index 0 against index > 0 is the seed test's), and every other operation still PASSes (or is
// skipped where the filesystem cannot do it). Without any patch, everything passes. CI runs three of
// the six paths (ext4 truncate, xfs remap, xfs online repair); test/nightly/racer-kill.test.ts runs
// the other three.
import { describe, expect, it } from 'vitest';
import { daxlab } from './cli-run.js';
import { checkKill, CI_KILLS, KILLS, outcome, PLAN } from './racer-kills.js';

describe('per-path kill patches for pin-race', () => {
  it('passes every racer on the stock kernel', async () => {
    const r = await daxlab(['run', PLAN]);
    expect(r.report, r.output.slice(-3000)).not.toBeNull();
    expect(r.report!.results).toHaveLength(20);
    expect(outcome(r.report!.results, [])).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  for (const patch of CI_KILLS) {
    it(`${patch} fails exactly ${KILLS[patch]!.join(', ')}`, () => checkKill(patch));
  }
});
