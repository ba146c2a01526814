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
import { pinraceLine } from '../workloads/fixtures.js';

type Behaviour = 'ok' | 'panic' | 'lost' | 'hang' | 'warn-between' | 'taint';

const tc = (kind: Behaviour, n = 1): TestCase => ({
  id: `ext4/fault/kind=${kind === 'lost' ? 'panic' : kind}#${n}`,
  fs: 'ext4',
  workload: 'fault',
  params: { kind: kind === 'lost' ? 'panic' : kind === 'taint' ? 'ok' : kind },
  repeat: n,
  timeoutSec: 1,
});

/** What the fake guest's kernel does at boot. */
interface FakeKernel {
  /** Taint mask right after boot. */
  bootTaint?: number;
  /** Lines logged during boot. */
  bootLines?: string[];
  /** pin-race cases at this page index log a WARNING (and taint W) in the middle of their run. */
  warnAtIndex?: number;
}

/** How many pin-race cases the fake guests ran at the same time, at most (reset per run). */
const concurrency = { now: 0, max: 0 };

// A fake VM whose case command behaves as the case's id says ("lost" cases are repeats > 100). It
// keeps a kernel log with sequence numbers and a taint mask, and prints run-case.sh's trailer.
function fakeVm(log: string[], n: number, onCaseStart?: () => void, k: FakeKernel = {}): BootedGuest {
  let exited = false;
  let panic: string | null = null;
  let taint = k.bootTaint ?? 0;
  const records: string[] = ['Linux version 6.12 (fake)', ...(k.bootLines ?? [])];
  let pending: string[] = []; // logged later (with a W taint), by something the last case left behind
  const flush = () => {
    if (pending.length > 0) taint |= 1 << 9;
    records.push(...pending);
    pending = [];
  };
  const dump = (from: number) =>
    `TAINT ${taint}\nKMSG from=${from} first=${from < records.length ? from : -1} next=${Math.max(from, records.length)} lost=0\n` +
    records.slice(from).map((t, i) => `6,${from + i},${(from + i) * 1000},-;${t}`).join('\n') + '\n';
  const exec = async (argv: string[]): Promise<GuestOutput> => {
    const script = argv[0]!;
    flush();
    if (script.endsWith('setup-nullblk.sh')) return { exitCode: 0, stdout: '/dev/nullb0\n', stderr: '' };
    if (script.endsWith('setup-fs.sh')) return { exitCode: 0, stdout: '', stderr: '' };
    if (script.endsWith('setup-pmem.sh')) {
      return { exitCode: 0, stdout: ['/dev/pmem0', '/dev/pmem0.1'].slice(0, Number(argv[1])).join('\n') + '\n', stderr: '' };
    }
    if (script.endsWith('klog-state.sh')) return { exitCode: 0, stdout: dump(Number(argv[1])), stderr: '' };
    const kind = argv.at(-2)!;
    const id = argv[1]!;
    const from = Number(argv[2]);
    if (argv.some((a) => a.endsWith('/pinrace'))) {
      log.push(`vm${n}: ${id}`);
      const before = taint;
      records.push(`daxlab: begin ${id}`);
      concurrency.max = Math.max(concurrency.max, ++concurrency.now);
      await new Promise((r) => setTimeout(r, 20));
      if (k.warnAtIndex !== undefined && id.includes(`index=${k.warnAtIndex},`)) {
        records.push('WARNING: CPU: 1 PID: 7 at fs/dax.c:2 racing_warn');
        taint |= 1 << 9;
      }
      await new Promise((r) => setTimeout(r, 20));
      concurrency.now--;
      records.push(`daxlab: end ${id}`);
      const line = JSON.stringify(pinraceLine({ index: Number(/index=(\d+)/.exec(id)![1]) }));
      return { exitCode: 0, stdout: `${line}\n\nDAXLAB-CASE-TRAILER\nSTATUS 0\nTAINT-BEFORE ${before}\n${dump(from)}`, stderr: '' };
    }
    log.push(`vm${n}: ${id}`);
    onCaseStart?.();
    const before = taint;
    records.push(`daxlab: begin ${id}`);
    const trailer = () => {
      records.push(`daxlab: end ${id}`);
      return `{"fault":"${kind}"}\n\nDAXLAB-CASE-TRAILER\nSTATUS 0\nTAINT-BEFORE ${before}\n${dump(from)}`;
    };
    if (kind === 'ok' && !id.includes('kind=taint')) return { exitCode: 0, stdout: trailer(), stderr: '' };
    if (id.includes('kind=taint')) {
      records.push('WARNING: CPU: 0 PID: 9 at fs/dax.c:1 fake_warn+0x1/0x2');
      taint |= 1 << 9;
      return { exitCode: 0, stdout: trailer(), stderr: '' };
    }
    if (kind === 'warn-between') {
      pending.push('WARNING: CPU: 0 PID: 1 at daxlab/fault.sh:1 daxlab_fault_between_cases');
      return { exitCode: 0, stdout: trailer(), stderr: '' };
    }
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
    lane: () => ({ exec }),
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

async function run(cases: TestCase[], opts: { abortOnCase?: number; kernel?: FakeKernel; lanes?: number } = {}) {
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
      lines: ['[    0.003000] WARNING: CPU: 0 PID: 1 at daxlab/fault.sh:1 daxlab_fault_between_cases'],
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
    // Run again alone: the re-runs carry the attempt in their kernel-log markers.
    expect(r.log.some((l) => l.includes('#1~2'))).toBe(true);
  });
});
