// Pure argument builders for the guest's devices: pmem backends, virtio-fs, root share, network.
import { DaxlabError } from '../errors.js';
import type { HostCaps } from '../host/types.js';
import type { QemuCommand, VmSpec } from './types.js';
import { assertSocketPath, qemuOpt } from './escape.js';

/** Mount tag of the virtio-fs share in the guest. */
export const VIRTIOFS_TAG = 'daxlab';

/** pmem backend: a file-backed NVDIMM with a label area, so ndctl can create fsdax namespaces. */
export function pmemArgs(spec: VmSpec): string[] {
  return [
    // share=on: guest stores reach the backing file, as on real persistent memory.
    '-object', `memory-backend-file,id=pmem0,share=on,mem-path=${qemuOpt(spec.pmemFile)},size=${spec.pmemMiB}M`,
    // label-size: without a label area ndctl can only see one raw (page-less) namespace.
    '-device', 'nvdimm,id=nvdimm0,memdev=pmem0,label-size=128K',
  ];
}

/** virtio-pmem backend: the same backing file, exposed as a virtio device instead of ACPI NFIT. */
export function virtioPmemArgs(spec: VmSpec): string[] {
  return [
    // share=on: guest flushes must land in the file the host sees.
    '-object', `memory-backend-file,id=pmem0,share=on,mem-path=${qemuOpt(spec.pmemFile)},size=${spec.pmemMiB}M`,
    '-device', 'virtio-pmem-pci,id=vpmem0,memdev=pmem0',
  ];
}

/** virtio-fs backend: shared guest RAM, a vhost-user socket, and virtiofsd as a helper that must start first. */
export function virtiofsArgs(spec: VmSpec, caps: HostCaps): { args: string[]; helpers: QemuCommand['helpers'] } {
  const vfs = spec.virtiofs;
  if (!vfs) throw new DaxlabError('USAGE', 'the virtiofs backend needs spec.virtiofs (socket, dir, cacheMiB)');
  if (!caps.virtiofsd) {
    throw new DaxlabError('HOST_MISSING', 'the virtiofs backend needs virtiofsd, which was not found', [
      'apt-get install -y virtiofsd',
    ]);
  }
  if (vfs.dir.includes(',')) throw new DaxlabError('USAGE', `virtiofs directory must not contain a comma: ${vfs.dir}`);
  assertSocketPath('virtiofs socket', vfs.socket);
  const device = `vhost-user-fs-pci,chardev=vfs0,tag=${VIRTIOFS_TAG}`;
  return {
    args: [
      // vhost-user needs all guest RAM shareable with virtiofsd: a memfd backend bound to a NUMA node.
      '-object', `memory-backend-memfd,id=mem,size=${spec.memoryMiB}M,share=on`,
      '-numa', 'node,memdev=mem',
      '-chardev', `socket,id=vfs0,path=${qemuOpt(vfs.socket)}`,
      // cache-size (the DAX window) only where this QEMU has the property; otherwise QEMU refuses to start.
      '-device', caps.qemu?.virtiofsDaxWindow ? `${device},cache-size=${vfs.cacheMiB}M` : device,
    ],
    helpers: [
      {
        name: 'virtiofsd',
        argv: [caps.virtiofsd, `--socket-path=${vfs.socket}`, '-o', `source=${vfs.dir}`, '-o', 'cache=always'],
      },
    ],
  };
}

/** The host root, read-only over 9p: the guest runs the host's binaries without a disk image. */
export function rootShareArgs(): string[] {
  return [
    // -virtfs cannot use mount_tag=/dev/root ("duplicate or invalid fsdev id"); -fsdev plus -device can.
    // multidevs=remap keeps inode numbers unique across the host's mounts.
    '-fsdev', 'local,id=root,path=/,security_model=none,readonly=on,multidevs=remap',
    '-device', 'virtio-9p-pci,fsdev=root,mount_tag=/dev/root',
  ];
}

/**
 * User networking with sshd forwarded to 127.0.0.1 only, so nothing off the host can reach the guest;
 * restrict=on cuts the guest off from the host and the outside (it needs neither: everything comes
 * over the 9p root share), while the explicit SSH forward keeps working.
 */
export function netArgs(spec: VmSpec): string[] {
  return [
    '-netdev', `user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`,
    // romfile= (empty) skips the iPXE option ROM, about 0.9 s under TCG.
    '-device', 'virtio-net-pci,netdev=net0,romfile=',
  ];
}
