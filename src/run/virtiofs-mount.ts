// The virtiofs backend's filesystem in the guest: guest-scripts/setup-virtiofs.sh mounts the share
// with -o dax=always and proves DAX is on. A device without a DAX window is a reason to skip the
// cases, never to run them on a mount without DAX.
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import { VIRTIOFS_TAG } from '../vm/devices.js';
import type { GuestOutput } from '../workloads/types.js';
import type { GuestExec } from './guest-port.js';

/** setup-virtiofs.sh's exit status when the device has no DAX window. */
export const NO_DAX_WINDOW_EXIT = 3;

/** The share cannot be mounted with DAX here (no DAX window): the filesystem's cases are skips with this reason. */
export class NoDaxWindowError extends DaxlabError {
  constructor(reason: string) {
    super('GUEST_FAILED', reason);
    this.name = 'NoDaxWindowError';
  }
}

/** Pure: what setup-virtiofs.sh's output means: mounted with DAX, a skip (no DAX window), or an error. */
export function virtiofsSetupOutcome(r: GuestOutput): { ok: string } | { skip: string } | { error: string } {
  const last = (text: string) => text.trim().split('\n').pop()?.trim() ?? '';
  if (r.exitCode === 0 && !r.timedOut) return { ok: last(r.stdout) };
  const why = last(r.stderr) || last(r.stdout) || (r.timedOut ? 'timed out' : `exit ${r.exitCode}`);
  // Both the status and the words: a script killed by a signal or a stray exit 3 is not a skip.
  if (r.exitCode === NO_DAX_WINDOW_EXIT && why.startsWith('no DAX window:')) return { skip: why };
  return { error: why };
}

/** Mount the share at mountPoint with -o dax=always; throws NoDaxWindowError (a skip) or GUEST_FAILED. */
export async function setupVirtiofs(guest: GuestExec, scripts: string, mountPoint: string, binDir: string): Promise<string> {
  const r = await guest.exec([join(scripts, 'setup-virtiofs.sh'), VIRTIOFS_TAG, mountPoint, binDir], { timeoutMs: 120_000 });
  const o = virtiofsSetupOutcome(r);
  if ('ok' in o) return o.ok;
  if ('skip' in o) throw new NoDaxWindowError(o.skip);
  throw new DaxlabError('GUEST_FAILED', `virtiofs: ${o.error}`, r.stderr.trim().split('\n').slice(-10));
}
