// Reading what the fio guest scripts print: fio's JSON reports and per-I/O latency logs,
// each between "DAXLAB-FIO-<KIND>-BEGIN <name>" and "DAXLAB-FIO-<KIND>-END <name>" lines.
import { nsToMs } from './guest-json.js';
import { sectionBetween } from './sections.js';

/** The text between the BEGIN and END markers of kind and name, or null when absent. */
export function fioSection(stdout: string, kind: 'JSON' | 'LAT', name: string): string | null {
  return sectionBetween(stdout, `FIO-${kind}`, name);
}

/** The first job of a fio JSON report: its error (an errno, 0 for none) and its reads. */
export interface FioJob {
  error: number;
  /** Reads completed (read.total_ios). */
  reads: number;
  readBytes: number;
  clatMeanMs: number;
  clatMaxMs: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The first job of fio's --output-format=json text (lines before the first "{" skipped), or null. */
export function parseFioJob(text: string | null): FioJob | null {
  if (text === null) return null;
  const start = text.indexOf('{');
  if (start < 0) return null;
  let report: unknown;
  try {
    report = JSON.parse(text.slice(start));
  } catch {
    return null;
  }
  const job = (report as { jobs?: unknown[] })?.jobs?.[0] as Record<string, unknown> | undefined;
  const read = job?.read as Record<string, unknown> | undefined;
  const clat = read?.clat_ns as Record<string, unknown> | undefined;
  const error = num(job?.error);
  const reads = num(read?.total_ios);
  const readBytes = num(read?.io_bytes);
  const mean = num(clat?.mean);
  const max = num(clat?.max);
  if (error === null || reads === null || readBytes === null || mean === null || max === null) return null;
  return { error, reads, readBytes, clatMeanMs: nsToMs(mean), clatMaxMs: nsToMs(max) };
}

/** One completed I/O from fio's latency log, in the log's clock (CLOCK_MONOTONIC ms). */
export interface FioIo {
  /** Completion time, whole ms as fio logs it (the real end lies in [endMs, endMs + 1)). */
  endMs: number;
  /** Total latency (submission to completion). */
  latMs: number;
  /** endMs - latMs. */
  startMs: number;
  bytes: number;
  offset: number;
}

// One line per I/O ("time_ms, lat_ns, ddir, bs, offset[, prio]"), as fio writes it with log_avg_msec=0.
/** The reads (ddir 0) of fio's per-I/O latency log, or null when it is absent or a line does not parse. */
export function parseLatLog(text: string | null): FioIo[] | null {
  if (text === null) return null;
  const ios: FioIo[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0)) {
    const f = line.split(',').map((s) => Number(s.trim()));
    if (f.length < 5 || f.slice(0, 5).some((v) => !Number.isInteger(v) || v < 0)) return null;
    const [endMs, latNs, ddir, bytes, offset] = f as [number, number, number, number, number];
    if (ddir !== 0) continue;
    const latMs = nsToMs(latNs);
    ios.push({ endMs, latMs, startMs: Math.round((endMs - latMs) * 10) / 10, bytes, offset });
  }
  return ios;
}
