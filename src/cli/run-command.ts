// `daxlab run`: the main job. Plan -> cases -> kernel build -> guest programs -> boot -> cases ->
// reports. Results are journaled as each case ends; SIGINT/SIGTERM stop cleanly (a second forces).
import { join } from 'node:path';
import { probeHost } from '../host/probe.js';
import { cacheRoot } from '../kernel/cache-dir.js';
import { expandPlan } from '../plan/expand.js';
import { parseShard, shard } from '../plan/shard.js';
import type { Plan } from '../plan/types.js';
import { ConsoleReporter } from '../results/console.js';
import { ReporterDispatcher } from '../results/dispatch.js';
import { writeReports } from '../results/files.js';
import { EventLog } from '../results/jsonl.js';
import type { RunSummary } from '../results/types.js';
import { bootGuest } from '../run/boot-guest.js';
import { countStatuses, exitCodeFor } from '../run/exit-code.js';
import { assertHostReady } from '../run/host-check.js';
import { runPlanCases } from '../run/run-plan.js';
import { installSignalHandlers } from '../run/signals.js';
import { compileGuestPrograms } from '../workloads/compile.js';
import { buildPlanKernel } from './build-command.js';
import { GUEST_SCRIPTS_DIR } from './paths.js';
import { prepareResultsDir } from './results-dir.js';

export interface RunFlags {
  results?: string;
  json?: boolean;
  shard?: string;
  verbose?: boolean;
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
  const signals = installSignalHandlers(abort, (m) => process.stderr.write(`${m}\n`));
  const stages: Record<string, number> = {};
  const stage = async (name: string, message: string) => {
    events.write({ type: 'stage', stage: name, message, at: new Date().toISOString() });
    await reporter.onStage(name, message);
  };
  let results: Awaited<ReturnType<typeof runPlanCases>>['results'] = [];
  let accel: 'kvm' | 'tcg' = 'tcg';
  try {
    events.write({ type: 'begin', plan: plan.name, kernel: plan.kernel.label, cases: cases.length, startedAt: startedAt.toISOString() });
    await reporter.onBegin({ plan: plan.name, kernel: plan.kernel.label, cases: cases.length });
    const caps = await probeHost({ qemu: plan.vm.qemu, virtiofsd: plan.vm.virtiofsd });
    assertHostReady(plan, caps);
    await stage('host', caps.kvm ? 'KVM is usable: hardware virtualisation' : `KVM not usable (${caps.kvmReason}): using TCG, software emulation`);
    let t0 = Date.now();
    const built = await buildPlanKernel(plan, join(resultsDir, 'build'), (s) => void stage('build', s), abort.signal);
    stages.buildMs = Date.now() - t0;
    await stage('build', `${built.cached ? 'cache hit' : 'built'} in ${built.seconds.toFixed(1)} s: ${built.artifact.image}`);
    t0 = Date.now();
    const guestBin = await compileGuestPrograms(GUEST_SCRIPTS_DIR, join(cacheRoot(), 'guest-bin'));
    stages.compileMs = Date.now() - t0;
    const run = await runPlanCases({
      plan,
      cases,
      kernelLabel: plan.kernel.label,
      image: built.artifact.image,
      guestScripts: GUEST_SCRIPTS_DIR,
      reporter,
      events,
      signal: abort.signal,
      stages,
      boot: (image) =>
        bootGuest({ plan, caps, image, binDir: guestBin.binDir, init: join(GUEST_SCRIPTS_DIR, 'init.sh'), serialLog: join(resultsDir, 'serial.log') }),
    });
    results = run.results;
    accel = run.accel;
  } catch (err) {
    // An interrupt that cancelled a build or boot is reported as an interrupt, with the results so far.
    if (!abort.signal.aborted) throw err;
  } finally {
    signals.dispose();
  }
  const counts = countStatuses(results);
  const interrupted = abort.signal.aborted ? signals.exitCode() : null;
  const exitCode = interrupted ?? exitCodeFor(counts);
  const summary: RunSummary = {
    plan: plan.name,
    kernel: plan.kernel.label,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    counts,
    stages,
    accel,
    exitCode,
  };
  events.write({ type: 'end', summary });
  events.close();
  const files = writeReports(resultsDir, summary, results);
  await reporter.onEnd(summary, results);
  if (interrupted !== null) process.stderr.write(`daxlab: interrupted; ${results.length} finished case(s) kept in ${resultsDir}\n`);
  out.write(`results: ${files.json}\njunit:   ${files.junit}\nevents:  ${events.path}\n`);
  if (flags.json) process.stdout.write(JSON.stringify({ ...summary, resultsDir, files }) + '\n');
  return exitCode;
}

