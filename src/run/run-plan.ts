// The scheduler: build once, boot, set up each filesystem, run cases back to back, record each
// result as it ends, reboot after a lost VM, and tear down in reverse order whatever happens.
import { DaxlabError } from '../errors.js';
import type { FsName, Plan, TestCase } from '../plan/types.js';
import type { EventLog } from '../results/jsonl.js';
import { applyKnownIssues } from '../results/known.js';
import type { CaseResult, Reporter } from '../results/types.js';
import { getWorkload } from '../workloads/catalogue.js';
import type { GuestEnv } from '../workloads/types.js';
import type { BootedGuest } from './booted-guest.js';
import { unrunResult, type CaseContext } from './case-result.js';
import { runCase } from './case-runner.js';
import { lostGuestResult } from './lost-guest.js';
import { setupDelayDevice, setupFilesystem } from './guest-setup.js';
import { crashHeadline } from '../vm/crash.js';

/** What the scheduler needs: the plan and its cases, the kernel image, how to boot, where results go. */
export interface RunPlanDeps {
  plan: Plan;
  cases: TestCase[];
  kernelLabel: string;
  image: string;
  reporter: Reporter;
  events: EventLog;
  /** Boot a fresh VM on the image (one per call); aborting `signal` tears it down at once. */
  boot: (image: string, signal: AbortSignal) => Promise<BootedGuest>;
  signal: AbortSignal;
  stages: Record<string, number>;
  /** Finished results are appended here as they end (the caller keeps them if the run throws). */
  results?: CaseResult[];
}

// On the guest's /run tmpfs: the shared host root is read-only.
const MOUNT_POINT = '/run/daxlab/dax';

/** After this many VMs lost in a row (no case finishing in between), the remaining cases are not tried. */
export const MAX_LOST_IN_A_ROW = 3;

// Every result passes through here: known issues relabel it (xfail/xpass) before the journal sees it.
function record(d: RunPlanDeps, results: CaseResult[], raw: CaseResult): Promise<void> | void {
  const r = applyKnownIssues(raw, d.plan.known);
  d.events.write({ type: 'case', result: r });
  results.push(r);
  return d.reporter.onCaseEnd?.(r);
}

async function recordAll(d: RunPlanDeps, results: CaseResult[], ctx: CaseContext, rest: TestCase[], status: 'error' | 'fail', reason: string, detail: string[] = []) {
  for (const tc of rest) {
    const r = unrunResult(tc, ctx, status, reason);
    await record(d, results, detail.length > 0 ? { ...r, klogMatches: detail } : r);
  }
}

// A boot that fails ends the run: every remaining case records why (a panic is the kernel's fault).
async function recordBootFailure(d: RunPlanDeps, results: CaseResult[], ctx: CaseContext, rest: TestCase[], err: unknown) {
  const e = err instanceof DaxlabError ? err : null;
  const detail = e?.detail ?? [];
  const panic = crashHeadline(detail);
  const status = panic ? 'fail' : 'error';
  const reason = panic ? `kernel crashed during boot: ${panic.trim()}` : `boot failed: ${(err as Error).message}`;
  await d.reporter.onStage?.('boot', reason);
  for (const line of detail.slice(-15)) await d.reporter.onStage?.('boot', `  ${line}`);
  await recordAll(d, results, ctx, rest, status, reason, detail.slice(-30));
}

// Errors that must end the run rather than one case: the results directory itself failed.
function isFatal(err: unknown): boolean {
  return err instanceof DaxlabError && err.code === 'RESULTS_IO';
}

interface Vm {
  booted: BootedGuest;
  env: GuestEnv;
  mountedFs: FsName | null;
}

async function bootVm(d: RunPlanDeps): Promise<BootedGuest> {
  const t0 = Date.now();
  await d.reporter.onStage?.('boot', `booting ${d.kernelLabel} (${d.plan.backend})`);
  const booted = await d.boot(d.image, d.signal);
  d.stages.bootMs = (d.stages.bootMs ?? 0) + (Date.now() - t0);
  d.stages.kernelInitMs = booted.timings.kernelInitMs;
  d.stages.readyMs = booted.timings.readyMs;
  await d.reporter.onStage?.('boot', `guest ready in ${(booted.timings.readyMs / 1000).toFixed(1)} s (${booted.accel.toUpperCase()})`);
  return booted;
}

