// `daxlab lab results RUN --results DIR`: the usual results directory from what the workers stored:
// events.jsonl, results.json, junit.xml, report.html. Cases in plan order; a case with no result
// in a run that ended is an error naming its shard's failure.
import { parseCaseId } from '../bisect/case-plan.js';
import { writeReports } from '../results/files.js';
import { EventLog } from '../results/jsonl.js';
import type { CaseResult, KlogFinding, RunSummary } from '../results/types.js';
import { countStatuses, runExitCode } from '../run/exit-code.js';
import type { ShardState } from './status.js';
import type { LabRun } from './store.js';

/** Pure: the error result of a case that never got one, from its name. */
export function notRunResult(name: string, backend: string, reason: string, at: string): CaseResult {
  const m = /^([^@]+)@([^:]+):(.+)$/.exec(name);
  const [kernel, target, id] = m ? [m[1]!, m[2]!, m[3]!] : ['?', 'local', name];
  const c = parseCaseId(id);
  return {
    id, kernel, target, backend, fs: c.fs, workload: c.workload, params: c.params, repeat: Number(/#(\d+)$/.exec(id)?.[1] ?? 1),
    status: 'error', reason, timings: {}, klogMatches: [], startedAt: at, durationMs: 0, harnessError: true,
  };
}

/** Pure: every case of the run in plan order; missing ones are errors when the run ended, else left out. */
export function assembleResults(run: LabRun, stored: ReadonlyMap<string, CaseResult>, shards: readonly ShardState[], ended: boolean, at: string): CaseResult[] {
  const out: CaseResult[] = [];
  for (const name of run.cases) {
    const r = stored.get(name);
    if (r) {
      out.push(r);
    } else if (ended) {
      const holder = run.shards.find((s) => s.cases.includes(name));
      const shard = shards.find((s) => s.id === holder?.id && s.state === 'failed');
      out.push(notRunResult(name, run.backend, `not run: ${shard ? `shard ${shard.id} failed: ${shard.failedReason?.split('\n')[0] ?? '?'}` : 'no worker ran it'}`, at));
    }
  }
  return out;
}

/** Pure: the run's summary from its shards' summaries (kernels, accel) and every result. */
export function labSummary(run: LabRun, shardSums: readonly RunSummary[], results: readonly CaseResult[], findings: readonly KlogFinding[]): RunSummary {
  const kernels = new Map<string, NonNullable<RunSummary['kernels']>[number]>();
  for (const s of shardSums) for (const k of s.kernels ?? []) if (k.cacheKey && !kernels.has(k.label)) kernels.set(k.label, k);
  const counts = countStatuses(results);
  const labels = [...new Set(run.cases.map((n) => n.slice(0, n.indexOf('@'))))];
  const accel = shardSums.some((s) => s.accel === 'kvm') ? 'kvm' : 'tcg';
  return {
    plan: run.planName,
    kernel: labels.join(', '),
    startedAt: run.submittedAt,
    durationMs: Math.max(0, Date.now() - Date.parse(run.submittedAt)),
    counts,
    stages: {},
    accel,
    exitCode: runExitCode(results, findings),
    ...(kernels.size > 0 ? { kernels: [...kernels.values()] } : {}),
    ...(findings.length > 0 ? { findings: [...findings] } : {}),
  };
}

/** Write the results directory; returns the report file paths. */
export function writeLabResults(dir: string, summary: RunSummary, results: CaseResult[], findings: readonly KlogFinding[]): ReturnType<typeof writeReports> {
  const events = new EventLog(dir);
  try {
    events.write({ type: 'begin', plan: summary.plan, kernel: summary.kernel, cases: results.length, startedAt: summary.startedAt });
    for (const result of results) events.write({ type: 'case', result });
    for (const finding of findings) events.write({ type: 'finding', finding });
    events.write({ type: 'end', summary });
  } finally {
    events.close();
  }
  return writeReports(dir, summary, results);
}
