// Fixed HostCaps and VmSpec for the argv snapshots.
import type { HostCaps } from '../../../src/host/types.js';
import type { VmSpec } from '../../../src/vm/types.js';

export function caps(over: Partial<HostCaps> = {}, dax = false): HostCaps {
  return {
    kvm: false,
    kvmReason: '/dev/kvm does not exist',
    qemu: { path: '/usr/bin/qemu-system-x86_64', version: '7.2.22', devices: ['nvdimm'], virtiofsDaxWindow: dax },
    virtiofsd: '/usr/lib/qemu/virtiofsd',
    tools: {},
    ...over,
  };
}

export function spec(over: Partial<VmSpec> = {}): VmSpec {
  return {
    kernelImage: '/cache/k/bzImage',
    cmdline: [],
    cpus: 2,
    memoryMiB: 1024,
    logBufKiB: 4096,
    backend: 'pmem',
    pmemFile: '/run/d/pmem.img',
    pmemMiB: 512,
    sshPort: 10022,
    serialLog: '/run/d/serial.log',
    init: '/opt/daxlab/guest-scripts/init.sh',
    runDir: '/run/d',
    ...over,
  };
}
