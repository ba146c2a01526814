// Fan-out of reporter hooks: a throwing reporter is recorded and warned about
// once on stderr, and never stops the run or the other reporters.
import type { CaseResult, KlogFinding, Reporter, RunSummary } from './types.js';

/** One error raised by a reporter hook. */
export interface ReporterFailure {
  reporter: string;
  hook: keyof Reporter;
  error: unknown;
}

function reporterName(r: Reporter): string {
  const name = (r as object).constructor?.name;
  return name && name !== 'Object' ? name : 'reporter';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Calls each reporter's optional hooks in order, catching and recording their errors. */
export class ReporterDispatcher implements Reporter {
  /** Every error caught so far, in order. */
  readonly failures: ReporterFailure[] = [];
  private readonly warned = new Set<Reporter>();

  constructor(
    private readonly reporters: Reporter[],
    private readonly warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
  ) {}

  private async each(hook: keyof Reporter, call: (r: Reporter) => void | Promise<void> | undefined): Promise<void> {
    for (const r of this.reporters) {
      try {
        await call(r);
      } catch (error) {
        this.failures.push({ reporter: reporterName(r), hook, error });
        if (!this.warned.has(r)) {
          this.warned.add(r);
          this.warn(`warning: reporter ${reporterName(r)} failed in ${hook}: ${describe(error)} (further errors from it are not shown)`);
        }
      }
    }
  }

  async onBegin(info: { plan: string; kernel: string; cases: number }): Promise<void> {
    await this.each('onBegin', (r) => r.onBegin?.(info));
  }

  async onStage(stage: string, message: string): Promise<void> {
    await this.each('onStage', (r) => r.onStage?.(stage, message));
  }

  async onCaseEnd(result: CaseResult): Promise<void> {
    await this.each('onCaseEnd', (r) => r.onCaseEnd?.(result));
  }

  async onFinding(finding: KlogFinding): Promise<void> {
    await this.each('onFinding', (r) => r.onFinding?.(finding));
  }

  async onEnd(summary: RunSummary, results: CaseResult[]): Promise<void> {
    await this.each('onEnd', (r) => r.onEnd?.(summary, results));
  }
}
