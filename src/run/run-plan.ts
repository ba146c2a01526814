// The scheduler: boot, set up each filesystem, run cases back to back, record each result as it
// ends, reboot after a lost VM or a tainted kernel, and tear down in reverse order whatever happens.
import { DaxlabError } from '../errors.js';
import type { FsName, Plan, TestCase } from '../plan/types.js';
import type { EventLog } from '../results/jsonl.js';
import { applyKnownIssues } from '../results/known.js';
import { badTaint, describeTaint } from '../results/taint.js';
import type { CaseResult, KlogFinding, Reporter } from '../results/types.js';
import { getWorkload } from '../workloads/catalogue.js';
import type { BootedGuest } from './booted-guest.js';
import { unrunResult, type CaseContext } from './case-result.js';
import { readKlogState, runCase, type CaseRun } from './case-runner.js';
import { KlogLedger } from './klog-ledger.js';
import { lostGuestResult } from './lost-guest.js';
import { setupDelayDevice, setupFilesystem } from './guest-setup.js';
import { crashHeadline } from '../vm/crash.js';
import type { GuestEnv } from '../workloads/types.js';

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
  /** Kernel-log findings outside every case are appended here as they are seen. */
  findings?: KlogFinding[];
}

// On the guest's /run tmpfs: the shared host root is read-only.
const MOUNT_POINT = '/run/daxlab/dax';

/** After this many VMs lost in a row (no case finishing in between), the remaining cases are not tried. */
export const MAX_LOST_IN_A_ROW = 3;

interface Vm {
  booted: BootedGuest;
  env: GuestEnv;
  mountedFs: FsName | null;
  ledger: KlogLedger;
}

/** The run's mutable state, shared by the steps below. */
interface RunState {
  d: RunPlanDeps;
  ctx: CaseContext;
  results: CaseResult[];
  findings: KlogFinding[];
  fsErrors: Map<FsName, string>;
  accel: 'kvm' | 'tcg';
}

// Every result passes through here: known issues relabel it (xfail/xpass) before the journal sees it.
async function record(s: RunState, raw: CaseResult): Promise<void> {
  const r = applyKnownIssues(raw, s.d.plan.known);
  s.d.events.write({ type: 'case', result: r });
  s.results.push(r);
  await s.d.reporter.onCaseEnd?.(r);
}

async function recordFindings(s: RunState, findings: KlogFinding[]): Promise<void> {
  for (const f of findings) {
    s.d.events.write({ type: 'finding', finding: f });
    s.findings.push(f);
    await s.d.reporter.onFinding?.(f);
  }
}

async function recordAll(s: RunState, rest: TestCase[], status: 'error' | 'fail', reason: string, detail: string[] = []) {
  for (const tc of rest) {
    const r = unrunResult(tc, s.ctx, status, reason);
    await record(s, detail.length > 0 ? { ...r, klogMatches: detail } : r);
  }
}

// A boot that fails ends the run: every remaining case records why (a panic is the kernel's fault).
async function recordBootFailure(s: RunState, rest: TestCase[], err: unknown) {
  const detail = err instanceof DaxlabError ? err.detail : [];
  const panic = crashHeadline(detail);
  const status = panic ? 'fail' : 'error';
  const reason = panic ? `kernel crashed during boot: ${panic.trim()}` : `boot failed: ${(err as Error).message}`;
  await s.d.reporter.onStage?.('boot', reason);
  for (const line of detail.slice(-15)) await s.d.reporter.onStage?.('boot', `  ${line}`);
  await recordAll(s, rest, status, reason, detail.slice(-30));
}

// Errors that must end the run rather than one case: the results directory itself failed.
function isFatal(err: unknown): boolean {
  return err instanceof DaxlabError && err.code === 'RESULTS_IO';
}

// Boot, then read the boot's kernel log and taint: a kernel tainted by booting cannot run cases.
async function bootVm(s: RunState): Promise<Vm | { taintedAtBoot: string }> {
  const { d } = s;
  const t0 = Date.now();
  await d.reporter.onStage?.('boot', `booting ${d.kernelLabel} (${d.plan.backend})`);
  const booted = await d.boot(d.image, d.signal);
  d.stages.bootMs = (d.stages.bootMs ?? 0) + (Date.now() - t0);
  d.stages.kernelInitMs = booted.timings.kernelInitMs;
  d.stages.readyMs = booted.timings.readyMs;
  s.accel = booted.accel;
  await d.reporter.onStage?.('boot', `guest ready in ${(booted.timings.readyMs / 1000).toFixed(1)} s (${booted.accel.toUpperCase()})`);
  const ledger = new KlogLedger(booted.serialLog);
  const state = await readKlogState(booted.guest, booted.binDir, 0);
  if (state.kmsg) await recordFindings(s, ledger.takeOutside(state.kmsg, 'boot'));
  const bad = badTaint(state.taint);
  if (bad !== 0 || !state.kmsg) {
    await booted.shutdown();
    return { taintedAtBoot: bad !== 0 ? `the kernel was tainted right after boot: ${describeTaint(bad)}` : `the kernel log cannot be read after boot (${state.kmsgError})` };
  }
  const env: GuestEnv = { binDir: booted.binDir, mountPoint: MOUNT_POINT, delayDevice: '', pinMs: d.plan.vm.pinMs };
  return { booted, env, mountedFs: null, ledger };
}

