// `daxlab run`: the main job. Plan -> cases -> cells (kernel x target) -> builds -> guests -> cases
// -> reports. Results are journaled as each case ends; SIGINT/SIGTERM stop cleanly (a second
// forces); a run that fails half-way still writes the results of the cases that finished.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DaxlabError, EXIT } from '../errors.js';
import { buildKernel } from '../kernel/build.js';
import { cacheRoot } from '../kernel/cache-dir.js';
import { expandRun } from '../plan/expand.js';
import { fullCaseName, parseCaseNames, selectCases } from '../plan/select.js';
import { parseShard, shard } from '../plan/shard.js';
import type { Plan } from '../plan/types.js';
import { ConsoleReporter } from '../results/console.js';
import { ReporterDispatcher } from '../results/dispatch.js';
import { writeReports } from '../results/files.js';
import { EventLog } from '../results/jsonl.js';
import type { CaseResult, KlogFinding, RunSummary } from '../results/types.js';
import { cellName, cellsOf, isMultiCell, type Cell } from '../run/cells.js';
import { countStatuses, countUnexpectedSkips, runExitCode } from '../run/exit-code.js';
import type { GuestAccel } from '../run/booted-guest.js';
import { checkGuestsFitCores } from '../run/jobs-check.js';
import { runCells } from '../run/run-cells.js';
import { installSignalHandlers } from '../run/signals.js';
import { closeTargets, openTargets } from '../targets/open.js';
import type { RunTarget } from '../targets/types.js';
import { kernelInfo } from './kernel-info.js';
import { prepareResultsDir } from './results-dir.js';

/** Flags of `daxlab run`. */
export interface RunFlags {
  results?: string;
  json?: boolean;
  shard?: string;
  /** A file naming the cases to run (<kernel>@<target>:<id> per line): a lab worker's shard. */
  cases?: string;
  verbose?: boolean;
  /** Extra guest kernel command-line words (repeatable --append). */
  append?: string[];
  /** The file declaring targets other than local (--target-file). */
  targetFile?: string;
  /** Guests run at once on the local target (--jobs). */
  jobs?: string;
  /** Re-run a failing case up to N times (--rerun-failures). */
  rerunFailures?: string;
}

/** The --rerun-failures value: 0 to 10 (default 0). */
export function parseReruns(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0 || n > 10) throw new DaxlabError('USAGE', `invalid --rerun-failures '${text}': expected an integer from 0 to 10`);
  return n;
}

// The --cases file's text; a missing file is bad input (exit 2), not an infrastructure failure.
function readCasesFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new DaxlabError('USAGE', `--cases ${file}: ${(err as Error).message}`);
  }
}

/** Serial log of the n-th boot of a run (1-based): serial.log, then serial.2.log, ... */
export function serialLogName(n: number, cell?: string): string {
  const base = cell ? `serial.${cell.replace(/[^A-Za-z0-9@._+-]/g, '_')}` : 'serial';
  return n <= 1 ? `${base}.log` : `${base}.${n}.log`;
}

/** The --jobs value: 1 to 8 guests at once (default 1). */
export function parseJobs(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 8) throw new DaxlabError('USAGE', `invalid --jobs '${text}': expected an integer from 1 to 8`);
  return n;
}

