// Small text formatting helpers shared by the console, summary and comparison output.

/** Milliseconds as a short human string: "512 ms", "1.52 s", "2m03s"; "-" for NaN. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const sign = ms < 0 ? '-' : '';
  const totalSec = Math.round(abs / 1000);
  const m = Math.floor(totalSec / 60);
  const s = totalSec % 60;
  return `${sign}${m}m${String(s).padStart(2, '0')}s`;
}

/** Seconds with two decimals, e.g. "0.52s". */
export function formatSecs(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** Rows of cells laid out in left-aligned columns separated by two spaces. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
