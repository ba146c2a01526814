// The content-addressed store of built kernels: kernels/<key>/{bzImage,config,build.log,meta.json}
// and selftests/ (userspace programs built from the same tree, when the config enables them).
// meta.json records the sha256 and size of every other file in the entry; a lookup checks them all,
// and an entry that does not match (or has no such manifest: an older daxlab's) is removed and
// rebuilt. Entries are written to a temp dir, fsynced, and renamed into place. A daxlab using an
// entry holds a shared lock on kernels/<key>.lock until it exits, so `daxlab cache gc` leaves it be.
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { artifactDir, artifactLock } from './cache-dir.js';
import { cacheIoError, isFsError } from './cache-io.js';
import { fsyncPath, fsyncTree, manifestOf, manifestProblem, META_FILE, type Manifest } from './entry-files.js';
import { acquireLock, type Release } from './lock.js';
import { releaseFromBzImage } from './release.js';

/** A built kernel ready to boot. */
export interface KernelArtifact {
  key: string;
  dir: string;
  image: string;
  config: string;
  /** Directory of selftest programs built from the same tree (absent when none were built). */
  selftests: string;
  meta: ArtifactMeta;
}

export interface ArtifactMeta {
  key: string;
  label: string;
  source: string;
  patches: string[];
  imageSha256: string;
  imageBytes: number;
  buildSeconds: number;
  createdAt: string;
  /** Names of the programs in selftests/ (missing in entries from before selftests existed). */
  selftests?: string[];
  /** sha256 and size of every file of the entry but meta.json (missing in entries of older daxlabs). */
  files?: Manifest;
  /** `make kernelrelease` of the image, e.g. "6.1.192" (missing in entries from before it was recorded). */
  kernelRelease?: string;
}

const held = new Map<string, Promise<Release>>();

/** Hold the entry's shared lock until this process exits (once per entry): it is in use. */
export function holdEntry(root: string, key: string): Promise<Release> {
  const path = artifactLock(root, key);
  let h = held.get(path);
  if (!h) {
    h = mkdir(dirname(path), { recursive: true })
      .then(() => acquireLock(path, { shared: true, timeoutMs: 600_000, what: `the cache entry ${key}` }))
      .catch((err: unknown) => {
        held.delete(path);
        throw isFsError(err) ? cacheIoError('lock the cache entry', path, err) : err;
      });
    held.set(path, h);
  }
  return h;
}

/** Pure: why a meta.json cannot vouch for entry `key`, or null when it can. */
export function metaProblem(meta: ArtifactMeta, key: string): string | null {
  if (meta.key !== key) return `meta.json is for entry ${meta.key}`;
  if (!meta.files) return 'no per-file sha256 manifest (an entry from an older daxlab)';
  for (const need of ['bzImage', 'config', ...(meta.selftests ?? []).map((n) => `selftests/${n}`)]) {
    if (!meta.files[need]) return `${need} missing`;
  }
  return null;
}

/** Check every file of the entry in `dir` against its meta.json; returns the meta or throws why not. */
export async function verifyEntry(dir: string, key: string): Promise<ArtifactMeta> {
  const meta = JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as ArtifactMeta;
  const bad = metaProblem(meta, key) ?? manifestProblem(meta.files!, await manifestOf(dir));
  if (bad) throw new Error(bad);
  return meta;
}

/** Look up a valid entry; a corrupt or partial one is removed and reported as a miss. Marks it used. */
export async function lookupArtifact(root: string, key: string, onCorrupt?: (why: string) => void): Promise<KernelArtifact | null> {
  const dir = artifactDir(root, key);
  if (!existsSync(dir)) return null;
  await holdEntry(root, key);
  try {
    const meta = await verifyEntry(dir, key);
    await markUsed(dir);
    // Entries from before the release was recorded: the image carries it in its setup header.
    const kernelRelease = meta.kernelRelease ?? releaseFromBzImage(await readFile(join(dir, 'bzImage'))) ?? undefined;
    return entry(dir, key, kernelRelease ? { ...meta, kernelRelease } : meta);
  } catch (err) {
    onCorrupt?.(`cache entry ${dir} is corrupt (${(err as Error).message}); rebuilding`);
    await rm(dir, { recursive: true, force: true });
    return null;
  }
}

/** Set the entry's last use (its directory's mtime) to now. */
export async function markUsed(dir: string): Promise<void> {
  const now = new Date();
  await utimes(dir, now, now).catch(() => undefined);
}

/** Store a freshly built image atomically (fsynced, every file in the manifest); returns the stored artifact. */
export async function storeArtifact(
  root: string,
  key: string,
  files: { image: string; config: string; log?: string; selftests?: { dir: string; names: string[] } },
  meta: Omit<ArtifactMeta, 'key' | 'imageSha256' | 'imageBytes' | 'createdAt' | 'files'>,
): Promise<KernelArtifact> {
  const dir = artifactDir(root, key);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await holdEntry(root, key);
  try {
    await mkdir(tmp, { recursive: true });
    await copyFile(files.image, join(tmp, 'bzImage'));
    await copyFile(files.config, join(tmp, 'config'));
    if (files.log && existsSync(files.log)) await copyFile(files.log, join(tmp, 'build.log'));
    if (files.selftests && files.selftests.names.length > 0) await cp(files.selftests.dir, join(tmp, 'selftests'), { recursive: true });
    const manifest = await manifestOf(tmp);
    const full: ArtifactMeta = {
      ...meta,
      key,
      imageSha256: manifest.bzImage!.sha256,
      imageBytes: manifest.bzImage!.bytes,
      createdAt: new Date().toISOString(),
      selftests: files.selftests?.names ?? [],
      files: manifest,
    };
    await writeFile(join(tmp, META_FILE), JSON.stringify(full, null, 2) + '\n');
    await fsyncTree(tmp);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    await fsyncPath(dirname(dir));
    return entry(dir, key, full);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw cacheIoError('store the kernel in the cache entry', dir, err);
  }
}

function entry(dir: string, key: string, meta: ArtifactMeta): KernelArtifact {
  return { key, dir, image: join(dir, 'bzImage'), config: join(dir, 'config'), selftests: join(dir, 'selftests'), meta };
}
