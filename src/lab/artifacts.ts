// Built kernels between lab hosts: a worker that built a kernel publishes its cache entry to Redis
// (the tar of `daxlab cache export` and its sha256, under the content-addressed cache key); a worker
// about to run a shard whose kernel it lacks installs it from there (`cache import`, every file
// checked) instead of building it again. Hosts whose toolchains differ get different keys and build.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { exportEntries, importEntries, sha256Of } from '../kernel/cache-archive.js';

const kernelKey = (cacheKey: string) => `daxlab:lab:kernel:${cacheKey}`;

/** Pure: a cache key is hex only (it names a Redis key and a cache directory). */
export function isCacheKey(k: string): boolean {
  return /^[0-9a-f]{8,64}$/.test(k);
}

async function inTemp<T>(root: string, body: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, 'lab-transfer.tmp-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Publish a built kernel of the cache at root, unless Redis has it already or this host does not. */
export async function publishKernel(r: Redis, root: string, cacheKey: string): Promise<'published' | 'present' | 'absent'> {
  if (!isCacheKey(cacheKey) || !existsSync(join(root, 'kernels', cacheKey))) return 'absent';
  if (await r.hexists(kernelKey(cacheKey), 'sha256')) return 'present';
  return inTemp(root, async (dir) => {
    const tar = join(dir, `${cacheKey}.tar`);
    await exportEntries(root, [cacheKey], tar);
    const sha256 = await sha256Of(tar);
    // The tar first: a reader that sees the sha256 finds the whole archive.
    await r.hset(kernelKey(cacheKey), 'tar', await readFile(tar));
    await r.hset(kernelKey(cacheKey), 'sha256', sha256);
    return 'published' as const;
  });
}

/** Install a kernel from Redis into the cache at root, unless it is there; 'unavailable' when nobody published it. */
export async function fetchKernel(r: Redis, root: string, cacheKey: string): Promise<'imported' | 'present' | 'unavailable'> {
  if (!isCacheKey(cacheKey)) return 'unavailable';
  if (existsSync(join(root, 'kernels', cacheKey))) return 'present';
  const sha256 = await r.hget(kernelKey(cacheKey), 'sha256');
  const tar = sha256 ? await r.hgetBuffer(kernelKey(cacheKey), 'tar') : null;
  if (!sha256 || !tar) return 'unavailable';
  return inTemp(root, async (dir) => {
    const file = join(dir, `${cacheKey}.tar`);
    await writeFile(file, tar);
    await importEntries(root, file, sha256);
    return 'imported' as const;
  });
}
