// The scheduler: build once, boot, set up each filesystem, run cases back to back, record each
// result as it ends, reboot after a lost VM, and tear down in reverse order whatever happens.
import { DaxlabError } from '../errors.js';
import type { FsName, Plan, TestCase } from '../plan/types.js';
import type { EventLog } from '../results/jsonl.js';
import type { CaseResult, Reporter } from '../results/types.js';
import { getWorkload } from '../workloads/catalogue.js';
import type { GuestEnv } from '../workloads/types.js';
import type { BootedGuest } from './booted-guest.js';
import { unrunResult, type CaseContext } from './case-result.js';
import { runCase } from './case-runner.js';
import { lostGuestResult } from './lost-guest.js';
import { setupDelayDevice, setupFilesystem } from './guest-setup.js';

export interface RunPlanDeps {
  plan: Plan;
  cases: TestCase[];
  kernelLabel: string;
  image: string;
  guestScripts: string;
  reporter: Reporter;
  events: EventLog;
  /** Boot a fresh VM on the image (one per call). */
  boot: (image: string) => Promise<BootedGuest>;
  signal: AbortSignal;
  stages: Record<string, number>;
}

// On the guest's /run tmpfs: the shared host root is read-only.
const MOUNT_POINT = '/run/daxlab/dax';

function record(d: RunPlanDeps, results: CaseResult[], r: CaseResult): Promise<void> | void {
  d.events.write({ type: 'case', result: r });
  results.push(r);
  return d.reporter.onCaseEnd?.(r);
}

// A boot that fails ends the run: every remaining case records why (a panic is the kernel's fault).
async function recordBootFailure(d: RunPlanDeps, results: CaseResult[], ctx: CaseContext, rest: TestCase[], err: unknown) {
  const e = err instanceof DaxlabError ? err : null;
  const detail = e?.detail ?? [];
  const panic = detail.find((l) => /Kernel panic|BUG:|Oops/.test(l));
  const status = panic ? 'fail' : 'error';
  const reason = panic ? `kernel crashed during boot: ${panic.trim()}` : `boot failed: ${(err as Error).message}`;
  await d.reporter.onStage?.('boot', reason);
  for (const line of detail.slice(-15)) await d.reporter.onStage?.('boot', `  ${line}`);
  for (const tc of rest) await record(d, results, unrunResult(tc, ctx, status, reason));
}

/** Run every case of the plan on one kernel image; returns the results in the order they ended. */
export async function runPlanCases(d: RunPlanDeps): Promise<{ results: CaseResult[]; accel: 'kvm' | 'tcg' }> {
  const ctx: CaseContext = { kernel: d.kernelLabel, backend: d.plan.backend };
  const results: CaseResult[] = [];
  let booted: BootedGuest | null = null;
  let accel: 'kvm' | 'tcg' = 'tcg';
  let env: GuestEnv | null = null;
  let mountedFs: FsName | null = null;
  const fsErrors = new Map<FsName, string>();
  try {
    for (const tc of d.cases) {
      if (d.signal.aborted) break;
      if (!booted) {
        const t0 = Date.now();
        await d.reporter.onStage?.('boot', `booting ${d.kernelLabel} (${d.plan.backend})`);
        try {
          booted = await d.boot(d.image);
        } catch (err) {
          await recordBootFailure(d, results, ctx, d.cases.slice(d.cases.indexOf(tc)), err);
          break;
        }
        accel = booted.accel;
        d.stages.bootMs = (d.stages.bootMs ?? 0) + (Date.now() - t0);
        d.stages.kernelInitMs = booted.timings.kernelInitMs;
        d.stages.readyMs = booted.timings.readyMs;
        await d.reporter.onStage?.('boot', `guest ready in ${(booted.timings.readyMs / 1000).toFixed(1)} s (${accel.toUpperCase()})`);
        const device = await setupDelayDevice(booted.guest, d.guestScripts, d.plan.vm.pinMs);
        env = { binDir: booted.binDir, mountPoint: MOUNT_POINT, delayDevice: device, pinMs: d.plan.vm.pinMs };
        mountedFs = null;
      }
      if (mountedFs !== tc.fs && !fsErrors.has(tc.fs)) {
        const t0 = Date.now();
        await d.reporter.onStage?.('setup', `${tc.fs}: fsdax namespace, mkfs, mount -o dax=always`);
        try {
          await setupFilesystem(booted.guest, d.guestScripts, tc.fs, MOUNT_POINT, booted.binDir);
          mountedFs = tc.fs;
        } catch (err) {
          if (!(err instanceof DaxlabError) || err.code !== 'GUEST_FAILED' || booted.exited()) throw err;
          fsErrors.set(tc.fs, err.message);
        }
        d.stages[`setup.${tc.fs}Ms`] = Date.now() - t0;
      }
      const fsError = fsErrors.get(tc.fs);
      if (fsError !== undefined) {
        await record(d, results, unrunResult(tc, ctx, 'error', `filesystem setup failed: ${fsError}`));
        continue;
      }
      try {
        const r = await runCase(booted.guest, tc, getWorkload(tc.workload), env!, { guestScripts: d.guestScripts, ctx });
        await record(d, results, r);
      } catch (err) {
        // The guest channel failed mid-case: classify (panic = fail, anything else = error) and reboot.
        const r = await lostGuestResult(tc, ctx, booted, err);
        await record(d, results, r);
        await booted.shutdown();
        booted = null;
      }
    }
  } finally {
    if (booted) await booted.shutdown();
  }
  return { results, accel };
}

export { MOUNT_POINT };
