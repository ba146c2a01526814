// What the runner holds for one booted VM. Implemented in boot-guest.ts over QEMU and ssh2.
import type { GuestExec } from './guest-port.js';

export interface BootedGuest {
  guest: GuestExec;
  /** Where the compiled workload programs are, as seen in the guest. */
  binDir: string;
  /** True once the QEMU process has exited. */
  exited(): boolean;
  /** The panic/Oops block from the serial log, or null when the guest did not panic. */
  panicText(): string | null;
  /** The last lines of the serial console. */
  serialTail(lines: number): string[];
  /** Collect task stacks (sysrq t/w) onto the serial console before giving up on a hung guest. */
  dumpStacks(): Promise<string[]>;
  /** Power off (or kill) the VM and its helpers; idempotent. */
  shutdown(): Promise<void>;
  timings: { kernelInitMs: number; readyMs: number };
  accel: 'kvm' | 'tcg';
}
