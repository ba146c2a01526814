// A fake booted guest for the scheduler tests: its case commands behave as the case's id says, it
// keeps a kernel log with sequence numbers and a taint mask, and it prints run-case.sh's trailer.
import { DaxlabError } from '../../../src/errors.js';
import type { TestCase } from '../../../src/plan/types.js';
import type { BootedGuest } from '../../../src/run/booted-guest.js';
import type { GuestOutput } from '../../../src/workloads/types.js';
import { pinraceLine } from '../workloads/fixtures.js';

export type Behaviour = 'ok' | 'panic' | 'lost' | 'hang' | 'warn-between' | 'taint' | 'flaky' | 'undecided';

export const tc = (kind: Behaviour, n = 1): TestCase => ({
  id: `ext4/fault/kind=${kind === 'lost' ? 'panic' : kind}#${n}`,
  fs: 'ext4',
  workload: 'fault',
  params: { kind: kind === 'lost' ? 'panic' : kind === 'taint' ? 'ok' : kind },
  repeat: n,
  timeoutSec: 1,
});

/** What the fake guest's kernel does at boot. */
export interface FakeKernel {
  /** Taint mask right after boot. */
  bootTaint?: number;
  /** Lines logged during boot. */
  bootLines?: string[];
  /** pin-race cases at this page index log a WARNING (and taint W) in the middle of their run. */
  warnAtIndex?: number;
}

/** How many pin-race cases the fake guests ran at the same time, at most (reset per run). */
export const concurrency = { now: 0, max: 0 };

/** Case ids whose flaky fault already ran once (any boot of the test): the next run passes. */
export const flakySeen = new Set<string>();

// A fake VM whose case command behaves as the case's id says ("lost" cases are repeats > 100). It
// keeps a kernel log with sequence numbers and a taint mask, and prints run-case.sh's trailer.
export function fakeVm(log: string[], n: number, onCaseStart?: () => void, k: FakeKernel = {}): BootedGuest {
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
    if (kind === 'flaky' || kind === 'undecided') {
      const base = id.replace(/~\d+$/, '');
      const failed = !flakySeen.has(base);
      flakySeen.add(base);
      return { exitCode: 0, stdout: trailer().replace(`{"fault":"${kind}"}`, `{"fault":"${kind}","failed":${failed}}`), stderr: '' };
    }
    if (id.includes('kind=taint')) {
      records.push('WARNING: CPU: 0 PID: 9 at fs/dax.c:1 fake_warn+0x1/0x2');
      taint |= 1 << 9;
      return { exitCode: 0, stdout: trailer(), stderr: '' };
    }
    if (kind === 'warn-between') {
      pending.push('WARNING: CPU: 0 PID: 1 at daxlab/fault.sh:1 daxlab_fault_between_cases');
      return { exitCode: 0, stdout: trailer(), stderr: '' };
    }
    if (kind === 'hang') return { exitCode: 137, stdout: 'step 1\nstep 2\n', stderr: 'waiting\n', timedOut: true };
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
    serialTail: () => ['[ 9.0] daxlab: begin x', ''],
    dumpStacks: async () => ['sysrq: Show Blocked State'],
    shutdown: async () => void log.push(`vm${n}: shutdown`),
    timings: { kernelInitMs: 1, sshdStartedMs: 1.5, readyMs: 2 },
    accel: 'tcg',
  };
}