/** Run the plan end to end; returns the process exit code. */
export async function runCommand(plan: Plan, flags: RunFlags): Promise<number> {
  const startedAt = new Date();
  const jobs = parseJobs(flags.jobs);
  const crowded = checkGuestsFitCores('--jobs', jobs, plan.vm.cpus, availableParallelism());
  const rerunFailures = parseReruns(flags.rerunFailures);
  const all = expandRun(plan);
  const shardSpec = flags.shard ? parseShard(flags.shard) : null;
  const chosen = flags.cases ? selectCases(all, parseCaseNames(readCasesFile(flags.cases)), flags.cases) : all;
  const cases = shardSpec ? shard(chosen, shardSpec.index, shardSpec.total) : chosen;
  const multi = isMultiCell(plan);
  const label = multi ? plan.name : plan.kernel.label;
  const resultsDir = prepareResultsDir(flags.results, label, startedAt);
  const events = new EventLog(resultsDir);
  // With --json the machine-readable summary owns stdout; progress goes to stderr.
  const out = flags.json ? process.stderr : process.stdout;
  const color = !flags.json && Boolean(process.stdout.isTTY);
  const reporter = new ReporterDispatcher([new ConsoleReporter(out, { color, verbose: Boolean(flags.verbose), showCell: multi })]);
  const abort = new AbortController();
  const stages: Record<string, number> = {};
  const results: CaseResult[] = [];
  const findings: KlogFinding[] = [];
  const kernels = plan.kernels.map((k) => k.label).join(', ');
  let guest: GuestAccel = { accel: 'tcg' };
  // What each kernel is (source, patches, fragments), completed with its build once built.
  const kernelInfos = new Map(plan.kernels.map((k) => [k.label, kernelInfo(k)]));
  let kernelRelease: string | undefined;
  const summaryOf = (exitCode: number): RunSummary => ({
    plan: plan.name,
    kernel: kernels,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    counts: countStatuses(results),
    stages,
    ...guest,
    exitCode,
    ...(findings.length > 0 ? { findings } : {}),
    kernels: [...kernelInfos.values()],
    ...(kernelRelease ? { kernelRelease } : {}),
  });
  // Cases that run at once end in any order; the reports list them in plan order.
  const order = new Map(cases.map((c, i) => [fullCaseName(c), i]));
  const place = (r: CaseResult) => order.get(fullCaseName(r)) ?? 0;
  // The journal's end event and the reports, from the results so far (synchronous: usable at exit).
  const finish = (exitCode: number) => {
    const summary = summaryOf(exitCode);
    events.write({ type: 'end', summary });
    events.close();
    return { summary, files: writeReports(resultsDir, summary, [...results].sort((x, y) => place(x) - place(y))) };
  };
  const signals = installSignalHandlers(abort, (m) => process.stderr.write(`${m}\n`), (code) => finish(code));
  const stage = async (name: string, message: string) => {
    events.write({ type: 'stage', stage: name, message, at: new Date().toISOString() });
    await reporter.onStage(name, message);
  };
  let failure: unknown = null;
  const targets = new Map<string, RunTarget>();
  try {
    events.write({ type: 'begin', plan: plan.name, kernel: kernels, cases: cases.length, startedAt: startedAt.toISOString() });
    await reporter.onBegin({ plan: plan.name, kernel: kernels, cases: cases.length });
    for (const [name, t] of await openTargets(plan, { jobs, append: flags.append, targetFile: flags.targetFile, say: (m) => void stage('host', m).catch(() => undefined) })) targets.set(name, t);
    for (const t of targets.values()) await stage('host', multi ? `${t.name}: ${t.describe()}` : t.describe());
    if (crowded) await stage('host', `warning: ${crowded}`);
    const cells = cellsOf(plan, cases);
    const buildDir = (k: string) => (plan.kernels.length > 1 ? join(resultsDir, 'build', k) : join(resultsDir, 'build'));
    const run = await runCells({
      plan, cells, targets, reporter, events, signal: abort.signal, stages, results, findings, multi: plan.kernels.length > 1, rerunFailures,
      build: async (kernel, makeJobs) => {
        const say = (s: string) => void stage('build', plan.kernels.length > 1 ? `${kernel.label}: ${s}` : s).catch(() => undefined);
        const b = await buildKernel(kernel, {
          cacheRoot: cacheRoot(), logDir: buildDir(kernel.label), jobs: makeJobs, timeoutMs: plan.timeouts.buildSec * 1000,
          onProgress: say, signal: abort.signal,
        });
        const release = b.artifact.meta.kernelRelease;
        kernelRelease ??= release;
        say(`${b.cached ? 'cache hit' : 'built'} in ${b.seconds.toFixed(1)} s: ${b.artifact.image} (${release ?? 'release unknown'})`);
        kernelInfos.set(kernel.label, kernelInfo(kernel, b));
        return b;
      },
      serialLog: (cell: Cell, n: number) =>
        join(resultsDir, serialLogName(n, multi ? cellName({ kernel: cell.kernel.label, target: cell.target }) : undefined)),
    });
    guest = run;
  } catch (err) {
    // An interrupt that cancelled a build or boot is reported as an interrupt, with the results so far.
    if (!abort.signal.aborted) failure = err;
  } finally {
    await closeTargets(targets);
  }
  return endRun({ failure, interrupted: abort.signal.aborted ? signals.exitCode() : null, signals, finish, results, findings, plan, events, resultsDir, out, flags, reporter });
}

interface EndParts {
  failure: unknown;
  interrupted: number | null;
  signals: { dispose(): void };
  finish: (code: number) => { summary: RunSummary; files: { json: string; junit: string; html: string } };
  results: CaseResult[];
  findings: KlogFinding[];
  plan: Plan;
  events: EventLog;
  resultsDir: string;
  out: NodeJS.WritableStream;
  flags: RunFlags;
  reporter: ReporterDispatcher;
}

// Write the reports and pick the exit code; a run that failed half-way keeps what finished.
async function endRun(e: EndParts): Promise<number> {
  if (e.failure !== null) {
    e.signals.dispose();
    if (e.results.length > 0) {
      const code = e.failure instanceof DaxlabError ? e.failure.exitCode : EXIT.infra;
      let where = e.events.path;
      try {
        where = e.finish(code).files.json;
      } catch {
        // the original failure is what matters; the journal holds every case that finished
      }
      process.stderr.write(`daxlab: the run stopped early; ${e.results.length} finished case(s) are in ${where}\n`);
    }
    throw e.failure;
  }
  const unexpected = countUnexpectedSkips(e.results, e.plan.expectedSkips);
  const exitCode = e.interrupted ?? runExitCode(e.results, e.findings, unexpected);
  let written: ReturnType<EndParts['finish']>;
  try {
    written = e.finish(exitCode);
  } catch (err) {
    e.signals.dispose();
    process.stderr.write(`daxlab: ${e.results.length} finished case(s) are journaled in ${e.events.path}; rebuild the reports elsewhere: daxlab report ${e.events.path} --out <dir>\n`);
    throw err;
  }
  const { summary, files } = written;
  e.signals.dispose();
  await e.reporter.onEnd(summary, e.results);
  if (e.interrupted !== null) process.stderr.write(`daxlab: interrupted; ${e.results.length} finished case(s) kept in ${e.resultsDir}\n`);
  e.out.write(`results: ${files.json}\njunit:   ${files.junit}\nreport:  ${files.html}\nevents:  ${e.events.path}\n`);
  if (e.flags.json) process.stdout.write(JSON.stringify({ ...summary, resultsDir: e.resultsDir, files }) + '\n');
  return exitCode;
}
