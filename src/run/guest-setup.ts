// Guest-side setup steps run over the session: the delayed block device and each DAX filesystem.
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { FsName } from '../plan/types.js';
import type { GuestExec } from './guest-port.js';

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/** Create the null_blk device with delayed completion; returns its path (e.g. /dev/nullb0). */
export async function setupDelayDevice(guest: GuestExec, scripts: string, pinMs: number): Promise<string> {
  const r = await guest.exec([join(scripts, 'setup-nullblk.sh'), String(pinMs)], { timeoutMs: 60_000 });
  const device = lastLine(r.stdout);
  if (r.exitCode !== 0 || !device.startsWith('/dev/')) {
    throw new DaxlabError('GUEST_FAILED', `null_blk setup failed (exit ${r.exitCode})`, r.stderr.trim().split('\n').slice(-10));
  }
  return device;
}

/** Make and mount `fs` with -o dax=always on the fsdax namespace, proving DAX is active. */
export async function setupFilesystem(guest: GuestExec, scripts: string, fs: FsName, mountPoint: string, binDir: string): Promise<void> {
  const r = await guest.exec([join(scripts, 'setup-fs.sh'), fs, mountPoint, binDir], { timeoutMs: 120_000 });
  if (r.exitCode !== 0) {
    const why = lastLine(r.stderr) || lastLine(r.stdout) || `exit ${r.exitCode}`;
    throw new DaxlabError('GUEST_FAILED', `${fs} on pmem: ${why}`, r.stderr.trim().split('\n').slice(-10));
  }
}