// Mount tc's filesystem when another one (or none) is mounted; a setup script failure is remembered
// per filesystem (its cases are errors), a lost guest is thrown.
async function ensureFs(d: RunPlanDeps, vm: Vm, fs: FsName, fsErrors: Map<FsName, string>): Promise<void> {
  if (vm.mountedFs === fs || fsErrors.has(fs)) return;
  const t0 = Date.now();
  await d.reporter.onStage?.('setup', `${fs}: fsdax namespace, mkfs, mount -o dax=always`);
  try {
    await setupFilesystem(vm.booted.guest, vm.booted.binDir, fs, MOUNT_POINT, vm.booted.binDir);
    vm.mountedFs = fs;
  } catch (err) {
    if (!(err instanceof DaxlabError) || err.code !== 'GUEST_FAILED' || vm.booted.exited() || vm.booted.disconnected()) throw err;
    fsErrors.set(fs, err.message);
  }
  d.stages[`setup.${fs}Ms`] = Date.now() - t0;
}

/** Run every case of the plan on one kernel image; returns the results in the order they ended. */
export async function runPlanCases(d: RunPlanDeps): Promise<{ results: CaseResult[]; accel: 'kvm' | 'tcg' }> {
  const ctx: CaseContext = { kernel: d.kernelLabel, backend: d.plan.backend };
  const results: CaseResult[] = d.results ?? [];
  let vm: Vm | null = null;
  let accel: 'kvm' | 'tcg' = 'tcg';
  let lostInARow = 0;
  const fsErrors = new Map<FsName, string>();
  try {
    for (const [i, tc] of d.cases.entries()) {
      if (d.signal.aborted) break;
      if (!vm) {
        let booted: BootedGuest;
        try {
          booted = await bootVm(d);
        } catch (err) {
          if (d.signal.aborted) break;
          if (isFatal(err)) throw err;
          await recordBootFailure(d, results, ctx, d.cases.slice(i), err);
          break;
        }
        accel = booted.accel;
        vm = { booted, env: { binDir: booted.binDir, mountPoint: MOUNT_POINT, delayDevice: '', pinMs: d.plan.vm.pinMs }, mountedFs: null };
      }
      const started = new Date();
      try {
        if (!vm.env.delayDevice) vm.env.delayDevice = await setupDelayDevice(vm.booted.guest, vm.booted.binDir, d.plan.vm.pinMs);
        await ensureFs(d, vm, tc.fs, fsErrors);
        const fsError = fsErrors.get(tc.fs);
        const r = fsError !== undefined
          ? unrunResult(tc, ctx, 'error', `filesystem setup failed: ${fsError}`)
          : await runCase(vm.booted.guest, tc, getWorkload(tc.workload), vm.env, { guestScripts: vm.booted.binDir, ctx });
        await record(d, results, r);
        lostInARow = 0;
      } catch (err) {
        if (isFatal(err)) throw err;
        if (d.signal.aborted) {
          const sig = (d.signal.reason as Error)?.message ?? 'a signal';
          await record(d, results, unrunResult(tc, ctx, 'error', `interrupted by ${sig} before the case finished`));
          break;
        }
        // The guest failed mid-case: classify (panic = fail, anything else = error) and reboot.
        const r = await lostGuestResult(tc, ctx, vm.booted, err, started);
        await record(d, results, r);
        await vm.booted.shutdown();
        vm = null;
        if (++lostInARow >= MAX_LOST_IN_A_ROW && i + 1 < d.cases.length) {
          const reason = `not run: ${lostInARow} VMs were lost in a row (last: ${r.reason})`;
          await recordAll(d, results, ctx, d.cases.slice(i + 1), 'error', reason);
          break;
        }
        await d.reporter.onStage?.('boot', 'restarting the VM for the remaining cases');
      }
    }
  } finally {
    if (vm) await vm.booted.shutdown();
  }
  return { results, accel };
}

export { MOUNT_POINT };
