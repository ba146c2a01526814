// Every kernel-log record of one boot is read once, in order, and attributed: to the case whose
// markers enclose it, or to the boot, the gap between two cases, or the end of the boot. Lines
// outside every case that must fail (WARNING, BUG, ...) become findings that fail the run.
import { cutAroundCase, formatRecord, type KmsgDump, type KmsgRecord } from '../results/kmsg.js';
import { scanKernelLog } from '../results/klog.js';
import type { KlogFinding } from '../results/types.js';

/** A case's share of the kernel log, and what was found around it. */
export interface CaseKlog {
  /** The case's own records, formatted like dmesg. */
  lines: string[];
  /** Whether the case's begin and end markers were both found. */
  marked: boolean;
  /** Records lost since the previous read (the ring buffer wrapped). */
  lost: number;
  /** Failing lines logged before the case began or after it ended. */
  outside: KlogFinding[];
}

/** The reading position and attribution state of one boot's kernel log. */
export class KlogLedger {
  private next = 0;
  private lastCase: string | undefined;

  constructor(private readonly serialLog: string) {}

  /** The sequence number the next read starts from. */
  get cursor(): number {
    return this.next;
  }

  /** Attribute a dump read right after case caseId ran. */
  takeCase(dump: KmsgDump, caseId: string): CaseKlog {
    const cut = cutAroundCase(dump.records, caseId);
    const outside = [
      this.finding(this.lastCase ? 'between' : 'boot', cut.before, { after: this.lastCase, before: caseId }),
      this.finding('between', cut.after, { after: caseId }),
    ].filter((f): f is KlogFinding => f !== null);
    this.advance(dump);
    this.lastCase = caseId;
    return { lines: cut.inside.map(formatRecord), marked: cut.marked, lost: dump.lost, outside };
  }

  /** Attribute a dump read outside any case: after boot and setup, or at the end of the boot. */
  takeOutside(dump: KmsgDump, phase: 'boot' | 'end'): KlogFinding[] {
    const where = phase === 'end' || this.lastCase ? { after: this.lastCase } : {};
    const f = this.finding(this.lastCase && phase === 'boot' ? 'between' : phase, dump.records, where, dump.lost);
    this.advance(dump);
    return f ? [f] : [];
  }

  private advance(dump: KmsgDump): void {
    this.next = Math.max(this.next, dump.next);
  }

  private finding(
    phase: KlogFinding['phase'],
    records: KmsgRecord[],
    where: { after?: string; before?: string },
    lost = 0,
  ): KlogFinding | null {
    const scan = scanKernelLog(records.map(formatRecord).join('\n'));
    if (scan.matches.length === 0 && lost === 0) return null;
    return {
      phase,
      ...(where.after ? { after: where.after } : {}),
      ...(where.before ? { before: where.before } : {}),
      serialLog: this.serialLog,
      lines: scan.matches,
      ...(lost > 0 ? { lost } : {}),
    };
  }
}
