// Every kernel-log record of one boot is read once, in order, and attributed: to the case whose
// begin/end markers enclose it, or to the boot, the gap between cases, or the end of the boot.
// Cases may run concurrently (lanes): a failing line inside the windows of several cases cannot
// be blamed on one of them, so those cases are reported as ambiguous (the runner re-runs them
// alone). Failing lines outside every case become findings that fail the run.
import { formatRecord, markerText, type KmsgDump, type KmsgRecord } from '../results/kmsg.js';
import { classifyKernelLine } from '../results/klog.js';
import type { KlogFinding } from '../results/types.js';

/** A case's share of the kernel log, and what was decided around it. */
export interface CaseKlog {
  /** The case's own records (those no other case's window shares), formatted like dmesg. */
  lines: string[];
  /** Whether the case's begin and end markers were both found. */
  marked: boolean;
  /** Records lost since the previous read (the ring buffer wrapped). */
  lost: number;
  /** Other cases whose windows held a failing line of this case's window: no verdict can be trusted. */
  ambiguousWith: string[];
  /** Failing lines outside every case, decided by this read. */
  outside: KlogFinding[];
}

const BEGIN = /^daxlab: begin (\S+)$/;
const END = /^daxlab: end (\S+)$/;

/** The reading position and attribution state of one boot's kernel log. */
export class KlogLedger {
  private next = 0;
  private readonly pending = new Map<number, KmsgRecord>();
  private readonly begins = new Map<string, number>();
  private readonly ends = new Map<string, number>();
  /** Cases flagged ambiguous by a read that ended another case, reported when they end. */
  private readonly flagged = new Map<string, Set<string>>();
  /** Failing records already reported as seen while several cases ran. */
  private readonly shared = new Set<number>();

  constructor(private readonly serialLog: string) {}

  /** The sequence number the next read starts from. */
  get cursor(): number {
    return this.next;
  }

  /** Attribute a dump read right after case caseId ran (its end marker is in the dump). */
  takeCase(dump: KmsgDump, caseId: string): CaseKlog {
    const lost = this.ingest(dump);
    const begin = this.begins.get(caseId);
    const end = this.ends.get(caseId);
    const marked = begin !== undefined && end !== undefined && begin < end;
    const lines: string[] = [];
    const ambiguous = new Set(this.flagged.get(caseId) ?? []);
    const shared: KlogFinding[] = [];
    if (marked) {
      for (const r of this.windowRecords(begin, end)) {
        const others = this.containing(r.seq).filter((c) => c !== caseId);
        const failing = classifyKernelLine(r.text) !== undefined;
        if (others.length === 0 || !failing) {
          lines.push(formatRecord(r));
          continue;
        }
        for (const o of others) {
          ambiguous.add(o);
          this.flag(o, caseId);
        }
        if (this.shared.has(r.seq)) continue;
        this.shared.add(r.seq);
        const cases = [caseId, ...others].sort();
        const last = shared.at(-1);
        if (last && last.cases?.join() === cases.join()) last.lines.push(formatRecord(r));
        else shared.push({ phase: 'overlap', cases, serialLog: this.serialLog, lines: [formatRecord(r)] });
      }
    }
    this.flagged.delete(caseId);
    return { lines, marked, lost, ambiguousWith: [...ambiguous].sort(), outside: [...shared, ...this.decide(false)] };
  }

  /** Attribute a dump read outside any case: after boot and setup, or at the end of the boot. */
  takeOutside(dump: KmsgDump, phase: 'boot' | 'end'): KlogFinding[] {
    const lost = this.ingest(dump);
    const found = this.decide(phase === 'end');
    if (lost > 0) found.push({ phase: this.begins.size === 0 ? 'boot' : phase, serialLog: this.serialLog, lines: [], lost });
    return found;
  }

