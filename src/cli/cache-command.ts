// `daxlab cache`: list, size, garbage-collect, export and import what ~/.cache/daxlab holds.
import { resolve } from 'node:path';
import { DaxlabError } from '../errors.js';
import { exportEntries, importEntries, sha256Of } from '../kernel/cache-archive.js';
import { cacheRoot } from '../kernel/cache-dir.js';
import { listCache, pickKernels, planGc, removeEntry, type CacheEntry } from '../kernel/cache-entries.js';

const GIB = 1024 ** 3;

/** Pure: a size for people ("3.1 MiB", "2.40 GiB"). */
export function formatBytes(n: number): string {
  if (n >= GIB) return `${(n / GIB).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(n / 1024)} KiB`;
}

/** Pure: how long ago, for people ("3 h", "12 d"). */
export function formatAge(ms: number): string {
  const m = Math.max(0, ms) / 60_000;
  if (m < 60) return `${Math.round(m)} min`;
  if (m < 48 * 60) return `${Math.round(m / 60)} h`;
  return `${Math.round(m / 1440)} d`;
}

/** Pure: one line per entry. */
export function formatEntries(entries: CacheEntry[], now: number): string[] {
  return entries.map((e) =>
    [e.kind.padEnd(8), e.key.padEnd(24), formatBytes(e.bytes).padStart(10), `used ${formatAge(now - e.lastUse)} ago`.padEnd(16), e.inUse ? 'IN USE' : '      ', e.label].join('  '),
  );
}

/** `cache list`: every entry with what it is, its size, last use and whether a daxlab uses it now. */
export async function cacheListCommand(o: { json?: boolean }): Promise<number> {
  const root = cacheRoot();
  const entries = await listCache(root);
  if (o.json) process.stdout.write(`${JSON.stringify({ root, entries })}\n`);
  else {
    process.stdout.write(`cache: ${root}\n`);
    for (const line of formatEntries(entries, Date.now())) process.stdout.write(`${line}\n`);
  }
  return 0;
}

/** `cache du`: totals per kind and overall. */
export async function cacheDuCommand(): Promise<number> {
  const entries = await listCache(cacheRoot());
  for (const kind of ['kernel', 'tree', 'leftover'] as const) {
    const of = entries.filter((e) => e.kind === kind);
    process.stdout.write(`${`${kind}s`.padEnd(10)} ${String(of.length).padStart(4)}  ${formatBytes(of.reduce((n, e) => n + e.bytes, 0))}\n`);
  }
  process.stdout.write(`${'total'.padEnd(10)} ${String(entries.length).padStart(4)}  ${formatBytes(entries.reduce((n, e) => n + e.bytes, 0))}\n`);
  return 0;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new DaxlabError('USAGE', `${name} must be a non-negative number (got ${JSON.stringify(v)})`);
  return n;
}

/** `cache gc`: remove entries unused for --max-age days, then the least recently used until --max-size fits; never one in use. */
export async function cacheGcCommand(o: { maxAge?: string; maxSize?: string; dryRun?: boolean }): Promise<number> {
  const maxAgeDays = positive('--max-age', o.maxAge);
  const maxSize = positive('--max-size', o.maxSize);
  if (maxAgeDays === undefined && maxSize === undefined) {
    throw new DaxlabError('USAGE', 'cache gc needs --max-age DAYS, --max-size GIB, or both');
  }
  const root = cacheRoot();
  const now = Date.now();
  const entries = await listCache(root);
  const plan = planGc(entries, { maxAgeDays, maxBytes: maxSize === undefined ? undefined : maxSize * GIB, now });
  let freed = 0;
  for (const e of plan) {
    const removed = o.dryRun ? true : await removeEntry(root, e);
    if (removed) freed += e.bytes;
    process.stdout.write(`${o.dryRun ? 'would remove' : removed ? 'removed' : 'kept (in use now)'}  ${formatEntries([e], now)[0]}\n`);
  }
  for (const e of entries.filter((x) => x.inUse)) process.stdout.write(`kept (in use)  ${formatEntries([e], now)[0]}\n`);
  process.stdout.write(`${o.dryRun ? 'would free' : 'freed'} ${formatBytes(freed)}\n`);
  return 0;
}

/** `cache export KEY... --out FILE.tar`. */
export async function cacheExportCommand(keys: string[], o: { out: string }): Promise<number> {
  const root = cacheRoot();
  const picked = pickKernels(await listCache(root), keys);
  const out = resolve(o.out);
  const done = await exportEntries(root, picked.map((e) => e.key), out);
  for (const d of done) process.stdout.write(`exported ${d.key}  meta.json sha256 ${d.metaSha256}\n`);
  process.stdout.write(`${out}  sha256 ${await sha256Of(out)}\n`);
  return 0;
}

/** `cache import FILE.tar [--expect SHA256]`. */
export async function cacheImportCommand(file: string, o: { expect?: string }): Promise<number> {
  const done = await importEntries(cacheRoot(), resolve(file), o.expect);
  for (const d of done) process.stdout.write(`${d.status === 'installed' ? 'imported' : 'already present'} ${d.key}  meta.json sha256 ${d.metaSha256}\n`);
  return 0;
}
