// What the cache holds, for `daxlab cache`: built kernels (kernels/<key>), source trees with their
// object dirs (trees/<key>), and leftovers of interrupted writes (*.tmp-*). An entry is in use while
// some daxlab holds its lock (a kernel's shared lock, a tree's build lock); gc never removes one.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { ArtifactMeta } from './artifact-cache.js';
import { artifactLock, treePaths } from './cache-dir.js';
import { run } from './exec.js';
import { tryLock, type Release } from './lock.js';

/** One thing in the cache. */
export interface CacheEntry {
  kind: 'kernel' | 'tree' | 'leftover';
  key: string;
  path: string;
  /** What it is: a kernel's label and source, a tree's source. */
  label: string;
  bytes: number;
  /** Last use (ms since the epoch): the entry directory's mtime, set on every use. */
  lastUse: number;
  inUse: boolean;
}

/** Pure: what `gc` removes: entries unused for maxAgeDays, then least recently used ones until the rest fits maxBytes; never one in use. */
export function planGc(entries: CacheEntry[], o: { maxAgeDays?: number; maxBytes?: number; now: number }): CacheEntry[] {
  const remove = new Set<CacheEntry>();
  const free = entries.filter((e) => !e.inUse);
  // Leftovers of interrupted writes: a day is far longer than any write takes.
  for (const e of free) if (e.kind === 'leftover' && o.now - e.lastUse > 86_400_000) remove.add(e);
  if (o.maxAgeDays !== undefined) {
    for (const e of free) if (o.now - e.lastUse > o.maxAgeDays * 86_400_000) remove.add(e);
  }
  if (o.maxBytes !== undefined) {
    let total = entries.filter((e) => !remove.has(e)).reduce((n, e) => n + e.bytes, 0);
    for (const e of [...free].sort((a, b) => a.lastUse - b.lastUse)) {
      if (total <= o.maxBytes) break;
      if (remove.has(e)) continue;
      remove.add(e);
      total -= e.bytes;
    }
  }
  return entries.filter((e) => remove.has(e));
}

async function diskBytes(path: string): Promise<number> {
  const { stdout } = await run('du', ['-s', '--block-size=1', path], { errorCode: 'CACHE_IO', what: `measure ${path}` });
  return Number(stdout.split('\t')[0]) || 0;
}

async function mtime(path: string): Promise<number> {
  return (await stat(path)).mtimeMs;
}

async function busy(lock: string, shared: boolean): Promise<boolean> {
  if (!existsSync(lock)) return false;
  const r = await tryLock(lock, shared).catch(() => null);
  if (r === null) return true;
  await r();
  return false;
}

async function kernelEntry(root: string, key: string): Promise<CacheEntry> {
  const path = join(root, 'kernels', key);
  const meta = (await readFile(join(path, 'meta.json'), 'utf8').then(JSON.parse, () => null)) as ArtifactMeta | null;
  const label = meta ? `${meta.label}: ${meta.source}${meta.patches.length ? ` + ${meta.patches.join(', ')}` : ''}` : '(no meta.json)';
  return { kind: 'kernel', key, path, label, bytes: await diskBytes(path), lastUse: await mtime(path), inUse: await busy(artifactLock(root, key), false) };
}

async function treeLabel(src: string): Promise<string> {
  const repo = await readFile(join(src, '.git', 'daxlab-repo'), 'utf8').catch(() => null);
  if (repo !== null) return `clone of ${repo.trim()}`;
  const base = await readFile(join(src, '.git', 'daxlab-base'), 'utf8').catch(() => null);
  if (base === null) return '(incomplete tree)';
  const r = await run('git', ['-C', src, 'log', '-1', '--format=%s', base.trim()]).catch(() => null);
  return r?.stdout.trim() || `tree at ${base.trim().slice(0, 12)}`;
}

async function treeEntry(root: string, key: string): Promise<CacheEntry> {
  const p = treePaths(root, key);
  // An older daxlab's lock was a directory named lock: while one is there, count the tree as in use.
  const inUse = existsSync(join(p.base, 'lock')) || (await busy(p.lock, false));
  return { kind: 'tree', key, path: p.base, label: await treeLabel(p.src), bytes: await diskBytes(p.base), lastUse: await mtime(p.base), inUse };
}

/** Every entry of the cache at `root`, kernels then trees then leftovers. */
export async function listCache(root: string): Promise<CacheEntry[]> {
  const out: CacheEntry[] = [];
  for (const [dir, make] of [['kernels', kernelEntry], ['trees', treeEntry]] as const) {
    const names = await readdir(join(root, dir)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const path = join(root, dir, name);
      if (/\.tmp-/.test(name)) {
        out.push({ kind: 'leftover', key: name, path, label: `interrupted write in ${dir}/`, bytes: await diskBytes(path), lastUse: await mtime(path), inUse: false });
      } else if (/^[0-9a-f]{16}$/.test(name) && (await stat(path)).isDirectory()) {
        out.push(await make(root, name));
      }
    }
  }
  return out;
}

/** Remove one entry unless it got into use meanwhile (its lock is taken exclusively first); true when removed. */
export async function removeEntry(root: string, e: CacheEntry): Promise<boolean> {
  const lock = e.kind === 'kernel' ? artifactLock(root, e.key) : e.kind === 'tree' ? treePaths(root, e.key).lock : null;
  let release: Release | null = null;
  if (lock) {
    release = await tryLock(lock).catch(() => null);
    if (release === null) return false;
  }
  try {
    await rm(e.path, { recursive: true, force: true });
    // A kernel's lock file sits beside it; removed while held, so a waiter on it starts over.
    if (e.kind === 'kernel' && lock) await rm(lock, { force: true });
    return true;
  } finally {
    await release?.();
  }
}

/** The kernel entries named by full keys or unique prefixes; USAGE error naming what matched none or several. */
export function pickKernels(entries: CacheEntry[], wanted: string[]): CacheEntry[] {
  const kernels = entries.filter((e) => e.kind === 'kernel');
  return wanted.map((w) => {
    const m = kernels.filter((e) => e.key.startsWith(w));
    if (m.length === 1) return m[0]!;
    throw new DaxlabError('USAGE', m.length === 0 ? `no kernel entry ${w} in the cache` : `${w} names ${m.length} kernel entries; give more of the key`, [
      'see: daxlab cache list',
    ]);
  });
}
