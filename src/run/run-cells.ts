// A run of several cells (kernel x target): each distinct kernel is built once, in plan order, and
// each cell starts as soon as its kernel is ready and its target has a free slot. While guests run,
// builds use one make job, so they do not take the CPU from timed pins.
import { availableParallelism } from 'node:os';
import { DaxlabError } from '../errors.js';
import type { BuildResult } from '../kernel/build.js';
import type { KernelSpec, Plan } from '../plan/types.js';
import type { EventLog } from '../results/jsonl.js';
import type { CaseResult, KlogFinding, Reporter } from '../results/types.js';
import type { RunTarget } from '../targets/types.js';
import { knownIssuesFor } from '../results/known.js';
import { unrunResult } from './case-result.js';
import type { GuestAccel } from './booted-guest.js';
import { cellName, type Cell } from './cells.js';
import { runPlanCases } from './run-plan.js';

/** What a run of cells needs. */
export interface RunCellsDeps {
  plan: Plan;
  cells: Cell[];
  targets: Map<string, RunTarget>;
  reporter: Reporter;
  events: EventLog;
  signal: AbortSignal;
  stages: Record<string, number>;
  results: CaseResult[];
  findings: KlogFinding[];
  /** Build (or fetch from the cache) one kernel with `make -j<jobs>`. */
  build(kernel: KernelSpec, jobs: number): Promise<BuildResult>;
  /** Where the n-th boot (1-based) of a cell logs its console. */
  serialLog(cell: Cell, n: number): string;
  /** Several kernels: a kernel that does not build is an error of its cases, not the end of the run. */
  multi: boolean;
  /** Re-run a failing case up to this many times (--rerun-failures). */
  rerunFailures?: number;
}

type Built = { ok: BuildResult } | { err: unknown };

async function recordUnrun(d: RunCellsDeps, cell: Cell, status: 'skip' | 'error', reason: string): Promise<void> {
  for (const tc of cell.cases) {
    const r = unrunResult(tc, { kernel: cell.kernel.label, backend: d.plan.backend, target: cell.target }, status, reason);
    d.events.write({ type: 'case', result: r });
    d.results.push(r);
    await d.reporter.onCaseEnd?.(r);
  }
}

/** Run every cell; returns the accelerator the guests used and the last guest clocksource read. */
export async function runCells(d: RunCellsDeps): Promise<GuestAccel> {
  let accel: GuestAccel = { accel: 'tcg' };
  const pending: Cell[] = [];
  for (const cell of d.cells) {
    const why = d.targets.get(cell.target)!.unsupported(d.plan);
    if (why) await recordUnrun(d, cell, 'skip', why);
    else pending.push(cell);
  }
  // One build at a time, in the order the kernels' cells come.
  const running = new Set<Promise<void>>();
  const built = new Map<string, Built>();
  const labels = [...new Set(pending.map((c) => c.kernel.label))];
  let buildChain: Promise<void> = Promise.resolve();
  let wake: () => void = () => undefined;
  for (const label of labels) {
    const kernel = pending.find((c) => c.kernel.label === label)!.kernel;
    buildChain = buildChain.then(async () => {
      if (d.signal.aborted) return void built.set(label, { err: new DaxlabError('INTERRUPTED', 'interrupted before the build') });
      const jobs = running.size > 0 ? 1 : availableParallelism();
      const t0 = Date.now();
      try {
        built.set(label, { ok: await d.build(kernel, jobs) });
      } catch (err) {
        built.set(label, { err });
      }
      d.stages[labels.length > 1 ? `build.${label}Ms` : 'buildMs'] = Date.now() - t0;
      wake();
    });
  }
  const used = new Map<string, number>();
  // A cell that throws (the results directory failed, a target broke) ends the run once the others end.
  const failures: unknown[] = [];
  while (pending.length > 0 || running.size > 0) {
    for (const cell of [...pending]) {
      if (d.signal.aborted) break;
      const b = built.get(cell.kernel.label);
      const target = d.targets.get(cell.target)!;
      if (!b || (used.get(cell.target) ?? 0) >= target.slots) continue;
      pending.splice(pending.indexOf(cell), 1);
      if ('err' in b) {
        if (!d.multi) throw b.err;
        await recordUnrun(d, cell, 'error', `kernel ${cell.kernel.label} did not build: ${(b.err as Error).message}`);
        continue;
      }
      used.set(cell.target, (used.get(cell.target) ?? 0) + 1);
      const p: Promise<void> = runCell(d, cell, target, b.ok).then((a) => void (accel = a), (err: unknown) => void failures.push(err)).finally(() => {
        running.delete(p);
        used.set(cell.target, used.get(cell.target)! - 1);
        wake();
      });
      running.add(p);
    }
    if ((d.signal.aborted || failures.length > 0) && running.size === 0) break;
    if (failures.length > 0) pending.length = 0;
    if (pending.length === 0 && running.size === 0) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
      void Promise.race([...running]).then(resolve, resolve);
    });
  }
  await buildChain;
  if (failures.length > 0) throw failures[0];
  return accel;
}

// One cell: boot on its target, run its cases (lanes, reboots), as runPlanCases does.
async function runCell(d: RunCellsDeps, cell: Cell, target: RunTarget, b: BuildResult): Promise<GuestAccel> {
  // Known issues scoped to kernel versions apply only when the built release is in their range.
  const release = b.artifact.meta.kernelRelease ?? null;
  const known = knownIssuesFor(d.plan.known, release);
  if (known.length !== d.plan.known.length) {
    await d.reporter.onStage?.('known', `${known.length} of ${d.plan.known.length} known issues apply to ${cell.kernel.label} (${release ?? 'release unknown'})`);
  }
  const plan = { ...d.plan, kernel: cell.kernel, known };
  const boot = await target.booter(plan, b);
  let boots = 0;
  await d.reporter.onStage?.('run', `${cellName({ kernel: cell.kernel.label, target: cell.target })}: ${cell.cases.length} cases`);
  const run = await runPlanCases({
    plan,
    cases: cell.cases,
    kernelLabel: cell.kernel.label,
    target: cell.target,
    image: b.artifact.image,
    reporter: d.reporter,
    events: d.events,
    signal: d.signal,
    stages: d.stages,
    results: d.results,
    findings: d.findings,
    rerunFailures: d.rerunFailures,
    boot: (image, signal) => boot(image, d.serialLog(cell, ++boots), signal),
  });
  return run.accel;
}
