import { describe, expect, it } from 'vitest';
import { doctorReport } from '../../../src/host/doctor.js';
import { installCommand, packageFor } from '../../../src/host/packages.js';
import type { HostCaps } from '../../../src/host/types.js';

const base: HostCaps = {
  kvm: false,
  kvmReason: '/dev/kvm does not exist',
  qemu: {
    path: '/usr/bin/qemu-system-x86_64',
    version: '7.2.22',
    devices: ['nvdimm', 'virtio-pmem-pci', 'vhost-user-fs-pci', 'virtio-9p-pci', 'virtio-net-pci'],
    virtiofsDaxWindow: false,
  },
  virtiofsd: '/usr/lib/qemu/virtiofsd',
  tools: { ndctl: '/usr/bin/ndctl', 'mkfs.xfs': null, sshd: null },
};

describe('doctorReport', () => {
  it('describes the host and lists fixes', () => {
    const r = doctorReport(base);
    expect(r.lines).toEqual([
      'KVM: not usable (/dev/kvm does not exist): QEMU will use TCG (software emulation, roughly 10x slower)',
      'QEMU: /usr/bin/qemu-system-x86_64 version 7.2.22, 5 devices',
      'virtio-fs DAX window: not available (vhost-user-fs-pci has no cache-size property); virtiofs DAX cases will be skipped',
      'virtiofsd: /usr/lib/qemu/virtiofsd',
      'mkfs.xfs: missing',
      'ndctl: /usr/bin/ndctl',
      'sshd: missing',
    ]);
    expect(r.missing).toEqual([
      { tool: 'mkfs.xfs', pkg: 'xfsprogs', fix: 'apt-get install -y xfsprogs' },
      { tool: 'sshd', pkg: 'openssh-server', fix: 'apt-get install -y openssh-server' },
    ]);
  });

  it('reports a missing QEMU and missing devices', () => {
    expect(doctorReport({ ...base, qemu: null, tools: {} }).missing).toEqual([
      { tool: 'qemu-system-x86_64', pkg: 'qemu-system-x86', fix: 'apt-get install -y qemu-system-x86' },
    ]);
    const noDev = doctorReport({ ...base, qemu: { ...base.qemu!, devices: ['nvdimm'] } });
    expect(noDev.lines).toContain('QEMU device virtio-pmem-pci: missing');
  });

  it('says when KVM is usable', () => {
    expect(doctorReport({ ...base, kvm: true, kvmReason: '' }).lines[0]).toMatch(/^KVM: usable/);
  });
});

describe('packages', () => {
  it('maps tools to Debian packages', () => {
    expect(packageFor('qemu-system-x86_64')).toBe('qemu-system-x86');
    expect(packageFor('gcc')).toBe('build-essential');
    expect(packageFor('libelf')).toBe('libelf-dev');
    expect(packageFor('liburing')).toBe('liburing-dev');
    expect(packageFor('mkfs.ext4')).toBe('e2fsprogs');
    expect(packageFor('nope')).toBeUndefined();
    expect(installCommand(['flex', 'bc', 'flex'])).toBe('apt-get install -y bc flex');
  });
});
