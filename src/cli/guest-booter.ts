// What `run` and `boot` share before booting: the guest programs compiled (cached by content)
// and the paths every boot uses. Returns a function that boots one VM.
import { join } from 'node:path';
import type { HostCaps } from '../host/types.js';
import { cacheRoot } from '../kernel/cache-dir.js';
import type { Plan } from '../plan/types.js';
import { bootGuest } from '../run/boot-guest.js';
import type { BootedGuest } from '../run/booted-guest.js';
import { compileGuestPrograms } from '../workloads/compile.js';
import { GUEST_SCRIPTS_DIR } from './paths.js';

/** Boots one VM on image, its console in serialLog; aborting signal tears it down at once. */
export type GuestBooter = (image: string, serialLog: string, signal: AbortSignal) => Promise<BootedGuest>;

/** What else a boot needs: the kernel's selftests directory, extra command-line words. */
export interface BooterOptions {
  selftestsDir?: string;
  extraCmdline?: string[];
}

/** Compile the guest programs once and return the booter for this plan, host and kernel. */
export async function guestBooter(plan: Plan, caps: HostCaps, o: BooterOptions = {}): Promise<GuestBooter> {
  const guestBin = await compileGuestPrograms(GUEST_SCRIPTS_DIR, join(cacheRoot(), 'guest-bin'));
  return (image, serialLog, signal) =>
    bootGuest({
      plan,
      caps,
      image,
      binDir: guestBin.binDir,
      selftestsDir: o.selftestsDir,
      init: join(GUEST_SCRIPTS_DIR, 'init.sh'),
      serialLog,
      extraCmdline: o.extraCmdline,
      signal,
    });
}
