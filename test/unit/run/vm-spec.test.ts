// The spec of one boot: pmem backends as before; virtiofs with its share, socket and DAX window in the run dir.
import { describe, expect, it } from 'vitest';
import { defaultPlan } from '../../../src/plan/defaults.js';
import type { Plan } from '../../../src/plan/types.js';
import { vmSpecFor } from '../../../src/run/vm-spec.js';
import { buildQemuCommand } from '../../../src/vm/qemu-args.js';
import { planCtx } from '../plan/fixtures.js';
import { caps } from '../vm/fixtures.js';

const PATHS = { image: '/cache/k/bzImage', cmdline: ['quiet'], serialLog: '/res/serial.log', init: '/repo/guest-scripts/init.sh', runDir: '/tmp/daxlab-run-ab12' };
const plan = (backend: Plan['backend'], pmemMiB = 1024): Plan => {
  const p = defaultPlan(planCtx());
  return { ...p, backend, vm: { ...p.vm, pmemMiB } };
};

describe('vmSpecFor', () => {
  it('pmem and virtio-pmem: a backing file of vm.pmem MiB in the run dir, no virtio-fs', () => {
    for (const backend of ['pmem', 'virtio-pmem'] as const) {
      expect(vmSpecFor(plan(backend, 512), PATHS)).toEqual({
        kernelImage: '/cache/k/bzImage', cmdline: ['quiet'], cpus: 2, memoryMiB: 1024, logBufKiB: 4096, backend,
        pmemFile: '/tmp/daxlab-run-ab12/pmem.img', pmemMiB: 512, sshPort: 0, serialLog: '/res/serial.log',
        init: '/repo/guest-scripts/init.sh', runDir: '/tmp/daxlab-run-ab12',
      });
    }
  });

  it('virtiofs: no backing file; the share and socket in the run dir; vm.pmem is the DAX window', () => {
    const s = vmSpecFor(plan('virtiofs', 256), PATHS);
    expect(s.pmemFile).toBe('');
    expect(s.virtiofs).toEqual({ socket: '/tmp/daxlab-run-ab12/virtiofsd.sock', dir: '/tmp/daxlab-run-ab12/share', cacheMiB: 256 });
  });

  it('virtiofs on a QEMU with a DAX window: virtiofsd serves the share, QEMU gets cache-size', () => {
    const cmd = buildQemuCommand({ ...vmSpecFor(plan('virtiofs', 256), PATHS), sshPort: 10022 }, caps({}, true));
    expect(cmd.helpers).toEqual([{
      name: 'virtiofsd',
      argv: ['/usr/lib/qemu/virtiofsd', '--socket-path=/tmp/daxlab-run-ab12/virtiofsd.sock', '-o', 'source=/tmp/daxlab-run-ab12/share', '-o', 'cache=always'],
    }]);
    const dev = cmd.argv[cmd.argv.indexOf('vhost-user-fs-pci,chardev=vfs0,tag=daxlab,cache-size=256M') - 1];
    expect(dev).toBe('-device');
    expect(cmd.argv).toContain('socket,id=vfs0,path=/tmp/daxlab-run-ab12/virtiofsd.sock');
    expect(cmd.argv).not.toContain('nvdimm,id=nvdimm0,memdev=pmem0,label-size=128K');
    expect(cmd.argv.join(' ')).not.toContain('pmem.img');
  });

  it('virtiofs without a DAX window: no cache-size (runs skip before this; the VM test boots it directly)', () => {
    const cmd = buildQemuCommand({ ...vmSpecFor(plan('virtiofs'), PATHS), sshPort: 10022 }, caps());
    expect(cmd.argv).toContain('vhost-user-fs-pci,chardev=vfs0,tag=daxlab');
  });
});
