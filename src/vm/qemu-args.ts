// buildQemuCommand: a VmSpec plus HostCaps -> QEMU argv and helper processes (pure).
import path from 'node:path';
import { DaxlabError } from '../errors.js';
import type { HostCaps } from '../host/types.js';
import type { QemuCommand, VmSpec } from './types.js';
import { assertSocketPath, qemuOpt } from './escape.js';
import { netArgs, pmemArgs, rootShareArgs, virtioPmemArgs, virtiofsArgs } from './devices.js';
import { kernelCmdline } from './cmdline.js';

/** Where the QMP socket of a run lives. */
export function qmpSocketPath(runDir: string): string {
  return path.posix.join(runDir, 'qmp.sock');
}

/** Machine, accelerator, CPU model and CPU count. */
export function machineArgs(spec: VmSpec, accel: 'kvm' | 'tcg'): string[] {
  return [
    // q35 boots faster than pc under TCG; nvdimm=on builds the ACPI NFIT the pmem backend needs.
    '-machine', spec.backend === 'pmem' ? 'q35,nvdimm=on' : 'q35',
    '-accel', accel,
    // host passes the real CPU through under KVM; max gives TCG every feature it can emulate.
    '-cpu', accel === 'kvm' ? 'host' : 'max',
    '-smp', String(spec.cpus),
  ];
}

/** Guest RAM, plus hotplug room (slots/maxmem) for the memory device that backs pmem. */
export function memoryArgs(spec: VmSpec): string[] {
  const extra = spec.backend === 'virtiofs' ? 0 : spec.pmemMiB;
  // NVDIMM and virtio-pmem live in the device-memory region, sized by maxmem minus RAM.
  return ['-m', extra > 0 ? `${spec.memoryMiB}M,slots=2,maxmem=${spec.memoryMiB + extra}M` : `${spec.memoryMiB}M`];
}

/** The serial console goes to a file: the boot log, panics and the readiness marker. */
export function serialArgs(spec: VmSpec): string[] {
  return ['-chardev', `file,id=ser0,path=${qemuOpt(spec.serialLog)}`, '-serial', 'chardev:ser0'];
}

/** A QMP socket in the run directory, for quit and other monitor commands. */
export function qmpArgs(spec: VmSpec): string[] {
  const sock = assertSocketPath('QMP socket', qmpSocketPath(spec.runDir));
  return ['-chardev', `socket,id=qmp0,path=${qemuOpt(sock)},server=on,wait=off`, '-mon', 'chardev=qmp0,mode=control'];
}

/** Direct kernel boot: no bootloader and no disk image. */
export function kernelArgs(spec: VmSpec): string[] {
  return ['-kernel', spec.kernelImage, '-append', kernelCmdline(spec)];
}

/** No default devices, no display, and exit instead of rebooting (a panic ends QEMU). */
export function baseArgs(): string[] {
  return ['-nodefaults', '-display', 'none', '-no-reboot'];
}

/** The backend's devices and helper processes. */
export function backendArgs(spec: VmSpec, caps: HostCaps): { args: string[]; helpers: QemuCommand['helpers'] } {
  switch (spec.backend) {
    case 'pmem':
      return { args: pmemArgs(spec), helpers: [] };
    case 'virtio-pmem':
      return { args: virtioPmemArgs(spec), helpers: [] };
    case 'virtiofs':
      return virtiofsArgs(spec, caps);
  }
}

/** The whole QEMU invocation for a VM. Throws DaxlabError on specs QEMU or the kernel could not carry. */
export function buildQemuCommand(spec: VmSpec, caps: HostCaps): QemuCommand {
  if (!caps.qemu) {
    throw new DaxlabError('HOST_MISSING', 'qemu-system-x86_64 was not found', ['apt-get install -y qemu-system-x86']);
  }
  checkSpec(spec);
  const accel = caps.kvm ? 'kvm' : 'tcg';
  const backend = backendArgs(spec, caps);
  return {
    accel,
    helpers: backend.helpers,
    argv: [
      caps.qemu.path,
      ...baseArgs(),
      ...machineArgs(spec, accel),
      ...memoryArgs(spec),
      ...kernelArgs(spec),
      ...rootShareArgs(),
      ...backend.args,
      ...netArgs(spec),
      ...serialArgs(spec),
      ...qmpArgs(spec),
    ],
  };
}

function checkSpec(spec: VmSpec): void {
  const bad: string[] = [];
  const posInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v <= 0) bad.push(`${name} must be a positive integer (got ${v})`);
  };
  posInt('cpus', spec.cpus);
  posInt('memoryMiB', spec.memoryMiB);
  if (spec.backend !== 'virtiofs') posInt('pmemMiB', spec.pmemMiB);
  if (!Number.isInteger(spec.sshPort) || spec.sshPort < 1 || spec.sshPort > 65535) {
    bad.push(`sshPort must be 1-65535 (got ${spec.sshPort})`);
  }
  for (const [name, p] of [['kernelImage', spec.kernelImage], ['serialLog', spec.serialLog], ['runDir', spec.runDir]] as const) {
    if (!path.posix.isAbsolute(p)) bad.push(`${name} must be an absolute path (got ${JSON.stringify(p)})`);
  }
  if (bad.length) throw new DaxlabError('USAGE', `invalid VM spec: ${bad.join('; ')}`, bad);
}
