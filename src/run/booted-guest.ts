// What the runner holds for one booted VM. Implemented in boot-guest.ts over QEMU and ssh2.
import type { Accel } from '../vm/types.js';
import type { GuestExec } from './guest-port.js';

/** How QEMU ended: exit code or the signal that killed it. */
export interface VmEnd {
  code: number | null;
  signal: string | null;
}

export interface BootedGuest {
  guest: GuestExec;
  /** Lane n: another shell on the same connection, for a case running beside others (lane 0 is `guest`). */
  lane(n: number): GuestExec;
  /** Where the compiled workload programs are, as seen in the guest. */
  binDir: string;
  /** This boot's serial console log on the host. */
  serialLog: string;
  /** An interactive shell in the guest (daxlab boot without a command). */
  interactive(io: import('../guest/types.js').InteractiveIo): Promise<number>;
  /** True once the QEMU process has exited. */
  exited(): boolean;
  /** How QEMU ended, or null while it runs. */
  exitStatus(): VmEnd | null;
  /** True once the ssh connection to the guest has ended (the VM may still run). */
  disconnected(): boolean;
  /** The panic/Oops block from the serial log, or null when the guest did not panic. */
  panicText(): string | null;
  /** The last lines of the serial console. */
  serialTail(lines: number): string[];
  /** Collect blocked-task and all-task stacks (sysrq w, t) from the serial console of a stuck guest. */
  dumpStacks(): Promise<string[]>;
  /** Power off (or kill) the VM and its helpers; idempotent. */
  shutdown(): Promise<void>;
  /** From QEMU's start: the kernel ran init; init started sshd (DAXLAB-READY); the ssh session answered a first command. */
  timings: { kernelInitMs: number; sshdStartedMs: number; readyMs: number };
  accel: Accel;
  /** The fsdax block devices to use as they are (a machine's), instead of making namespaces. */
  pmemDevices?: string[];
  /** The guest kernel's clocksource, read once the guest is ready (kvm-clock proves KVM was used). */
  clocksource?: string;
}

/** What accelerated a run's guests: QEMU's accelerator and the clocksource the guest kernel chose. */
export interface GuestAccel {
  accel: Accel;
  clocksource?: string;
}

/** Pure: "guest ready in 3.6 s (TCG, guest clocksource tsc); kernel ran init at 1.6 s, sshd started at 2.8 s": where a slow boot spent its time. */
export function readinessText(g: Pick<BootedGuest, 'timings' | 'accel' | 'clocksource'>): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const t = g.timings;
  if (g.accel === 'none') return `machine ready in ${s(t.readyMs)} (no VM: the machine's own kernel, clocksource ${g.clocksource ?? 'unknown'})`;
  return `guest ready in ${s(t.readyMs)} (${g.accel.toUpperCase()}, guest clocksource ${g.clocksource ?? 'unknown'}); kernel ran init at ${s(t.kernelInitMs)}, sshd started at ${s(t.sshdStartedMs)}`;
}
