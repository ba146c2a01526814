// The content-addressed store of built kernels: kernels/<key>/{bzImage,config,build.log,meta.json}
// and selftests/ (userspace programs built from the same tree, when the config enables them).
// Entries are written to a temp dir and renamed into place; an entry whose image does not match its
// recorded hash is treated as absent and removed.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { artifactDir } from './cache-dir.js';

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
}

function sha256File(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Look up a valid entry; a corrupt or partial one is removed and reported as a miss. */
export async function lookupArtifact(root: string, key: string, onCorrupt?: (why: string) => void): Promise<KernelArtifact | null> {
  const dir = artifactDir(root, key);
  if (!existsSync(dir)) return null;
  try {
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as ArtifactMeta;
    const image = await readFile(join(dir, 'bzImage'));
    if (meta.key !== key || image.length !== meta.imageBytes || sha256File(image) !== meta.imageSha256) {
      throw new Error('bzImage does not match meta.json');
    }
    if (!existsSync(join(dir, 'config'))) throw new Error('config missing');
    for (const name of meta.selftests ?? []) {
      if (!existsSync(join(dir, 'selftests', name))) throw new Error(`selftests/${name} missing`);
    }
    return entry(dir, key, meta);
  } catch (err) {
    onCorrupt?.(`cache entry ${dir} is corrupt (${(err as Error).message}); rebuilding`);
    await rm(dir, { recursive: true, force: true });
    return null;
  }
}

/** Store a freshly built image atomically; returns the stored artifact. */
export async function storeArtifact(
  root: string,
  key: string,
  files: { image: string; config: string; log?: string; selftests?: { dir: string; names: string[] } },
  meta: Omit<ArtifactMeta, 'key' | 'imageSha256' | 'imageBytes' | 'createdAt'>,
): Promise<KernelArtifact> {
  const dir = artifactDir(root, key);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  const image = await readFile(files.image);
  await copyFile(files.image, join(tmp, 'bzImage'));
  await copyFile(files.config, join(tmp, 'config'));
  if (files.log && existsSync(files.log)) await copyFile(files.log, join(tmp, 'build.log'));
  if (files.selftests && files.selftests.names.length > 0) await cp(files.selftests.dir, join(tmp, 'selftests'), { recursive: true });
  const full: ArtifactMeta = {
    ...meta,
    key,
    imageSha256: sha256File(image),
    imageBytes: image.length,
    createdAt: new Date().toISOString(),
    selftests: files.selftests?.names ?? [],
  };
  await writeFile(join(tmp, 'meta.json'), JSON.stringify(full, null, 2) + '\n');
  await mkdir(dirname(dir), { recursive: true });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return entry(dir, key, full);
}

function entry(dir: string, key: string, meta: ArtifactMeta): KernelArtifact {
  return { key, dir, image: join(dir, 'bzImage'), config: join(dir, 'config'), selftests: join(dir, 'selftests'), meta };
}
