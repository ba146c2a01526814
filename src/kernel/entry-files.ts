// The files of a cache entry: listed (regular files only), hashed, compared with the entry's
// manifest, and fsynced. Shared by the store, the lookup and the import of entries.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** What the manifest records for one file. */
export interface FileDigest {
  sha256: string;
  bytes: number;
}

/** Relative path -> digest, for every file of an entry but meta.json. */
export type Manifest = Record<string, FileDigest>;

/** The manifest file itself, which is not in the manifest. */
export const META_FILE = 'meta.json';

/** Relative paths of the regular files under `dir`, sorted; anything else (a symlink, a device) throws. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = await lstat(join(dir, rel));
    if (st.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (st.isFile()) out.push(rel);
    else throw new Error(`${rel} is not a regular file`);
  }
  return out;
}

/** sha256 and size of a file, streamed. */
export async function digestFile(path: string): Promise<FileDigest> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** The manifest of every file under `dir` except meta.json. */
export async function manifestOf(dir: string): Promise<Manifest> {
  const m: Manifest = {};
  for (const rel of await listFiles(dir)) if (rel !== META_FILE) m[rel] = await digestFile(join(dir, rel));
  return m;
}

/** Pure: the first difference between a recorded manifest and the files found, or null. */
export function manifestProblem(recorded: Manifest, found: Manifest): string | null {
  for (const [rel, want] of Object.entries(recorded)) {
    const got = found[rel];
    if (!got) return `${rel} missing`;
    if (got.bytes !== want.bytes || got.sha256 !== want.sha256) return `${rel} does not match meta.json`;
  }
  const extra = Object.keys(found).find((rel) => !Object.hasOwn(recorded, rel));
  return extra ? `${extra} is not in meta.json` : null;
}

/** fsync every file and directory under `dir` (then `dir` itself): what a rename publishes is on disk. */
export async function fsyncTree(dir: string): Promise<void> {
  for (const rel of await listFiles(dir)) await fsyncPath(join(dir, rel));
  const dirs = new Set<string>(['']);
  for (const rel of await listFiles(dir)) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const d of [...dirs].sort().reverse()) await fsyncPath(join(dir, d));
}

/** fsync one file or directory. */
export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
