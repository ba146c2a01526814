import { describe, expect, it } from 'vitest';
import { buildQemuCommand, machineArgs, memoryArgs } from '../../../src/vm/qemu-args.js';
import { DaxlabError } from '../../../src/errors.js';
import { caps, spec } from './fixtures.js';

const APPEND =
  'console=ttyS0 root=/dev/root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro ' +
  'init=/opt/daxlab/guest-scripts/init.sh ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off panic=-1 ' +
  'null_blk.nr_devices=0 log_buf_len=4096K printk.devkmsg=on daxlab.run=/run/d';

const TAIL = [
  '-netdev',
  'user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:10022-:22',
  '-device',
  'virtio-net-pci,netdev=net0,romfile=',
  '-chardev',
  'file,id=ser0,path=/run/d/serial.log',
  '-serial',
  'chardev:ser0',
  '-chardev',
  'socket,id=qmp0,path=/run/d/qmp.sock,server=on,wait=off',
  '-mon',
  'chardev=qmp0,mode=control',
];

const ROOT = [
  '-fsdev',
  'local,id=root,path=/,security_model=none,readonly=on,multidevs=remap',
  '-device',
  'virtio-9p-pci,fsdev=root,mount_tag=/dev/root',
];

describe('buildQemuCommand', () => {
  it('pmem under TCG', () => {
    const cmd = buildQemuCommand(spec(), caps());
    expect(cmd.accel).toBe('tcg');
    expect(cmd.helpers).toEqual([]);
    expect(cmd.argv).toEqual([
      '/usr/bin/qemu-system-x86_64',
      '-nodefaults',
      '-display',
      'none',
      '-no-reboot',
      '-machine',
      'q35,nvdimm=on',
      '-accel',
      'tcg',
      '-cpu',
      'max',
      '-smp',
      '2',
      '-m',
      '1024M,slots=2,maxmem=1536M',
      '-kernel',
      '/cache/k/bzImage',
      '-append',
      APPEND,
      ...ROOT,
      '-object',
      'memory-backend-file,id=pmem0,share=on,mem-path=/run/d/pmem.img,size=512M',
      '-device',
      'nvdimm,id=nvdimm0,memdev=pmem0,label-size=128K',
      ...TAIL,
    ]);
  });

  it('pmem under KVM uses -accel kvm and -cpu host', () => {
    const argv = buildQemuCommand(spec(), caps({ kvm: true, kvmReason: '' })).argv;
    expect(argv.slice(5, 13)).toEqual(['-machine', 'q35,nvdimm=on', '-accel', 'kvm', '-cpu', 'host', '-smp', '2']);
  });

  it('virtio-pmem', () => {
    const cmd = buildQemuCommand(spec({ backend: 'virtio-pmem' }), caps());
    expect(cmd.argv.slice(5, 7)).toEqual(['-machine', 'q35']);
    expect(cmd.argv.slice(19, 27)).toEqual([
      ...ROOT,
      '-object',
      'memory-backend-file,id=pmem0,share=on,mem-path=/run/d/pmem.img,size=512M',
      '-device',
      'virtio-pmem-pci,id=vpmem0,memdev=pmem0',
    ]);
  });

  it('virtiofs without a DAX window: no cache-size, virtiofsd helper', () => {
    const cmd = buildQemuCommand(
      spec({ backend: 'virtiofs', virtiofs: { socket: '/run/d/vfs.sock', dir: '/srv/share', cacheMiB: 256 } }),
      caps(),
    );
    expect(cmd.argv.slice(13, 15)).toEqual(['-m', '1024M']);
    expect(cmd.argv.slice(23, 31)).toEqual([
      '-object',
      'memory-backend-memfd,id=mem,size=1024M,share=on',
      '-numa',
      'node,memdev=mem',
      '-chardev',
      'socket,id=vfs0,path=/run/d/vfs.sock',
      '-device',
      'vhost-user-fs-pci,chardev=vfs0,tag=daxlab',
    ]);
    expect(cmd.helpers).toEqual([
      {
        name: 'virtiofsd',
        argv: ['/usr/lib/qemu/virtiofsd', '--socket-path=/run/d/vfs.sock', '-o', 'source=/srv/share', '-o', 'cache=always'],
      },
    ]);
  });

  it('virtiofs with a DAX window adds cache-size', () => {
    const cmd = buildQemuCommand(
      spec({ backend: 'virtiofs', virtiofs: { socket: '/run/d/vfs.sock', dir: '/srv/share', cacheMiB: 256 } }),
      caps({}, true),
    );
    expect(cmd.argv).toContain('vhost-user-fs-pci,chardev=vfs0,tag=daxlab,cache-size=256M');
  });

  it('virtiofs without virtiofsd is HOST_MISSING', () => {
    const s = spec({ backend: 'virtiofs', virtiofs: { socket: '/run/d/vfs.sock', dir: '/srv', cacheMiB: 1 } });
    expect(() => buildQemuCommand(s, caps({ virtiofsd: null }))).toThrow(/virtiofsd/);
  });

  it('doubles commas in option values', () => {
    const argv = buildQemuCommand(spec({ pmemFile: '/a,b/pmem', serialLog: '/x,y.log' }), caps()).argv;
    expect(argv).toContain('memory-backend-file,id=pmem0,share=on,mem-path=/a,,b/pmem,size=512M');
    expect(argv).toContain('file,id=ser0,path=/x,,y.log');
  });

  it('appends extra kernel words after daxlab’s', () => {
    const argv = buildQemuCommand(spec({ cmdline: ['loglevel=8', 'nokaslr'] }), caps()).argv;
    expect(argv[argv.indexOf('-append') + 1]).toBe(`${APPEND} loglevel=8 nokaslr`);
  });

  it('rejects a run directory with a space (it cannot go into -append)', () => {
    expect(() => buildQemuCommand(spec({ runDir: '/tmp/my run' }), caps())).toThrow(DaxlabError);
  });

  it('rejects extra kernel words with whitespace', () => {
    expect(() => buildQemuCommand(spec({ cmdline: ['a b'] }), caps())).toThrow(/whitespace/);
  });

  it('rejects bad numbers and relative paths, all at once', () => {
    try {
      buildQemuCommand(spec({ cpus: 0, sshPort: 70000, kernelImage: 'bzImage' }), caps());
      expect.unreachable();
    } catch (e) {
      expect((e as DaxlabError).code).toBe('USAGE');
      expect((e as DaxlabError).detail).toHaveLength(3);
    }
  });

  it('rejects a QMP socket path longer than a unix address', () => {
    expect(() => buildQemuCommand(spec({ runDir: `/${'r'.repeat(110)}` }), caps())).toThrow(/unix socket/);
  });

  it('is HOST_MISSING without QEMU', () => {
    expect(() => buildQemuCommand(spec(), caps({ qemu: null }))).toThrow(/not found/);
  });
});

describe('small builders', () => {
  it('machineArgs', () => {
    expect(machineArgs(spec({ backend: 'virtiofs', cpus: 4 }), 'tcg')).toEqual([
      '-machine', 'q35', '-accel', 'tcg', '-cpu', 'max', '-smp', '4',
    ]);
  });
  it('memoryArgs', () => {
    expect(memoryArgs(spec({ backend: 'virtio-pmem', memoryMiB: 2048, pmemMiB: 1024 }))).toEqual([
      '-m', '2048M,slots=2,maxmem=3072M',
    ]);
  });
});
