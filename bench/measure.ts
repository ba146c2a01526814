// Small timing helpers for the benchmark script.
import { execa } from 'execa';

/** Wall time of an async function, in milliseconds. */
export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run a command (argument array), failing loudly with its output tail. */
export async function sh(file: string, args: string[], cwd?: string): Promise<string> {
  const r = await execa(file, args, { cwd, reject: false, all: true, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.exitCode}):\n${String(r.all).slice(-2000)}`);
  return String(r.stdout);
}

/** One benchmark line: a measured value, what it is compared with, and the target ratio. */
export interface Figure {
  name: string;
  value: number;
  unit: 'ms';
  against?: { name: string; value: number };
  target?: { maxRatio?: number; maxValue?: number };
}

/** Pure: "name  value  [vs other value = ratio, target ≤ x: ok|MISSED]". */
export function formatFigure(f: Figure): string {
  const v = `${(f.value / 1000).toFixed(3)} s`;
  let line = `${f.name.padEnd(46)} ${v.padStart(11)}`;
  if (f.against) {
    const ratio = f.value / f.against.value;
    line += `   vs ${f.against.name} ${(f.against.value / 1000).toFixed(3)} s = ${ratio.toFixed(2)}x`;
    if (f.target?.maxRatio !== undefined) line += ` (target ≤ ${f.target.maxRatio}x: ${ratio <= f.target.maxRatio ? 'ok' : 'MISSED'})`;
  }
  if (f.target?.maxValue !== undefined) {
    line += ` (target ≤ ${(f.target.maxValue / 1000).toFixed(3)} s: ${f.value <= f.target.maxValue ? 'ok' : 'MISSED'})`;
  }
  return line;
}
