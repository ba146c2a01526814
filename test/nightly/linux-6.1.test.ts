// The whole catalogue on Debian's own kernel series, linux-source-6.1 (installed through apt when
// missing). No case may be an error or time out; failures are allowed only where plans/catalogue.yaml
// lists a known issue for 6.1 (XFAIL), and no known issue may pass (XPASS: a stale entry).
// Prints the run's figures (build, ready, case counts, duration) for the report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlanText } from '../../src/plan/parse.js';
import { knownIssuesFor } from '../../src/results/known.js';
import { workloadParamDefs } from '../../src/workloads/catalogue.js';
import { CONFIGS_DIR } from '../../src/cli/paths.js';
import { daxlab, REPO } from '../vm/cli-run.js';

const PLAN = join(REPO, 'plans/catalogue.yaml');

// Skips the catalogue has on any kernel: ext4 cannot reflink (wait table), and the virtio-fs DAX window.
const EXPECTED_SKIP = /FICLONERANGE is not supported on ext4|FIDEDUPERANGE is not supported on ext4/;

describe('the catalogue on Debian linux-source-6.1', () => {
  it('runs every case: no errors, no timeouts, failures only where a 6.1 known issue says', async () => {
    const r = await daxlab(['run', PLAN, '--debian', 'linux-source-6.1'], 4 * 3_600_000);
    expect(r.report, r.output.slice(-4000)).not.toBeNull();
    const { summary, results } = r.report!;
    const s = summary.stages;
    console.log(
      `linux-source-6.1: kernel ${summary.kernelRelease}, build ${((s.buildMs ?? 0) / 1000).toFixed(1)} s, ` +
        `ready ${((s.readyMs ?? 0) / 1000).toFixed(1)} s, ${results.length} cases ${JSON.stringify(summary.counts)}, ` +
        `run ${(summary.durationMs / 1000).toFixed(0)} s, exit ${summary.exitCode}`,
    );
    expect(summary.kernelRelease).toMatch(/^6\.1\.\d+/);

    const bad = (st: string) => results.filter((c) => c.status === st).map((c) => `${c.id}: ${c.reason}`);
    expect(bad('error'), 'errors').toEqual([]);
    expect(results.filter((c) => /timed out/.test(c.reason)).map((c) => c.id), 'timeouts').toEqual([]);
    expect(bad('fail'), 'failures no known issue covers').toEqual([]);
    expect(bad('xpass'), 'known issues that passed').toEqual([]);
    const skips = results.filter((c) => c.status === 'skip' && !EXPECTED_SKIP.test(c.reason));
    expect(skips.map((c) => `${c.id}: ${c.reason}`), 'unexpected skips').toEqual([]);

    // Every XFAIL comes from an entry that applies to 6.1, and each 6.1 entry matched a case.
    const plan = parsePlanText(readFileSync(PLAN, 'utf8'), PLAN, {
      baseDir: REPO, configsDir: CONFIGS_DIR, fileExists: () => true, knownWorkloads: workloadParamDefs(),
    }).plan!;
    const for61 = knownIssuesFor(plan.known, summary.kernelRelease!);
    for (const c of results.filter((x) => x.status === 'xfail')) {
      expect(for61.map((k) => k.reason), c.id).toContain(c.known?.reason);
    }
    for (const k of for61) expect(results.some((c) => c.known?.reason === k.reason), k.case).toBe(true);
    expect(r.exitCode).toBe(0);
  });
});
