// Fixtures for the fio workload tests: fio JSON reports, latency logs, and script output.

/** A fio --output-format=json report of one job (with a preamble line, as fio may write one). */
export function fioReport(o: { error?: number; reads?: number; clatMeanNs?: number; clatMaxNs?: number } = {}): string {
  const reads = o.reads ?? 4;
  const job = {
    jobname: 'race', groupid: 0, error: o.error ?? 0,
    read: {
      io_bytes: reads * 4096, total_ios: reads,
      clat_ns: { min: 500_100_000, max: o.clatMaxNs ?? 511_200_000, mean: o.clatMeanNs ?? 506_350_000 },
    },
  };
  return `note: a preamble line\n${JSON.stringify({ 'fio version': 'fio-3.33', jobs: [job] }, null, 2)}`;
}

/** One section between the markers the fio scripts print. */
export function section(kind: 'JSON' | 'LAT', name: string, body: string): string {
  return `DAXLAB-FIO-${kind}-BEGIN ${name}\n${body}\nDAXLAB-FIO-${kind}-END ${name}\n`;
}

/** A latency log line: completion time (CLOCK_MONOTONIC ms), latency (ns), a 4 KiB read at offset. */
export function latLine(endMs: number, latNs: number, offset = 0, ddir = 0): string {
  return `${endMs}, ${latNs}, ${ddir}, 4096, ${offset}`;
}
