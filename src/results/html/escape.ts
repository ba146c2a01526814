// Escaping for HTML text and attribute values: every value from a result passes through here.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// ANSI colour sequences and the control characters HTML cannot carry (tab, LF and CR are kept).
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;

/** Text safe in HTML element content and in double- or single-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(ANSI, '').replace(CONTROL, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A number for SVG coordinates: finite, two decimals at most. */
export function num(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '0';
}
