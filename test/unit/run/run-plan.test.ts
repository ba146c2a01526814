// The scheduler against fake VMs: a lost guest costs one case and a reboot, three in a row end the
// run, an abort stops the case in progress, and every result is journaled as it ends.
import { describe, expect, it } from 'vitest';
import { CONFIGS_DIR } from '../../../src/cli/paths.js';
import { defaultPlan } from '../../../src/plan/defaults.js';
import type { TestCase } from '../../../src/plan/types.js';
import type { EventLog } from '../../../src/results/jsonl.js';
import type { CaseResult, RunEvent } from '../../../src/results/types.js';
import { runPlanCases } from '../../../src/run/run-plan.js';
import { concurrency, fakeVm, flakySeen, tc, type FakeKernel } from './fake-guest.js';
import { failingFindings } from '../../../src/results/findings.js';

async function run(cases: TestCase[], opts: { abortOnCase?: number; kernel?: FakeKernel; lanes?: number; rerunFailures?: number } = {}) {
  const log: string[] = [];
  concurrency.now = concurrency.max = 0;
  const plan = defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: {} });
  const events: RunEvent[] = [];
  const abort = new AbortController();
  let boots = 0;
  let started = 0;
  const results: CaseResult[] = [];
  const out = await runPlanCases({
    plan: { ...plan, vm: { ...plan.vm, lanes: opts.lanes ?? plan.vm.lanes } },
    cases,
    kernelLabel: 'stock',
    image: '/bzImage',
    reporter: {},
    events: { write: (e: RunEvent) => void events.push(e) } as unknown as EventLog,
    boot: async () =>
      fakeVm(log, ++boots, () => {
        if (++started === opts.abortOnCase) abort.abort(new Error('SIGINT'));
      }, opts.kernel),
    signal: abort.signal,
    stages: {},
    results,
    rerunFailures: opts.rerunFailures,
  });
  const lines = out.results.map((r) => `${r.id} ${r.status}: ${r.reason}`);
  expect(events.filter((e) => e.type === 'finding').length).toBe(out.findings.length);
  expect(events.filter((e) => e.type === 'case').length).toBe(out.results.length);
  expect(results).toBe(out.results);
  return { lines, log, boots, findings: out.findings, results: out.results };
}