// Read what the kernel logged after the last case, then stop the VM.
async function endVm(s: RunState, vm: Vm): Promise<void> {
  if (!vm.booted.exited() && !vm.booted.disconnected()) {
    const state = await readKlogState(vm.booted.guest, vm.booted.binDir, vm.ledger.cursor).catch(() => null);
    if (state?.kmsg) await recordFindings(s, vm.ledger.takeOutside(state.kmsg, 'end'));
  }
  await vm.booted.shutdown();
}

// Mount tc's filesystem when another one (or none) is mounted; a setup script failure is remembered
// per filesystem (its cases are errors), a lost guest is thrown.
async function ensureFs(s: RunState, vm: Vm, fs: FsName): Promise<void> {
  if (vm.mountedFs === fs || s.fsErrors.has(fs)) return;
  const t0 = Date.now();
  await s.d.reporter.onStage?.('setup', `${fs}: fsdax namespace, mkfs, mount -o dax=always`);
  try {
    await setupFilesystem(vm.booted.guest, vm.booted.binDir, fs, MOUNT_POINT, vm.booted.binDir);
    vm.mountedFs = fs;
  } catch (err) {
    if (!(err instanceof DaxlabError) || err.code !== 'GUEST_FAILED' || vm.booted.exited() || vm.booted.disconnected()) throw err;
    s.fsErrors.set(fs, err.message);
  }
  s.d.stages[`setup.${fs}Ms`] = Date.now() - t0;
}

// Set up what the case needs and run it; an unrunnable case (its filesystem failed) is an error result.
async function runOne(s: RunState, vm: Vm, tc: TestCase): Promise<CaseRun> {
  if (!vm.env.delayDevice) vm.env.delayDevice = await setupDelayDevice(vm.booted.guest, vm.booted.binDir, s.d.plan.vm.pinMs);
  await ensureFs(s, vm, tc.fs);
  const fsError = s.fsErrors.get(tc.fs);
  if (fsError !== undefined) {
    return { result: unrunResult(tc, s.ctx, 'error', `filesystem setup failed: ${fsError}`), findings: [], rebootAfter: false, rerunOnFreshBoot: false };
  }
  return runCase(vm.booted.guest, tc, getWorkload(tc.workload), vm.env, { guestScripts: vm.booted.binDir, ctx: s.ctx, ledger: vm.ledger });
}

/** Run every case of the plan on one kernel image; returns the results in the order they ended. */
export async function runPlanCases(d: RunPlanDeps): Promise<{ results: CaseResult[]; accel: 'kvm' | 'tcg'; findings: KlogFinding[] }> {
  const s: RunState = {
    d, ctx: { kernel: d.kernelLabel, backend: d.plan.backend }, results: d.results ?? [], findings: d.findings ?? [],
    fsErrors: new Map(), accel: 'tcg',
  };
  let vm: Vm | null = null;
  let lostInARow = 0;
  let rerun = -1; // index of the case already re-run once on a fresh boot
  try {
    for (let i = 0; i < d.cases.length && !d.signal.aborted; i++) {
      const tc = d.cases[i]!;
      if (!vm) {
        let booted: Vm | { taintedAtBoot: string };
        try {
          booted = await bootVm(s);
        } catch (err) {
          if (d.signal.aborted) break;
          if (isFatal(err)) throw err;
          await recordBootFailure(s, d.cases.slice(i), err);
          break;
        }
        if ('taintedAtBoot' in booted) {
          await recordAll(s, d.cases.slice(i), 'error', `not run: ${booted.taintedAtBoot}`);
          break;
        }
        vm = booted;
      }
      const started = new Date();
      const cur: Vm = vm;
      try {
        const run = await runOne(s, cur, tc);
        await recordFindings(s, run.findings);
        if (run.rerunOnFreshBoot && rerun !== i) {
          // The kernel was tainted before this case began (by something logged between cases):
          // its verdict proves nothing. Run it again, once, on a fresh boot.
          await d.reporter.onStage?.('boot', `${tc.id} started on a tainted kernel: rebooting to run it again`);
          rerun = i--;
          vm = null;
          await endVm(s, cur);
          continue;
        }
        await record(s, run.result);
        lostInARow = 0;
        if (run.rebootAfter) {
          await d.reporter.onStage?.('boot', `the kernel is tainted after ${tc.id}: rebooting before the next case`);
          vm = null;
          await endVm(s, cur);
        }
      } catch (err) {
        if (isFatal(err)) throw err;
        if (d.signal.aborted) {
          const sig = (d.signal.reason as Error)?.message ?? 'a signal';
          await record(s, unrunResult(tc, s.ctx, 'error', `interrupted by ${sig} before the case finished`));
          break;
        }
        // The guest failed mid-case: classify (panic = fail, anything else = error) and reboot.
        const r = await lostGuestResult(tc, s.ctx, cur.booted, err, started);
        await record(s, r);
        vm = null;
        await cur.booted.shutdown();
        if (++lostInARow >= MAX_LOST_IN_A_ROW && i + 1 < d.cases.length) {
          await recordAll(s, d.cases.slice(i + 1), 'error', `not run: ${lostInARow} VMs were lost in a row (last: ${r.reason})`);
          break;
        }
        await d.reporter.onStage?.('boot', 'restarting the VM for the remaining cases');
      }
    }
    if (vm && !d.signal.aborted) {
      const last: Vm = vm;
      vm = null;
      await endVm(s, last);
    }
  } finally {
    if (vm) await (vm as Vm).booted.shutdown();
  }
  return { results: s.results, accel: s.accel, findings: s.findings };
}

export { MOUNT_POINT };
