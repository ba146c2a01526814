// `daxlab doctor`, `daxlab list`, `daxlab report`: small read-only commands.
import { doctorReport } from '../host/doctor.js';
import { probeHost } from '../host/probe.js';
import { writeReports } from '../results/files.js';
import { readEvents } from '../results/jsonl.js';
import { formatSummary } from '../results/summary.js';
import type { CaseResult, KlogFinding, RunSummary } from '../results/types.js';
import { countStatuses, exitCodeFor } from '../run/exit-code.js';
import { listedWorkloads } from '../workloads/catalogue.js';

/** Print what the host has and lacks; exit 69 when something needed is missing. */
export async function doctorCommand(): Promise<number> {
  const caps = await probeHost();
  const report = doctorReport(caps);
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  for (const m of report.missing) process.stdout.write(`missing: ${m.tool} (package ${m.pkg}): ${m.fix}\n`);
  return report.missing.length > 0 ? 69 : 0;
}

/** Print the workload catalogue with params and defaults. */
export function listCommand(): number {
  for (const w of listedWorkloads()) {
    process.stdout.write(`${w.name}\n  ${w.description.replace(/\s+/g, ' ')}\n`);
    for (const [name, def] of Object.entries(w.params)) {
      const values = def.values ? def.values.join('|') : 'integer';
      process.stdout.write(`  param ${name} (${values}), default ${JSON.stringify(def.default)}: ${def.description}\n`);
    }
  }
  return 0;
}

/** Rebuild reports from one or more events.jsonl journals (crashed runs, or shards merged). */
export function reportCommand(journals: string[], outDir: string): number {
  const results: CaseResult[] = [];
  const findings: KlogFinding[] = [];
  let first: RunSummary | undefined;
  for (const j of journals) {
    const replay = readEvents(j);
    if (replay.truncated) process.stderr.write(`note: ${j} ends in a torn line (dropped)\n`);
    results.push(...replay.results);
    findings.push(...replay.findings);
    first ??= replay.summary;
  }
  const counts = countStatuses(results);
  const summary: RunSummary = {
    plan: first?.plan ?? 'merged',
    kernel: first?.kernel ?? 'unknown',
    startedAt: first?.startedAt ?? new Date().toISOString(),
    durationMs: first?.durationMs ?? 0,
    counts,
    stages: first?.stages ?? {},
    accel: first?.accel ?? 'tcg',
    exitCode: exitCodeFor(counts, findings.length),
    ...(findings.length > 0 ? { findings } : {}),
  };
  const files = writeReports(outDir, summary, results);
  for (const line of formatSummary(summary, results)) process.stdout.write(`${line}\n`);
  process.stdout.write(`results: ${files.json}\njunit:   ${files.junit}\n`);
  return summary.exitCode;
}