  /** Cases whose windows intersect caseId's window (both as far as their markers were read). */
  overlapping(caseId: string): string[] {
    const b = this.begins.get(caseId);
    if (b === undefined) return [];
    const e = this.ends.get(caseId) ?? Infinity;
    const out: string[] = [];
    for (const [id, ob] of this.begins) {
      if (id === caseId) continue;
      const oe = this.ends.get(id) ?? Infinity;
      if (ob < e && oe > b) out.push(id);
    }
    return out.sort();
  }

  // Add a dump's records (a record already read is read again by overlapping reads: kept once);
  // returns how many records were lost between the previous read and this one.
  private ingest(dump: KmsgDump): number {
    const first = dump.records[0]?.seq ?? dump.next;
    const lost = Math.max(0, Math.min(first, dump.next) - this.next);
    for (const r of dump.records) {
      if (r.seq < this.next) continue;
      this.pending.set(r.seq, r);
      const text = r.text.trim();
      const b = BEGIN.exec(text);
      const e = END.exec(text);
      if (b && !this.begins.has(b[1]!)) this.begins.set(b[1]!, r.seq);
      if (e && this.begins.has(e[1]!)) this.ends.set(e[1]!, r.seq);
    }
    this.next = Math.max(this.next, dump.next);
    return lost;
  }

  private windowRecords(begin: number, end: number): KmsgRecord[] {
    return [...this.pending.values()].filter((r) => r.seq > begin && r.seq < end && !this.isMarker(r)).sort((a, b) => a.seq - b.seq);
  }

  private isMarker(r: KmsgRecord): boolean {
    return BEGIN.test(r.text.trim()) || END.test(r.text.trim());
  }

  // Cases whose window holds seq: begun before it and not ended before it (or still running).
  private containing(seq: number): string[] {
    const out: string[] = [];
    for (const [id, b] of this.begins) {
      const e = this.ends.get(id);
      if (b < seq && (e === undefined || e > seq)) out.push(id);
    }
    return out;
  }

  private flag(id: string, other: string): void {
    let s = this.flagged.get(id);
    if (!s) this.flagged.set(id, (s = new Set()));
    s.add(other);
  }

  // Decide every pending record whose windows are all closed: attributed records are dropped,
  // failing ones outside every window become findings (grouped by where they were logged).
  private decide(final: boolean): KlogFinding[] {
    const findings: KlogFinding[] = [];
    for (const r of [...this.pending.values()].sort((a, b) => a.seq - b.seq)) {
      const inside = this.containing(r.seq);
      if (inside.some((id) => !this.ends.has(id))) continue; // a running case may still claim it
      if (inside.length > 0 || this.isMarker(r) || classifyKernelLine(r.text) === undefined) {
        this.pending.delete(r.seq);
        continue;
      }
      const place = this.place(r.seq, final);
      // After a case and before the next has begun: wait for the next begin (or the end of the boot).
      if (place.phase === 'between' && place.before === undefined) continue;
      this.pending.delete(r.seq);
      const last = findings.at(-1);
      if (last && last.phase === place.phase && last.after === place.after && last.before === place.before) last.lines.push(formatRecord(r));
      else findings.push({ ...place, serialLog: this.serialLog, lines: [formatRecord(r)] });
    }
    return findings;
  }

  // Where an outside record was logged: before any case (boot), between two, or after the last.
  private place(seq: number, final: boolean): Pick<KlogFinding, 'phase' | 'after' | 'before'> {
    let after: [string, number] | undefined;
    let before: [string, number] | undefined;
    for (const [id, e] of this.ends) if (e < seq && (!after || e > after[1])) after = [id, e];
    for (const [id, b] of this.begins) if (b > seq && (!before || b < before[1])) before = [id, b];
    if (!after) return before ? { phase: 'boot', before: before[0] } : { phase: final ? 'end' : 'boot' };
    if (before) return { phase: 'between', after: after[0], before: before[0] };
    return { phase: final ? 'end' : 'between', after: after[0] };
  }
}

export { markerText };
