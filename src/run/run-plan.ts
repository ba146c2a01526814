// The scheduler of one kernel's cases: boot, read the boot's kernel log and taint, run the cases on
// the VM's lanes (vm-lanes.ts), replace the VM when it was lost or tainted, and tear down in reverse
// order whatever happens. Results and findings are journaled as they are decided.
import { DaxlabError } from '../errors.js';
import type { FsName, Plan, TestCase } from '../plan/types.js';
import type { EventLog } from '../results/jsonl.js';
import { badTaint, describeTaint } from '../results/taint.js';
import type { CaseResult, KlogFinding, Reporter } from '../results/types.js';
import { getWorkload } from '../workloads/catalogue.js';
import type { BootedGuest, GuestAccel } from './booted-guest.js';
import { readinessText } from './booted-guest.js';
import { queueOf, type QueuedCase } from './case-queue.js';
import { readKlogState } from './case-runner.js';
import { kvmDoubt } from './clocksource.js';
import { KlogLedger } from './klog-ledger.js';
import { recordAll, recordFindings, type RunState } from './run-state.js';
import { mountPointOf, VmLanes, type LaneVm } from './vm-lanes.js';
import { crashHeadline } from '../vm/crash.js';

/** What the scheduler needs: the plan and its cases, the kernel image, how to boot, where results go. */
export interface RunPlanDeps {
  plan: Plan;
  cases: TestCase[];
  kernelLabel: string;
  /** The target the cases run on (recorded in each result). */
  target?: string;
  image: string;
  reporter: Reporter;
  events: EventLog;
  /** Boot a fresh VM on the image (one per call); aborting `signal` tears it down at once. */
  boot: (image: string, signal: AbortSignal) => Promise<BootedGuest>;
  signal: AbortSignal;
  stages: Record<string, number>;
  /** Finished results are appended here as they end (the caller keeps them if the run throws). */
  results?: CaseResult[];
  /** Kernel-log findings outside every case are appended here as they are seen. */
  findings?: KlogFinding[];
  /** Re-run a failing case up to this many times (in the same boot when it can); fail then pass is flaky. */
  rerunFailures?: number;
}

/** Where the first filesystem of a run is mounted (kept for callers that name one mount point). */
export const MOUNT_POINT = mountPointOf('ext4');

/** After this many VMs lost in a row (no case finishing in between), the remaining cases are not tried. */
export const MAX_LOST_IN_A_ROW = 3;

// A boot that fails ends the run: every remaining case records why (a panic is the kernel's fault).
async function recordBootFailure(s: RunState, rest: TestCase[], err: unknown) {
  const detail = err instanceof DaxlabError ? err.detail : [];
  // A target that lost the machine (it did not come back after a kexec) is the target's failure, whatever its console said.
  const panic = err instanceof DaxlabError && err.code === 'TARGET_FAILED' ? null : crashHeadline(detail);
  const status = panic ? 'fail' : 'error';
  const reason = panic ? `kernel crashed during boot: ${panic.trim()}` : `boot failed: ${(err as Error).message}`;
  await s.d.reporter.onStage?.('boot', reason);
  for (const line of detail.slice(-15)) await s.d.reporter.onStage?.('boot', `  ${line}`);
  await recordAll(s, rest, status, reason, detail.slice(-30));
}

