// Small SVG charts drawn as strings (no library): a strip plot of values per group with reference
// lines, and a trend plot of values per run. Pure; every label is escaped.
import { esc, num } from './escape.js';

/** One dot: its value, a CSS class (its status), and its hover text. */
export interface PlotPoint {
  value: number;
  cls: string;
  title: string;
}

/** One column of dots (a kernel), with a caption under its label (default "n = <count>"). */
export interface PlotGroup {
  label: string;
  points: PlotPoint[];
  caption?: string;
}

/** A horizontal line across the plot (the tolerance, zero). */
export interface RefLine {
  value: number;
  label: string;
  cls: string;
}

const H = 340;
const M = { left: 64, right: 150, top: 40, bottom: 56 };

/** About five round tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

// The y range holding every value and reference line, padded by 8 %.
function domain(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  return [lo - pad, hi + pad];
}

function yAxis(lo: number, hi: number, y: (v: number) => number, width: number, unit: string): string[] {
  const out = [`<line class="axis" x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}"/>`];
  for (const t of niceTicks(lo, hi)) {
    out.push(`<line class="grid" x1="${M.left}" y1="${num(y(t))}" x2="${width - M.right}" y2="${num(y(t))}"/>`);
    out.push(`<text class="tick" x="${M.left - 6}" y="${num(y(t) + 4)}" text-anchor="end">${esc(t)}</text>`);
  }
  out.push(`<text class="unit" x="14" y="${num((M.top + H - M.bottom) / 2)}" transform="rotate(-90 14 ${num((M.top + H - M.bottom) / 2)})" text-anchor="middle">${esc(unit)}</text>`);
  return out;
}

function refLines(lines: RefLine[], y: (v: number) => number, width: number): string[] {
  return lines.map((l) =>
    `<g class="ref ${esc(l.cls)}"><line x1="${M.left}" y1="${num(y(l.value))}" x2="${width - M.right}" y2="${num(y(l.value))}"/>` +
    `<text x="${width - M.right + 6}" y="${num(y(l.value) + 4)}">${esc(l.label)}</text></g>`);
}

function open(id: string, title: string, width: number): string {
  return `<svg class="plot" data-plot="${esc(id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${H}" width="${width}" height="${H}" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title><text class="plot-title" x="${M.left}" y="22">${esc(title)}</text>`;
}

/** Dots per group side by side (deterministic horizontal jitter) and reference lines. */
export function stripPlot(o: { id: string; title: string; unit: string; groups: PlotGroup[]; lines: RefLine[] }): string {
  const band = 240;
  const width = Math.max(560, M.left + M.right + band * o.groups.length);
  const values = o.groups.flatMap((g) => g.points.map((p) => p.value)).concat(o.lines.map((l) => l.value));
  const [lo, hi] = domain(values.length > 0 ? values : [0]);
  const y = (v: number) => M.top + ((hi - v) / (hi - lo)) * (H - M.top - M.bottom);
  const inner = (width - M.left - M.right) / Math.max(1, o.groups.length);
  const out = [open(o.id, o.title, width), ...yAxis(lo, hi, y, width, o.unit), ...refLines(o.lines, y, width)];
  o.groups.forEach((g, gi) => {
    const cx = M.left + inner * (gi + 0.5);
    out.push(`<g class="group" data-group="${esc(g.label)}">`);
    g.points.forEach((p, i) => {
      const jitter = (((i * 0.6180339887) % 1) - 0.5) * Math.min(inner, band) * 0.55;
      out.push(`<circle class="pt ${esc(p.cls)}" cx="${num(cx + jitter)}" cy="${num(y(p.value))}" r="3.5"><title>${esc(p.title)}</title></circle>`);
    });
    out.push(`<text class="group-label" x="${num(cx)}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(g.label)}</text>`);
    out.push(`<text class="group-n" x="${num(cx)}" y="${H - M.bottom + 34}" text-anchor="middle">${esc(g.caption ?? `n = ${g.points.length}`)}</text></g>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** One line of a trend plot: a case's value per run (runs where it has none are skipped). */
export interface TrendSeries {
  label: string;
  points: Array<{ x: number; y: number; title: string }>;
}

/** Values per run (x = run index, labelled below), one polyline per series, and reference lines. */
export function trendPlot(o: { id: string; title: string; unit: string; xLabels: string[]; series: TrendSeries[]; lines: RefLine[] }): string {
  const width = Math.max(560, M.left + M.right + 110 * o.xLabels.length);
  const values = o.series.flatMap((s) => s.points.map((p) => p.y)).concat(o.lines.map((l) => l.value));
  const [lo, hi] = domain(values.length > 0 ? values : [0]);
  const y = (v: number) => M.top + ((hi - v) / (hi - lo)) * (H - M.top - M.bottom);
  const step = (width - M.left - M.right) / Math.max(1, o.xLabels.length);
  const x = (i: number) => M.left + step * (i + 0.5);
  const out = [open(o.id, o.title, width), ...yAxis(lo, hi, y, width, o.unit), ...refLines(o.lines, y, width)];
  o.xLabels.forEach((l, i) => out.push(`<text class="group-label" x="${num(x(i))}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(l)}</text>`));
  o.series.forEach((s, si) => {
    out.push(`<g class="series series-${si % 8}" data-series="${esc(s.label)}"><title>${esc(s.label)}</title>`);
    if (s.points.length > 1) out.push(`<polyline points="${s.points.map((p) => `${num(x(p.x))},${num(y(p.y))}`).join(' ')}"/>`);
    for (const p of s.points) out.push(`<circle class="pt" cx="${num(x(p.x))}" cy="${num(y(p.y))}" r="3.5"><title>${esc(p.title)}</title></circle>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}
