import { describe, expect, it } from 'vitest';
import { parseRemoteProbe, probeSections, remoteMissing } from '../../../src/targets/remote/remote-caps.js';
import { helperFacts } from '../../../src/targets/remote/remote-vm.js';
import { stageEntries } from '../../../src/targets/remote/upload.js';
import { isGuestScript } from '../../../src/targets/kvm-host.js';

const PROBE = [
  '== qemu-path', '/usr/bin/qemu-system-x86_64',
  '== qemu-version', 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)',
  '== device-help', 'name "nvdimm", desc "DIMM memory module"', 'name "virtio-pmem-pci", bus PCI',
  '== vfs-help', 'vhost-user-fs-pci options:', '  chardev=<str>',
  '== kvm-open', 'ENOENT',
  '== cpu-flags', 'flags\t\t: fpu vme de pse',
  '== virtiofsd', '/usr/lib/qemu/virtiofsd',
  '== tools', 'bash /usr/bin/bash', 'sshd /usr/sbin/sshd', 'ndctl ', 'mkfs.ext4 /usr/sbin/mkfs.ext4', 'mkfs.xfs /usr/sbin/mkfs.xfs',
  'flock /usr/bin/flock', 'setsid /usr/bin/setsid', 'truncate /usr/bin/truncate', 'tail /usr/bin/tail', 'fio ', '',
].join('\n');


describe('remote host probe', () => {
  it('splits the probe into sections', () => {
    expect([...probeSections(PROBE).keys()]).toEqual(['qemu-path', 'qemu-version', 'device-help', 'vfs-help', 'kvm-open', 'cpu-flags', 'virtiofsd', 'tools']);
  });

  it('gives the same HostCaps the local probe gives', () => {
    const caps = parseRemoteProbe(PROBE);
    expect(caps.kvm).toBe(false);
    expect(caps.kvmReason).toBe('/dev/kvm does not exist');
    expect(caps.qemu).toEqual({ path: '/usr/bin/qemu-system-x86_64', version: '7.2.22', devices: ['nvdimm', 'virtio-pmem-pci'], virtiofsDaxWindow: false });
    expect(caps.virtiofsd).toBe('/usr/lib/qemu/virtiofsd');
    expect(caps.tools.ndctl).toBeNull();
    expect(caps.tools.sshd).toBe('/usr/sbin/sshd');
  });

  it('KVM is usable only when /dev/kvm opens and the CPU has vmx or svm', () => {
    const ok = PROBE.replace('ENOENT', 'ok').replace('fpu vme', 'fpu vmx');
    expect(parseRemoteProbe(ok).kvm).toBe(true);
    expect(parseRemoteProbe(PROBE.replace('ENOENT', 'ok')).kvmReason).toMatch(/neither vmx nor svm/);
    expect(parseRemoteProbe(PROBE.replace('ENOENT', 'EACCES')).kvmReason).toMatch(/permission denied/);
  });

  it('names what the host lacks with its package; fio is optional', () => {
    expect(remoteMissing('pmem', parseRemoteProbe(PROBE))).toEqual([{ tool: 'ndctl', pkg: 'ndctl' }]);
    const noQemu = parseRemoteProbe(PROBE.replace('/usr/bin/qemu-system-x86_64\n', '\n'));
    expect(noQemu.qemu).toBeNull();
    expect(remoteMissing('pmem', noQemu)[0]).toEqual({ tool: 'qemu-system-x86_64', pkg: 'qemu-system-x86' });
    const noPmem = parseRemoteProbe(PROBE.replace('name "virtio-pmem-pci", bus PCI', ''));
    expect(remoteMissing('virtio-pmem', noPmem)).toContainEqual({ tool: 'QEMU device virtio-pmem-pci', pkg: 'qemu-system-x86' });
  });
});

describe('remote QEMU helper', () => {
  it('reads the QEMU pid and how it ended from the helper\'s stderr; a status above 128 is a signal', () => {
    expect(helperFacts('daxlab-remote: qemu-pid 4242\n')).toEqual({ pid: 4242 });
    expect(helperFacts('daxlab-remote: qemu-pid 4242\ndaxlab-remote: qemu-exit 0\n')).toEqual({ pid: 4242, end: { code: 0, signal: null } });
    expect(helperFacts('daxlab-remote: qemu-exit 1\n').end).toEqual({ code: 1, signal: null });
    expect(helperFacts('daxlab-remote: qemu-exit 137\n').end).toEqual({ code: null, signal: 'SIGKILL' });
    expect(helperFacts('daxlab-remote: stdin-closed\n')).toEqual({});
  });

  it('stages only files that go into the run dir, as HASH:MODE:PATH', () => {
    const h = 'a'.repeat(64);
    expect(stageEntries([{ local: '/k/bzImage', path: '', mode: '644', hash: h }, { local: '/b/pinrace', path: 'bin/pinrace', mode: '755', hash: h }])).toEqual([`${h}:755:bin/pinrace`]);
  });

  it('ships the guest scripts and init\'s fstab files, not the C sources', () => {
    expect(['init.sh', 'init-fstab-sys', 'init-fstab-tmpfs', 'pinrace.c', 'racers.h', 'setup-pmem.sh'].filter(isGuestScript)).toEqual(['init.sh', 'init-fstab-sys', 'init-fstab-tmpfs', 'setup-pmem.sh']);
  });
});
