// Moving built kernels between machines: `daxlab cache export` writes kernel entries into a tar
// archive (reproducible: sorted, owner 0, mtime 0), and `cache import` accepts one only when every
// member is a plain file or directory under kernels/<key>/ and every file matches the sha256 in its
// entry's meta.json. Nothing of an archive that fails a check is installed (ARCHIVE_INVALID, exit 2).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import { holdEntry, markUsed, verifyEntry } from './artifact-cache.js';
import { artifactDir } from './cache-dir.js';
import { digestFile, fsyncPath, fsyncTree, META_FILE } from './entry-files.js';
import { run } from './exec.js';

const ENTRY = /^kernels(?:\/[0-9a-f]{16}(?:\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]*)?)?$/;

/** Pure: why a `tar -tvf` listing is not a daxlab cache archive, or null when every member may be extracted. */
export function archiveListingProblem(listing: string): string | null {
  const lines = listing.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return 'the archive is empty';
  for (const line of lines) {
    const type = line[0];
    // GNU tar -tv: "drwxr-xr-x 0/0 0 1970-01-01 00:00 kernels/<key>/" (then " -> target" for a link);
    // daxlab's names have no spaces, so the name is the sixth field.
    const name = line.trim().split(/\s+/)[5] ?? '';
    if (type !== '-' && type !== 'd') return `${name} is not a plain file or directory (type ${type})`;
    if (name.split('/').includes('..') || !ENTRY.test(name.replace(/\/$/, ''))) return `${name} is outside kernels/<key>/`;
  }
  return null;
}

/** sha256 of a file (an archive). */
export async function sha256Of(path: string): Promise<string> {
  return (await digestFile(path)).sha256;
}

/** Write the entries `keys` of the cache at `root` into the tar archive `out`; each is verified first. */
export async function exportEntries(root: string, keys: string[], out: string): Promise<Array<{ key: string; metaSha256: string }>> {
  const done: Array<{ key: string; metaSha256: string }> = [];
  for (const key of keys) {
    await holdEntry(root, key);
    await verifyEntry(artifactDir(root, key), key).catch((err: Error) => {
      throw new DaxlabError('CACHE_IO', `cache entry ${key} is corrupt (${err.message}); not exported`, ['it is rebuilt on its next use']);
    });
    done.push({ key, metaSha256: await sha256Of(join(artifactDir(root, key), META_FILE)) });
  }
  await run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=gnu',
    '-cf', out, '-C', root, '--', ...keys.map((k) => `kernels/${k}`)], { errorCode: 'CACHE_IO', what: `write ${out}` });
  return done;
}

/** What an import did with each entry of the archive. */
export interface Imported {
  key: string;
  metaSha256: string;
  status: 'installed' | 'present';
}

function invalid(file: string, why: string): DaxlabError {
  return new DaxlabError('ARCHIVE_INVALID', `refusing ${file}: ${why}`, ['nothing from it was installed']);
}

/** Check and install the entries of the archive `file` into the cache at `root`; all or nothing. */
export async function importEntries(root: string, file: string, expectSha256?: string): Promise<Imported[]> {
  if (!existsSync(file)) throw new DaxlabError('USAGE', `${file} does not exist`);
  if (expectSha256 && (await sha256Of(file)) !== expectSha256.toLowerCase()) {
    throw invalid(file, `its sha256 is ${await sha256Of(file)}, not the expected ${expectSha256}`);
  }
  const listing = await run('tar', ['-tvf', file], { errorCode: 'ARCHIVE_INVALID', what: `read ${file}` });
  const bad = archiveListingProblem(listing.stdout);
  if (bad) throw invalid(file, bad);
  await mkdir(join(root, 'kernels'), { recursive: true });
  // Beside the entries (same file system: installed by rename); removed whatever happens.
  const tmp = await mkdtemp(join(root, 'kernels', 'import.tmp-'));
  try {
    await run('tar', ['-xf', file, '-C', tmp, '--no-same-owner', '--no-same-permissions', '--delay-directory-restore'], {
      errorCode: 'ARCHIVE_INVALID',
      what: `extract ${file}`,
    });
    const keys = (await readdir(join(tmp, 'kernels'))).sort();
    const checked: Array<{ key: string; metaSha256: string }> = [];
    for (const key of keys) {
      const dir = join(tmp, 'kernels', key);
      const problem = await verifyEntry(dir, key).then(() => null, (err: Error) => err.message);
      if (problem) throw invalid(file, `entry ${key}: ${problem}`);
      checked.push({ key, metaSha256: await sha256Of(join(dir, META_FILE)) });
    }
    const out: Imported[] = [];
    for (const { key, metaSha256 } of checked) {
      await holdEntry(root, key);
      const dest = artifactDir(root, key);
      const present = existsSync(dest) && (await verifyEntry(dest, key).then(() => true, () => false));
      if (!present) {
        await fsyncTree(join(tmp, 'kernels', key));
        await rm(dest, { recursive: true, force: true });
        await rename(join(tmp, 'kernels', key), dest);
        await fsyncPath(join(root, 'kernels'));
      }
      await markUsed(dest);
      out.push({ key, metaSha256, status: present ? 'present' : 'installed' });
    }
    return out;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
