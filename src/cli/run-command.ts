// `daxlab run`: the main job. Plan -> cases -> kernel build -> guest programs -> boot -> cases ->
// reports. Results are journaled as each case ends; SIGINT/SIGTERM stop cleanly (a second forces);
// a run that fails half-way still writes the results of the cases that finished.
import { join } from 'node:path';
import { DaxlabError, EXIT } from '../errors.js';
import { probeHost } from '../host/probe.js';
import { expandPlan } from '../plan/expand.js';
import { parseShard, shard } from '../plan/shard.js';
import type { Plan } from '../plan/types.js';
import { ConsoleReporter } from '../results/console.js';
import { ReporterDispatcher } from '../results/dispatch.js';
import { writeReports } from '../results/files.js';
import { EventLog } from '../results/jsonl.js';
import type { CaseResult, KlogFinding, RunSummary } from '../results/types.js';
import { unrunResult } from '../run/case-result.js';
import { countStatuses, countUnexpectedSkips, exitCodeFor } from '../run/exit-code.js';
import { assertHostReady, unsupportedBackend } from '../run/host-check.js';
import { runPlanCases } from '../run/run-plan.js';
import { installSignalHandlers } from '../run/signals.js';
import { buildPlanKernel } from './build-command.js';
import { guestBooter } from './guest-booter.js';
import { prepareResultsDir } from './results-dir.js';

/** Flags of `daxlab run`. */
export interface RunFlags {
  results?: string;
  json?: boolean;
  shard?: string;
  verbose?: boolean;
  /** Extra guest kernel command-line words (repeatable --append). */
  append?: string[];
}

/** Serial log of the n-th boot of a run (1-based): serial.log, then serial.2.log, ... */
export function serialLogName(n: number): string {
  return n <= 1 ? 'serial.log' : `serial.${n}.log`;
}

/** Run the plan end to end; returns the process exit code. */
export async function runCommand(plan: Plan, flags: RunFlags): Promise<number> {
  const startedAt = new Date();
  const all = expandPlan(plan);
  const shardSpec = flags.shard ? parseShard(flags.shard) : null;
  const cases = shardSpec ? shard(all, shardSpec.index, shardSpec.total) : all;
  const resultsDir = prepareResultsDir(flags.results, plan.kernel.label, startedAt);
  const events = new EventLog(resultsDir);
  // With --json the machine-readable summary owns stdout; progress goes to stderr.
  const out = flags.json ? process.stderr : process.stdout;
  const reporter = new ReporterDispatcher([new ConsoleReporter(out, { color: !flags.json && Boolean(process.stdout.isTTY), verbose: Boolean(flags.verbose) })]);
  const abort = new AbortController();
  const stages: Record<string, number> = {};
  const results: CaseResult[] = [];
  const findings: KlogFinding[] = [];
  let accel: 'kvm' | 'tcg' = 'tcg';
  const summaryOf = (exitCode: number): RunSummary => ({
    plan: plan.name,
    kernel: plan.kernel.label,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    counts: countStatuses(results),
    stages,
    accel,
    exitCode,
    ...(findings.length > 0 ? { findings } : {}),
  });
  // The journal's end event and the reports, from the results so far (synchronous: usable at exit).
  // Cases that run at once end in any order; the reports list them in plan order.
  const order = new Map(cases.map((c, i) => [c.id, i]));
  const finish = (exitCode: number) => {
    const summary = summaryOf(exitCode);
    events.write({ type: 'end', summary });
    events.close();
    const sorted = [...results].sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
    return { summary, files: writeReports(resultsDir, summary, sorted) };
  };
  const signals = installSignalHandlers(abort, (m) => process.stderr.write(`${m}\n`), (code) => finish(code));
  const stage = async (name: string, message: string) => {
    events.write({ type: 'stage', stage: name, message, at: new Date().toISOString() });
    await reporter.onStage(name, message);
  };
  let failure: unknown = null;
  try {
    events.write({ type: 'begin', plan: plan.name, kernel: plan.kernel.label, cases: cases.length, startedAt: startedAt.toISOString() });
    await reporter.onBegin({ plan: plan.name, kernel: plan.kernel.label, cases: cases.length });
    const caps = await probeHost({ qemu: plan.vm.qemu, virtiofsd: plan.vm.virtiofsd });
    const unsupported = unsupportedBackend(plan, caps);
    if (unsupported) {
      // Nothing to build or boot: this host cannot provide the backend (a KCIDB MISS per case).
      await stage('host', `skipping every case: ${unsupported}`);
      for (const tc of cases) {
        const r = unrunResult(tc, { kernel: plan.kernel.label, backend: plan.backend }, 'skip', unsupported);
        events.write({ type: 'case', result: r });
        results.push(r);
        await reporter.onCaseEnd(r);
      }
    } else {
      assertHostReady(plan, caps);
      await stage('host', caps.kvm ? 'KVM is usable: hardware virtualisation' : `KVM not usable (${caps.kvmReason}): using TCG, software emulation`);
      let t0 = Date.now();
      const built = await buildPlanKernel(plan, join(resultsDir, 'build'), (s) => void stage('build', s).catch(() => undefined), abort.signal);
      stages.buildMs = Date.now() - t0;
      await stage('build', `${built.cached ? 'cache hit' : 'built'} in ${built.seconds.toFixed(1)} s: ${built.artifact.image}`);
      t0 = Date.now();
      const boot = await guestBooter(plan, caps, { selftestsDir: built.artifact.selftests, extraCmdline: flags.append });
      stages.compileMs = Date.now() - t0;
      let boots = 0;
      const run = await runPlanCases({
        plan,
        cases,
        kernelLabel: plan.kernel.label,
        image: built.artifact.image,
        reporter,
        events,
        signal: abort.signal,
        stages,
        results,
        findings,
        boot: (image, signal) => boot(image, join(resultsDir, serialLogName(++boots)), signal),
      });
      accel = run.accel;
    }
  } catch (err) {
    // An interrupt that cancelled a build or boot is reported as an interrupt, with the results so far.
    if (!abort.signal.aborted) failure = err;
  }
  const interrupted = abort.signal.aborted ? signals.exitCode() : null;
  if (failure !== null) {
    signals.dispose();
    // Keep what finished (best effort: the results directory may be the thing that failed).
    if (results.length > 0) {
      const code = failure instanceof DaxlabError ? failure.exitCode : EXIT.infra;
      let where = events.path;
      try {
        where = finish(code).files.json;
      } catch {
        // the original failure is what matters; the journal holds every case that finished
      }
      process.stderr.write(`daxlab: the run stopped early; ${results.length} finished case(s) are in ${where}\n`);
    }
    throw failure;
  }
  const exitCode = interrupted ?? exitCodeFor(countStatuses(results), findings.length, countUnexpectedSkips(results, plan.expectedSkips));
  let written: ReturnType<typeof finish>;
  try {
    written = finish(exitCode);
  } catch (err) {
    signals.dispose();
    process.stderr.write(`daxlab: ${results.length} finished case(s) are journaled in ${events.path}; rebuild the reports elsewhere: daxlab report ${events.path} --out <dir>\n`);
    throw err;
  }
  const { summary, files } = written;
  signals.dispose();
  await reporter.onEnd(summary, results);
  if (interrupted !== null) process.stderr.write(`daxlab: interrupted; ${results.length} finished case(s) kept in ${resultsDir}\n`);
  out.write(`results: ${files.json}\njunit:   ${files.junit}\nevents:  ${events.path}\n`);
  if (flags.json) process.stdout.write(JSON.stringify({ ...summary, resultsDir, files }) + '\n');
  return exitCode;
}
