// What a target file declares (data only): the SSH fields every remote target has, and each kind's own.

/** Target kinds a target file may declare. */
export const TARGET_KINDS = ['kvm-host', 'machine'] as const;

/** How to reach a remote machine over SSH (every kind but local). */
export interface SshSpec {
  name: string;
  host: string;
  port: number;
  user: string;
  /** Private key file (absolute); absent means ssh-agent ($SSH_AUTH_SOCK). */
  identity?: string;
  /** known_hosts file (absolute) the host's key must be in. */
  knownHosts: string;
  /** The machine's content-addressed store of uploads (absolute), or absent for ~/.cache/daxlab-remote. */
  workDir?: string;
  connectTimeoutSec: number;
}

/** A remote Linux host reached over SSH, where daxlab runs QEMU. */
export interface KvmHostSpec extends SshSpec {
  kind: 'kvm-host';
  /** Guests that may run there at once, across all runs. */
  slots: number;
  /** QEMU on the host: a name on its PATH or an absolute path. */
  qemu: string;
  /** How long a boot waits for a free slot. */
  slotWaitSec: number;
}

/** A machine with DAX-capable memory: the cases run on it, no VM. */
export interface MachineSpec extends SshSpec {
  kind: 'machine';
  /** fsdax block devices daxlab may put file systems on (the file says destructive: true). */
  devices: string[];
  /** running: test the machine's own kernel; test: kexec into the kernel under test. */
  kernel: 'running' | 'test';
  /** How the machine returns to its default kernel after a kexec: reboot, or kexec into restoreImage. */
  restore: 'reboot' | 'kexec';
  /** With restore: kexec, the kernel image on the machine to go back to. */
  restoreImage?: string;
  /** How long the machine may take to answer SSH again after a kexec or reboot. */
  bootTimeoutSec: number;
  /** A local file that receives the machine's console (a console server's log), read when it does not come back. */
  consoleLog?: string;
}

export type TargetSpec = KvmHostSpec | MachineSpec;
