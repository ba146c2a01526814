// The scheduler against fake VMs: a lost guest costs one case and a reboot, three in a row end the
// run, an abort stops the case in progress, and every result is journaled as it ends.
import { describe, expect, it } from 'vitest';
import { CONFIGS_DIR } from '../../../src/cli/paths.js';
import { DaxlabError } from '../../../src/errors.js';
import { defaultPlan } from '../../../src/plan/defaults.js';
import type { TestCase } from '../../../src/plan/types.js';
import type { EventLog } from '../../../src/results/jsonl.js';
import type { CaseResult, RunEvent } from '../../../src/results/types.js';
import type { BootedGuest } from '../../../src/run/booted-guest.js';
import { runPlanCases } from '../../../src/run/run-plan.js';
import type { GuestOutput } from '../../../src/workloads/types.js';

type Behaviour = 'ok' | 'panic' | 'lost' | 'hang';

const tc = (kind: Behaviour, n = 1): TestCase => ({
  id: `ext4/fault/kind=${kind === 'ok' ? 'ok' : kind === 'hang' ? 'hang' : 'panic'}#${n}`,
  fs: 'ext4',
  workload: 'fault',
  params: { kind: kind === 'lost' ? 'panic' : kind },
  repeat: n,
  timeoutSec: 1,
});

// A fake VM whose case command behaves as the case's id says ("lost" cases are repeats > 100).
function fakeVm(log: string[], n: number, onCaseStart?: () => void): BootedGuest {
  let exited = false;
  let panic: string | null = null;
  const exec = async (argv: string[]): Promise<GuestOutput> => {
    const script = argv[0]!;
    if (script.endsWith('setup-nullblk.sh')) return { exitCode: 0, stdout: '/dev/nullb0\n', stderr: '' };
    if (script.endsWith('setup-fs.sh') || script === 'dmesg') return { exitCode: 0, stdout: '', stderr: '' };
    const kind = argv.at(-2)!;
    const id = argv[1]!;
    log.push(`vm${n}: ${id}`);
    onCaseStart?.();
    if (kind === 'ok') return { exitCode: 0, stdout: '', stderr: '' };
    if (kind === 'hang') return { exitCode: 137, stdout: '', stderr: '', timedOut: true };
    if (/#1\d\d$/.test(id)) {
      exited = true;
      throw new DaxlabError('GUEST_FAILED', 'the ssh connection closed');
    }
    panic = 'Kernel panic - not syncing: sysrq triggered crash';
    exited = true;
    throw new DaxlabError('GUEST_FAILED', 'the guest shell channel closed');
  };
  return {
    guest: { exec },
    binDir: '/run/bin',
    serialLog: `/r/serial.${n}.log`,
    exited: () => exited,
    exitStatus: () => (exited ? { code: null, signal: 'SIGKILL' } : null),
    disconnected: () => exited,
    panicText: () => panic,
    serialTail: () => [],
    dumpStacks: async () => ['sysrq: Show Blocked State'],
    shutdown: async () => void log.push(`vm${n}: shutdown`),
    timings: { kernelInitMs: 1, readyMs: 2 },
    accel: 'tcg',
  };
}

async function run(cases: TestCase[], opts: { abortOnCase?: number } = {}) {
  const log: string[] = [];
  const events: RunEvent[] = [];
  const abort = new AbortController();
  let boots = 0;
  let started = 0;
  const results: CaseResult[] = [];
  const out = await runPlanCases({
    plan: defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: {} }),
    cases,
    kernelLabel: 'stock',
    image: '/bzImage',
    reporter: {},
    events: { write: (e: RunEvent) => void events.push(e) } as unknown as EventLog,
    boot: async () =>
      fakeVm(log, ++boots, () => {
        if (++started === opts.abortOnCase) abort.abort(new Error('SIGINT'));
      }),
    signal: abort.signal,
    stages: {},
    results,
  });
  const lines = out.results.map((r) => `${r.id} ${r.status}: ${r.reason}`);
  expect(events.filter((e) => e.type === 'case').length).toBe(out.results.length);
  expect(results).toBe(out.results);
  return { lines, log, boots };
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

  it('errors a timed-out case with stacks and reboots', async () => {
    const r = await run([tc('hang'), tc('ok')]);
    expect(r.lines).toEqual([
      'ext4/fault/kind=hang#1 error: case timed out after 1 s (plan timeouts.case); task stacks (sysrq w, t) attached',
      'ext4/fault/kind=ok#1 pass: no fault injected',
    ]);
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
