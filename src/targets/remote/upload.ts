// Content-addressed uploads to a kvm-host's store: every file is named by its SHA-256 there, so a
// file the host already has is never sent again; a run dir is staged on the host by copying blobs.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DaxlabError } from '../../errors.js';
import type { RemoteHost } from './ssh-host.js';

/** One local file and where it goes in a remote run dir ("" when it only goes into the store). */
export interface UploadFile {
  local: string;
  /** Relative path inside the run dir, or "" (kept in the store only, e.g. the kernel image). */
  path: string;
  /** Octal mode in the run dir ("755" or "644"). */
  mode: string;
  hash: string;
}

/** What an upload cost. */
export interface UploadStats {
  files: number;
  sent: number;
  bytes: number;
}

const hashes = new Map<string, string>();

/** SHA-256 of a file (remembered per path, size and mtime for the life of the process). */
export async function hashFile(path: string): Promise<string> {
  const st = await stat(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const known = hashes.get(key);
  if (known) return known;
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  const hex = h.digest('hex');
  hashes.set(key, hex);
  return hex;
}

/** Every file under dir (recursively) as UploadFiles under prefix in the run dir; filter on the base name. */
export async function filesUnder(dir: string, prefix: string, keep: (name: string) => boolean = () => true): Promise<UploadFile[]> {
  const out: UploadFile[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const local = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(local, `${prefix}/${e.name}`, keep)));
    else if (e.isFile() && keep(e.name)) out.push(await uploadFile(local, `${prefix}/${e.name}`));
  }
  return out;
}

/** One UploadFile, its mode taken from the local file's execute bit. */
export async function uploadFile(local: string, path: string): Promise<UploadFile> {
  const st = await stat(local);
  return { local, path, mode: st.mode & 0o100 ? '755' : '644', hash: await hashFile(local) };
}

/** The "HASH:MODE:PATH" words of `daxlab-remote.sh stage` for files that go into the run dir. */
export function stageEntries(files: readonly UploadFile[]): string[] {
  return files.filter((f) => f.path !== '').map((f) => `${f.hash}:${f.mode}:${f.path}`);
}

/** Put the files the store lacks into it (SFTP to a temporary name, then renamed); the helper script must be there. */
export async function uploadMissing(host: RemoteHost, script: string, store: string, files: readonly UploadFile[]): Promise<UploadStats> {
  const unique = [...new Map(files.map((f) => [f.hash, f])).values()];
  const r = await host.exec(['bash', script, 'missing', store, ...unique.map((f) => f.hash)], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: cannot check its store ${store}: ${r.stderr.trim()}`);
  const missing = new Set(r.stdout.split('\n').filter(Boolean));
  let bytes = 0;
  for (const f of unique.filter((u) => missing.has(u.hash))) bytes += await putBlob(host, f.local, store, f.hash);
  return { files: unique.length, sent: missing.size, bytes };
}

/** Upload one local file into the store as its hash (used for the helper script itself too); returns bytes sent. */
export async function putBlob(host: RemoteHost, local: string, store: string, hash: string): Promise<number> {
  const sftp = await host.sftp();
  const tmp = `${store}/.upload-${hash}-${randomBytes(4).toString('hex')}`;
  const final = `${store}/${hash}`;
  const size = (await stat(local)).size;
  await new Promise<void>((res, rej) => sftp.fastPut(local, tmp, { mode: 0o600 }, (e) => (e ? rej(e) : res()))).catch((e: Error) => {
    throw new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: upload of ${local} to ${tmp} failed: ${e.message}`);
  });
  // posix-rename replaces a blob another run put there meanwhile (same content, same name).
  await new Promise<void>((res, rej) => sftp.ext_openssh_rename(tmp, final, (e) => (e ? rej(e) : res()))).catch((e: Error) => {
    throw new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: cannot rename ${tmp} to ${final}: ${e.message}`);
  });
  return size;
}

/** True when the store has a blob (one SFTP stat). */
export async function hasBlob(host: RemoteHost, store: string, hash: string): Promise<boolean> {
  const sftp = await host.sftp();
  return new Promise((res) => sftp.stat(`${store}/${hash}`, (e) => res(!e)));
}