describe('runPlanCases with lost guests', () => {
  it('fails a panicking case, reboots, and runs the rest on the new VM', async () => {
    const r = await run([tc('ok'), tc('panic'), tc('ok', 2)]);
    expect(r.lines).toEqual([
      'ext4/fault/kind=ok#1 pass: no fault injected',
      'ext4/fault/kind=panic#1 fail: guest kernel crashed: Kernel panic - not syncing: sysrq triggered crash',
      'ext4/fault/kind=ok#2 pass: no fault injected',
    ]);
    expect(r.log).toEqual(['vm1: ext4/fault/kind=ok#1', 'vm1: ext4/fault/kind=panic#1', 'vm1: shutdown', 'vm2: ext4/fault/kind=ok#2', 'vm2: shutdown']);
  });

  it('errors a timed-out case with the command, its last output, the console and stacks, and reboots', async () => {
    const r = await run([tc('hang'), tc('ok')]);
    expect(r.lines[0]).toMatch(
      new RegExp(
        '^ext4/fault/kind=hang#1 error: case timed out after 1 s \\(plan timeouts\\.case\\): the guest was running ' +
          "`/run/bin/run-case.sh 'ext4/fault/kind=hang#1' 1 /run/bin/fault.sh hang /run/daxlab/ext4` for \\d+\\.\\d s; " +
          'it last printed "step 2" on stdout and "waiting" on stderr; console last said "\\[ 9\\.0\\] daxlab: begin x"; ' +
          'task stacks \\(sysrq w, t\\) attached$',
      ),
    );
    expect(r.lines[1]).toBe('ext4/fault/kind=ok#1 pass: no fault injected');
    expect(r.boots).toBe(2);
  });

  it('gives up after three VMs lost in a row, recording the rest', async () => {
    const lost = [101, 102, 103].map((n) => tc('lost', n));
    const r = await run([...lost, tc('ok')]);
    expect(r.boots).toBe(3);
    expect(r.lines.slice(0, 3).every((l) => / error: QEMU died during the case \(killed by SIGKILL\)/.test(l))).toBe(true);
    expect(r.lines[3]).toMatch(/^ext4\/fault\/kind=ok#1 error: not run: 3 VMs were lost in a row \(last: QEMU died/);
  });

  it('stops at an abort: the case in progress is recorded as interrupted, nothing more runs', async () => {
    // The abort arrives while the second case runs; the fake VM then fails like a killed one.
    const r = await run([tc('ok'), tc('lost', 101), tc('ok', 2)], { abortOnCase: 2 });
    expect(r.lines).toEqual(['ext4/fault/kind=ok#1 pass: no fault injected', 'ext4/fault/kind=panic#101 error: interrupted by SIGINT before the case finished']);
    expect(r.log.at(-1)).toBe('vm1: shutdown');
  });
});

describe('runPlanCases: the kernel log and taint around cases', () => {
  it('reports a WARNING logged between two cases as a finding, and re-runs the next case on a fresh boot', async () => {
    const r = await run([tc('warn-between'), tc('ok'), tc('ok', 2)]);
    expect(r.lines).toEqual([
      'ext4/fault/kind=warn-between#1 pass: fault warn-between injected; the kernel side decides',
      'ext4/fault/kind=ok#1 pass: no fault injected',
      'ext4/fault/kind=ok#2 pass: no fault injected',
    ]);
    expect(r.findings).toEqual([{
      phase: 'between', after: 'ext4/fault/kind=warn-between#1', before: 'ext4/fault/kind=ok#1', serialLog: '/r/serial.1.log',
      lines: ['[    0.003000] WARNING: CPU: 0 PID: 1 at daxlab/fault.sh:1 daxlab_fault_between_cases'], kernel: 'stock',
    }]);
    // ok#1 started on a tainted kernel: its first run proves nothing; it ran again on vm2.
    expect(r.log).toEqual([
      'vm1: ext4/fault/kind=warn-between#1', 'vm1: ext4/fault/kind=ok#1', 'vm1: shutdown',
      'vm2: ext4/fault/kind=ok#1~2', 'vm2: ext4/fault/kind=ok#2', 'vm2: shutdown',
    ]);
  });

  it('fails a case that tainted the kernel, with the flags decoded, and reboots before the next', async () => {
    const r = await run([tc('taint'), tc('ok')]);
    expect(r.lines).toEqual([
      'ext4/fault/kind=taint#1 fail: kernel log: WARNING at fs/dax.c:1 fake_warn; kernel tainted during the case: W (kernel issued a warning)',
      'ext4/fault/kind=ok#1 pass: no fault injected',
    ]);
    expect(r.results[0]!.klogMatches).toEqual(['[    0.002000] WARNING: CPU: 0 PID: 9 at fs/dax.c:1 fake_warn+0x1/0x2']);
    expect(r.boots).toBe(2);
    expect(r.findings).toEqual([]);
  });

  it('runs no case on a kernel tainted by booting, and reports the boot lines', async () => {
    const kernel = { bootTaint: 1 << 9, bootLines: ['WARNING: CPU: 0 PID: 1 at init/main.c:1 boot_warn'] };
    const r = await run([tc('ok'), tc('ok', 2)], { kernel });
    expect(r.lines).toEqual([
      'ext4/fault/kind=ok#1 error: not run: the kernel was tainted right after boot: W (kernel issued a warning)',
      'ext4/fault/kind=ok#2 error: not run: the kernel was tainted right after boot: W (kernel issued a warning)',
    ]);
    expect(r.findings).toMatchObject([{ phase: 'boot', lines: ['[    0.001000] WARNING: CPU: 0 PID: 1 at init/main.c:1 boot_warn'] }]);
    expect(r.boots).toBe(1);
  });

  it('ignores the taints daxlab causes itself (out-of-tree and unsigned modules)', async () => {
    const r = await run([tc('ok')], { kernel: { bootTaint: (1 << 12) | (1 << 13) } });
    expect(r.lines).toEqual(['ext4/fault/kind=ok#1 pass: no fault injected']);
  });
});

const pin = (index: number, fs: 'ext4' | 'xfs' = 'ext4'): TestCase => ({
  id: `${fs}/pin-race/index=${index},pages=16,pin=pread,race=truncate#1`,
  fs,
  workload: 'pin-race',
  params: { index, pages: 16, pin: 'pread', race: 'truncate' },
  repeat: 1,
  timeoutSec: 10,
});

describe('runPlanCases with lanes: cases at once in one guest', () => {
  it('runs independent cases side by side, both filesystems mounted, each judged on its own', async () => {
    const cases = [1, 2, 3, 4, 5, 6].map((i) => pin(i, i % 2 ? 'ext4' : 'xfs'));
    const r = await run(cases, { lanes: 4 });
    expect(concurrency.max).toBe(4);
    expect(r.results.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(r.boots).toBe(1);
  });

  it('runs them one after the other with one lane', async () => {
    const r = await run([pin(1), pin(2), pin(3)], { lanes: 1 });
    expect(concurrency.max).toBe(1);
    expect(r.results.every((c) => c.status === 'pass')).toBe(true);
  });

  it('runs again alone the cases that ran beside a WARNING, reports the overlap, and blames the one that warns alone', async () => {
    const r = await run([pin(1), pin(7), pin(3)], { lanes: 4, kernel: { warnAtIndex: 7 } });
    expect(r.findings.filter((f) => f.phase === 'overlap').length).toBeGreaterThanOrEqual(1);
    const byId = Object.fromEntries(r.results.map((c) => [c.id, c]));
    expect(byId[pin(7).id]!.status).toBe('fail');
    expect(byId[pin(7).id]!.reason).toMatch(/^kernel log: WARNING at fs\/dax.c:2 racing_warn/);
    expect(byId[pin(1).id]!.status).toBe('pass');
    expect(byId[pin(3).id]!.status).toBe('pass');
    expect(r.results).toHaveLength(3);
    // The overlap line is the failing case's, logged again when it ran alone: it does not fail the run twice.
    expect(failingFindings(r.findings, r.results)).toEqual([]);
    // Run again alone: the re-runs carry the attempt in their kernel-log markers.
    expect(r.log.some((l) => l.includes('#1~2'))).toBe(true);
  });
});

describe('runPlanCases --rerun-failures', () => {
  it('re-runs a failing case and reports fail then pass as flaky, with every attempt', async () => {
    flakySeen.clear();
    const r = await run([tc('flaky'), tc('ok')], { rerunFailures: 2 });
    expect(r.results[0]).toMatchObject({ id: 'ext4/fault/kind=flaky#1', status: 'flaky', reason: 'failed 1 of 2 attempts: fault flaky: failing on purpose (first run in this boot)' });
    expect(r.results[0]!.attempts!.map((a) => a.status)).toEqual(['fail', 'pass']);
    expect(r.log).toContain('vm1: ext4/fault/kind=flaky#1~2');
  });

  it('keeps a failure that fails every time, and re-runs nothing without the flag', async () => {
    flakySeen.clear();
    const none = await run([tc('flaky')]);
    expect(none.results[0]!.status).toBe('fail');
    expect(none.results[0]!.attempts).toBeUndefined();
    const taint = await run([tc('taint')], { rerunFailures: 1 });
    expect(taint.results[0]).toMatchObject({ status: 'fail', reason: expect.stringMatching(/^failed 2 of 2 attempts: kernel log: WARNING/) });
  });
});

describe('runPlanCases: oracles that could not decide', () => {
  it('runs an inconclusive case again alone, without any flag, and reports the pass with the attempt before it', async () => {
    flakySeen.clear();
    const r = await run([tc('undecided'), tc('ok')]);
    expect(r.results[0]).toMatchObject({
      id: 'ext4/fault/kind=undecided#1', status: 'pass',
      reason: expect.stringMatching(/passed on attempt 2 of 2 after error: fault undecided: no verdict on purpose/),
    });
    expect(r.results[0]!.attempts!.map((a) => a.status)).toEqual(['error', 'pass']);
    expect(r.log).toContain('vm1: ext4/fault/kind=undecided#1~2');
  });
});
