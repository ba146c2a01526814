// Kernel log records as guest-scripts/kmsg-read prints them (/dev/kmsg records from a sequence
// number on), parsed and formatted like dmesg lines, and cut around one case's markers.

/** One kernel log record. */
export interface KmsgRecord {
  seq: number;
  /** Syslog level 0-7 (the facility is dropped). */
  level: number;
  /** Microseconds since boot. */
  usec: number;
  text: string;
}

/** kmsg-read's output: the records from `from` on, and what the ring buffer lost. */
export interface KmsgDump {
  from: number;
  /** Sequence number to read from next time. */
  next: number;
  /** Records at or after `from` that were overwritten before they could be read. */
  lost: number;
  records: KmsgRecord[];
}

const HEADER = /^KMSG from=(\d+) first=(-?\d+) next=(\d+) lost=(\d+)$/;
const RECORD = /^(\d+),(\d+),(\d+),[^;]*;(.*)$/;

// /dev/kmsg escapes non-printable bytes as \xNN; turn the common ones back.
function unescape(text: string): string {
  return text.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => {
    const c = Number.parseInt(h, 16);
    return c === 0x0a || c === 0x09 || c >= 0x20 ? String.fromCharCode(c) : `\\x${h}`;
  });
}

/** Parse kmsg-read's output (its header line, then records); null when the header is missing. */
export function parseKmsgDump(text: string): KmsgDump | null {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => HEADER.test(l.trim()));
  if (start < 0) return null;
  const h = HEADER.exec(lines[start]!.trim())!;
  const records: KmsgRecord[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = RECORD.exec(line);
    if (!m) continue;
    records.push({ seq: Number(m[2]), level: Number(m[1]) & 7, usec: Number(m[3]), text: unescape(m[4]!) });
  }
  return { from: Number(h[1]), next: Number(h[3]), lost: Number(h[4]), records };
}

/** A record as dmesg prints it: "[   12.345678] text". */
export function formatRecord(r: KmsgRecord): string {
  const sec = Math.floor(r.usec / 1e6);
  const frac = String(r.usec % 1e6).padStart(6, '0');
  return `[${String(sec).padStart(5, ' ')}.${frac}] ${r.text}`;
}

/** The runner's marker text for a case: "daxlab: begin <id>" / "daxlab: end <id>". */
export function markerText(what: 'begin' | 'end', caseId: string): string {
  return `daxlab: ${what} ${caseId}`;
}

/** Records before a case's begin marker, between its markers, and after its end marker. */
export interface CaseCut {
  before: KmsgRecord[];
  inside: KmsgRecord[];
  after: KmsgRecord[];
  /** Whether both markers were found. */
  marked: boolean;
}

/** Cut records around the last begin marker of caseId and the end marker after it. */
export function cutAroundCase(records: KmsgRecord[], caseId: string): CaseCut {
  const begin = records.map((r) => r.text.trim()).lastIndexOf(markerText('begin', caseId));
  if (begin < 0) return { before: records, inside: [], after: [], marked: false };
  const endRel = records.slice(begin + 1).findIndex((r) => r.text.trim() === markerText('end', caseId));
  const end = endRel < 0 ? records.length : begin + 1 + endRel;
  return {
    before: records.slice(0, begin),
    inside: records.slice(begin + 1, end),
    after: records.slice(Math.min(end + 1, records.length)),
    marked: endRel >= 0,
  };
}
