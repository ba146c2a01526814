// The guest kernel command line (pure).
import { DaxlabError } from '../errors.js';
import type { VmSpec } from './types.js';
import { assertCmdlineWord } from './escape.js';

/** Guest address for QEMU user networking (slirp): 10.0.2.15, gateway 10.0.2.2. */
export const GUEST_IP = '10.0.2.15';

/** Command-line words daxlab always passes, before spec.cmdline. */
export function baseCmdline(spec: Pick<VmSpec, 'init' | 'runDir' | 'logBufKiB'>): string[] {
  return [
    // The serial port is the only console; its log is how boots are judged.
    'console=ttyS0',
    // Boot straight from the host root shared over 9p, read-only.
    'root=/dev/root',
    'rootfstype=9p',
    'rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose',
    'ro',
    `init=${assertCmdlineWord('init script path', spec.init)}`,
    // IP_PNP configures eth0 in the kernel, so init needs no network tools.
    `ip=${GUEST_IP}::10.0.2.2:255.255.255.0::eth0:off`,
    // Reboot at once on panic; with -no-reboot that ends QEMU.
    'panic=-1',
    // No null_blk devices at boot: the workloads configure the delayed device later.
    'null_blk.nr_devices=0',
    // A ring buffer large enough that no record is overwritten before daxlab reads it (each case
    // reads the log from where the previous read stopped; a lost record makes the case an error).
    `log_buf_len=${spec.logBufKiB}K`,
    // Never rate-limit writes to /dev/kmsg: the runner's case markers must all arrive.
    'printk.devkmsg=on',
    // Tells init where the host put sshd_config and keys.
    `daxlab.run=${assertCmdlineWord('run directory', spec.runDir)}`,
  ];
}

/** The full command line: daxlab's words then the spec's extra words. */
export function kernelCmdline(spec: Pick<VmSpec, 'init' | 'runDir' | 'cmdline' | 'logBufKiB'>): string {
  for (const w of spec.cmdline) {
    if (w === '' || /[\s"]/.test(w)) {
      throw new DaxlabError('USAGE', `kernel command-line word ${JSON.stringify(w)} is empty or holds whitespace or quotes`);
    }
  }
  return [...baseCmdline(spec), ...spec.cmdline].join(' ');
}
