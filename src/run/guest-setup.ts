// Guest-side setup steps run over the session: the delayed block devices, the fsdax namespaces,
// and each DAX filesystem.
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { FsName } from '../plan/types.js';
import type { GuestExec } from './guest-port.js';

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

function tail(text: string): string[] {
  return text.trim().split('\n').slice(-10);
}

/** Create the null_blk device `name` with delayed completion; returns its path (e.g. /dev/daxlab0). */
export async function setupDelayDevice(guest: GuestExec, scripts: string, pinMs: number, name = 'daxlab'): Promise<string> {
  const r = await guest.exec([join(scripts, 'setup-nullblk.sh'), String(pinMs), name], { timeoutMs: 60_000 });
  const device = lastLine(r.stdout);
  if (r.exitCode !== 0 || !device.startsWith('/dev/')) {
    throw new DaxlabError('GUEST_FAILED', `null_blk setup failed (exit ${r.exitCode})`, tail(r.stderr));
  }
  return device;
}

/** Make sure `count` fsdax namespaces exist; returns their block devices (one only on virtio-pmem). */
export async function setupPmem(guest: GuestExec, scripts: string, count: number): Promise<string[]> {
  const r = await guest.exec([join(scripts, 'setup-pmem.sh'), String(count)], { timeoutMs: 120_000 });
  const devices = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/dev/'));
  if (r.exitCode !== 0 || devices.length === 0) {
    const why = lastLine(r.stderr) || `exit ${r.exitCode}`;
    throw new DaxlabError('GUEST_FAILED', `fsdax namespaces: ${why}`, tail(r.stderr));
  }
  return devices;
}

/** Make `fs` on `device` and mount it with -o dax=always at mountPoint, proving DAX is active. */
export async function setupFilesystem(
  guest: GuestExec,
  scripts: string,
  fs: FsName,
  mountPoint: string,
  binDir: string,
  device: string,
): Promise<void> {
  const r = await guest.exec([join(scripts, 'setup-fs.sh'), fs, mountPoint, binDir, device], { timeoutMs: 120_000 });
  if (r.exitCode !== 0) {
    const why = lastLine(r.stderr) || lastLine(r.stdout) || `exit ${r.exitCode}`;
    throw new DaxlabError('GUEST_FAILED', `${fs} on pmem: ${why}`, tail(r.stderr));
  }
}
