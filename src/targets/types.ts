// Where cases run: a target turns a built kernel into booted guests. The local QEMU is the target
// "local"; remote KVM hosts and machines with real pmem are other kinds behind the same shape.
import type { BuildResult } from '../kernel/build.js';
import type { Plan } from '../plan/types.js';
import type { BootedGuest } from '../run/booted-guest.js';

/** Boots one guest on a kernel image; its console goes to serialLog; aborting tears it down. */
export type GuestBooter = (image: string, serialLog: string, signal: AbortSignal) => Promise<BootedGuest>;

/** A target as a run uses it. */
export interface RunTarget {
  name: string;
  kind: string;
  /** How many guests (cells) may run on it at once. */
  slots: number;
  /** Plainly, what accelerates its guests ("KVM" or "TCG, software emulation: ..."), for the run log. */
  describe(): string;
  /** Why this target cannot provide the plan's backend at all (its cases are skips), or null. */
  unsupported(plan: Plan): string | null;
  /** The booter for one kernel on this target (guest programs prepared, the kernel's selftests shipped). */
  booter(plan: Plan, built: BuildResult): Promise<GuestBooter>;
  /** Release what the target holds for the run (locks, connections, uploads); idempotent. */
  close(): Promise<void>;
}
