// Pure: the VmSpec of one boot of a plan. pmem and virtio-pmem get a sparse backing file in the run
// dir; virtiofs gets a shared directory and a vhost-user socket there, and a DAX window of vm.pmem MiB.
import { join } from 'node:path';
import type { Plan } from '../plan/types.js';
import type { VmSpec } from '../vm/types.js';

/** Names inside a boot's run dir (removed with it). */
export const RUN_DIR_FILES = { pmem: 'pmem.img', share: 'share', socket: 'virtiofsd.sock' } as const;

/** What a boot knows besides the plan. */
export interface BootPaths {
  image: string;
  cmdline: string[];
  serialLog: string;
  init: string;
  runDir: string;
}

/** The spec of one boot (sshPort 0: launchVm picks a free port). */
export function vmSpecFor(plan: Pick<Plan, 'backend' | 'vm'>, p: BootPaths): VmSpec {
  const spec: VmSpec = {
    kernelImage: p.image,
    cmdline: p.cmdline,
    cpus: plan.vm.cpus,
    memoryMiB: plan.vm.memoryMiB,
    logBufKiB: plan.vm.logBufKiB,
    backend: plan.backend,
    pmemFile: join(p.runDir, RUN_DIR_FILES.pmem),
    pmemMiB: plan.vm.pmemMiB,
    sshPort: 0,
    serialLog: p.serialLog,
    init: p.init,
    runDir: p.runDir,
  };
  if (plan.backend !== 'virtiofs') return spec;
  // No backing file: the host directory is the storage, and vm.pmem sizes the DAX window instead.
  return {
    ...spec,
    pmemFile: '',
    virtiofs: { socket: join(p.runDir, RUN_DIR_FILES.socket), dir: join(p.runDir, RUN_DIR_FILES.share), cacheMiB: plan.vm.pmemMiB },
  };
}
