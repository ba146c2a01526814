// Console reporter: stage progress lines, one line per case, and the end summary.
import { formatMs, formatSecs } from './fmt.js';
import { findingLines, formatSummary } from './summary.js';
import type { CaseResult, CaseStatus, KlogFinding, Reporter, RunSummary } from './types.js';

export { formatSummary } from './summary.js';

/** Where console output goes: process.stdout or anything with write(). */
export interface TextSink {
  write(chunk: string): unknown;
}

/** Console reporter options; now() is injectable for tests (milliseconds). */
export interface ConsoleOptions {
  color: boolean;
  verbose: boolean;
  /** Name each case with its kernel and target ("stock@local:ext4/...") when a run mixes them. */
  showCell?: boolean;
  now?: () => number;
}

/** The upper-case label of each status in text output. */
export const STATUS_LABEL: Record<CaseStatus, string> = {
  pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR', xfail: 'XFAIL', xpass: 'XPASS', flaky: 'FLAKY',
};
const COLOR: Record<CaseStatus, string> = { pass: '32', fail: '31', skip: '33', error: '35', xfail: '36', xpass: '31', flaky: '33' };

/** `[  12.3s] stage: message` with the elapsed seconds right-aligned. */
export function formatStageLine(elapsedMs: number, stage: string, message: string): string {
  return `[${(elapsedMs / 1000).toFixed(1).padStart(6)}s] ${stage}: ${message}`;
}

/** `PASS <id>  0.52s  <reason>`, optionally colored by status and with the case's kernel@target. */
export function formatCaseLine(r: CaseResult, color = false, showCell = false): string {
  const label = color ? `\x1b[${COLOR[r.status]}m${STATUS_LABEL[r.status]}\x1b[0m` : STATUS_LABEL[r.status];
  const line = `${label} ${showCell ? `${r.kernel}@${r.target ?? 'local'}:` : ''}${r.id}  ${formatSecs(r.durationMs)}`;
  return r.reason ? `${line}  ${r.reason}` : line;
}

// Indented extra lines for verbose output: known issue, kernel log matches, timings, details.
function caseDetail(r: CaseResult): string[] {
  const out = r.known ? [`    known issue: ${r.known.reason} [${r.known.ref}]`] : [];
  r.attempts?.forEach((a, i) => out.push(`    attempt ${i + 1}: ${STATUS_LABEL[a.status]} ${formatMs(a.durationMs)}  ${a.reason}`));
  out.push(...r.klogMatches.map((m) => `    klog: ${m}`));
  const timings = Object.entries(r.timings);
  if (timings.length > 0) out.push(`    timings: ${timings.map(([k, v]) => `${k}=${formatMs(v)}`).join(', ')}`);
  const details = Object.entries(r.details ?? {});
  if (details.length > 0) out.push(`    details: ${details.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return out;
}

/** Reporter that prints progress and results as text lines to a stream. */
export class ConsoleReporter implements Reporter {
  private readonly now: () => number;
  private start: number;

  constructor(
    private readonly stream: TextSink,
    private readonly opts: ConsoleOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.start = this.now();
  }

  private print(lines: string[]): void {
    if (lines.length > 0) this.stream.write(`${lines.join('\n')}\n`);
  }

  onBegin(info: { plan: string; kernel: string; cases: number }): void {
    this.start = this.now();
    this.print([formatStageLine(0, 'run', `plan ${info.plan}, kernel ${info.kernel}, ${info.cases} case${info.cases === 1 ? '' : 's'}`)]);
  }

  onStage(stage: string, message: string): void {
    this.print([formatStageLine(this.now() - this.start, stage, message)]);
  }

  onCaseEnd(result: CaseResult): void {
    const lines = [formatCaseLine(result, this.opts.color, this.opts.showCell)];
    if (this.opts.verbose) lines.push(...caseDetail(result));
    this.print(lines);
  }

  onFinding(finding: KlogFinding): void {
    this.print(findingLines(finding).map((l, i) => (i === 0 && this.opts.color ? `\x1b[31m${l}\x1b[0m` : l)));
  }

  onEnd(summary: RunSummary, results: CaseResult[]): void {
    this.print(['', ...formatSummary(summary, results)]);
  }
}
