// What a VM should look like; turned into a QEMU argv by pure builders.
import type { BackendName } from '../plan/types.js';

export interface VmSpec {
  kernelImage: string;
  /** Extra kernel command-line words (already split). */
  cmdline: string[];
  cpus: number;
  memoryMiB: number;
  /** Kernel log ring buffer size in KiB (log_buf_len=). */
  logBufKiB: number;
  backend: BackendName;
  /** Backing file for the NVDIMM or virtio-pmem device. */
  pmemFile: string;
  pmemMiB: number;
  /** Host port forwarded to the guest's sshd; bound to 127.0.0.1. */
  sshPort: number;
  serialLog: string;
  /** Absolute path of the guest init script (visible through the read-only root share). */
  init: string;
  /** Per-run directory, visible in the guest at the same path. */
  runDir: string;
  /** virtio-fs: the vhost-user socket and the shared directory. */
  virtiofs?: { socket: string; dir: string; cacheMiB: number };
}

/** A QEMU invocation plus helper processes that must start first (virtiofsd). */
export interface QemuCommand {
  argv: string[];
  helpers: Array<{ name: string; argv: string[] }>;
  accel: 'kvm' | 'tcg';
}

/** How a QEMU process ended. */
export interface VmExit {
  code: number | null;
  signal: string | null;
}

/** What runs the guest: KVM, QEMU's TCG emulation, or none (a machine's own kernel, target kind machine). */
export type Accel = 'kvm' | 'tcg' | 'none';

/** A running VM and its helpers. */
export interface VmHandle {
  /** QEMU's process id. */
  pid: number;
  /** The host port forwarded to the guest's sshd (127.0.0.1 only). */
  sshPort: number;
  accel: Accel;
  /** performance.now() when QEMU was spawned. */
  startedAt: number;
  /** Settles when QEMU exits. */
  exited: Promise<VmExit>;
  /** The last n lines of the serial log. */
  serialTail(n: number): string[];
  /** Resolves with the first match in the serial log; rejects BOOT_FAILED on panic, QEMU exit or timeout. */
  waitForSerial(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Waits for init's DAXLAB-READY (sshd started); rejects BOOT_FAILED with the serial tail otherwise. */
  waitReady(timeoutMs: number): Promise<void>;
  /** Run a QMP command on the VM's monitor. */
  qmp(execute: string, args?: object): Promise<unknown>;
  /** Stop QEMU and helpers: SIGTERM, SIGKILL after 2 s. Idempotent. */
  kill(): Promise<void>;
}