// Boot, then read the boot's kernel log and taint: a kernel tainted by booting cannot run cases.
async function bootVm(s: RunState, filesystems: FsName[]): Promise<LaneVm | { unusable: string }> {
  const { d } = s;
  const t0 = Date.now();
  await d.reporter.onStage?.('boot', `booting ${d.kernelLabel} (${d.plan.backend})`);
  const booted = await d.boot(d.image, d.signal);
  d.stages.bootMs = (d.stages.bootMs ?? 0) + (Date.now() - t0);
  d.stages.kernelInitMs = booted.timings.kernelInitMs;
  d.stages.readyMs = booted.timings.readyMs;
  s.accel = { accel: booted.accel, ...(booted.clocksource ? { clocksource: booted.clocksource } : {}) };
  await d.reporter.onStage?.('boot', readinessText(booted));
  const notKvm = kvmDoubt(booted.accel, booted.clocksource);
  if (notKvm) await d.reporter.onStage?.('boot', notKvm);
  const ledger = new KlogLedger(booted.serialLog);
  const state = await readKlogState(booted.guest, booted.binDir, 0);
  if (state.kmsg) await recordFindings(s, ledger.takeOutside(state.kmsg, 'boot'));
  const bad = badTaint(state.taint);
  if (bad !== 0 || !state.kmsg) {
    await booted.shutdown();
    const why = bad !== 0 ? `the kernel was tainted right after boot: ${describeTaint(bad)}` : `the kernel log cannot be read after boot (${state.kmsgError})`;
    return { unusable: why };
  }
  return { booted, ledger, lanes: d.plan.vm.lanes, filesystems };
}

// Read what the kernel logged after the last case, then stop the VM.
async function endVm(s: RunState, vm: LaneVm): Promise<void> {
  if (!vm.booted.exited() && !vm.booted.disconnected()) {
    const state = await readKlogState(vm.booted.guest, vm.booted.binDir, vm.ledger.cursor).catch(() => null);
    if (state?.kmsg) await recordFindings(s, vm.ledger.takeOutside(state.kmsg, 'end'));
  }
  await vm.booted.shutdown();
}

/** Run every case of the plan on one kernel image; results are in the order they were decided. */
export async function runPlanCases(d: RunPlanDeps): Promise<{ results: CaseResult[]; accel: GuestAccel; findings: KlogFinding[] }> {
  const s: RunState = {
    d, ctx: { kernel: d.kernelLabel, backend: d.plan.backend, ...(d.target ? { target: d.target } : {}) }, results: d.results ?? [], findings: d.findings ?? [],
    fsUnusable: new Map(), accel: { accel: 'tcg' },
  };
  const queue: QueuedCase[] = queueOf(d.cases, (tc) => getWorkload(tc.workload).exclusive?.(tc));
  const filesystems = [...new Set(d.cases.map((c) => c.fs))];
  const rest = () => queue.map((q) => q.tc);
  let vm: LaneVm | null = null;
  let lostInARow = 0;
  try {
    while (queue.length > 0 && !d.signal.aborted) {
      let booted: LaneVm | { unusable: string };
      try {
        booted = await bootVm(s, filesystems);
      } catch (err) {
        if (d.signal.aborted) break;
        if (err instanceof DaxlabError && err.code === 'RESULTS_IO') throw err;
        await recordBootFailure(s, rest(), err);
        break;
      }
      if ('unusable' in booted) {
        await recordAll(s, rest(), 'error', `not run: ${booted.unusable}`);
        break;
      }
      vm = booted;
      const before = s.results.length;
      const stop = await new VmLanes(s, vm).run(queue);
      const cur: LaneVm = vm;
      vm = null;
      if (stop === 'lost') await cur.booted.shutdown();
      else if (stop !== 'aborted') await endVm(s, cur);
      else await cur.booted.shutdown();
      if (stop !== 'lost') lostInARow = 0;
      else if (s.results.length > before + 1) lostInARow = 1;
      else lostInARow++;
      if (stop === 'lost' && queue.length > 0) {
        if (lostInARow >= MAX_LOST_IN_A_ROW) {
          const last = s.results.at(-1)?.reason ?? 'the guest was lost';
          await recordAll(s, rest(), 'error', `not run: ${lostInARow} VMs were lost in a row (last: ${last})`);
          queue.length = 0;
          break;
        }
        await d.reporter.onStage?.('boot', 'restarting the VM for the remaining cases');
      }
    }
  } finally {
    if (vm) await (vm as LaneVm).booted.shutdown();
  }
  return { results: s.results, accel: s.accel, findings: s.findings };
}
