// Pure: which filesystems a backend can hold. pmem and virtio-pmem carry block filesystems made in
// the guest (ext4, xfs); virtiofs carries one, the host's shared directory, named `virtiofs`.
import type { BackendName, FsName } from './types.js';

/** The filesystems made on a pmem or virtio-pmem device, in run order. */
export const BLOCK_FILESYSTEMS: readonly FsName[] = ['ext4', 'xfs'];

/** The filesystems a plan without `filesystems:` runs on this backend. */
export function defaultFilesystems(backend: BackendName): FsName[] {
  return backend === 'virtiofs' ? ['virtiofs'] : [...BLOCK_FILESYSTEMS];
}

/** Why `fs` cannot be run on `backend` (a plan or flag error), or null when it can. */
export function fsBackendProblem(fs: FsName, backend: BackendName): string | null {
  if (backend === 'virtiofs' && fs !== 'virtiofs') {
    return `'${fs}' is made on a pmem device; with backend virtiofs the filesystem is the shared host directory: use virtiofs (or leave filesystems out)`;
  }
  if (backend !== 'virtiofs' && fs === 'virtiofs') {
    return `'virtiofs' is the shared directory of the virtiofs backend; backend ${backend} holds ${BLOCK_FILESYSTEMS.join(' and ')}`;
  }
  return null;
}

/** Whether `filesystems` are exactly the defaults of `backend` (they then follow a --backend change). */
export function areDefaultFilesystems(filesystems: readonly FsName[], backend: BackendName): boolean {
  const d = defaultFilesystems(backend);
  return filesystems.length === d.length && filesystems.every((fs, i) => fs === d[i]);
}
