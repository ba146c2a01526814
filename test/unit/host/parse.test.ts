import { describe, expect, it } from 'vitest';
import { hasDeviceProperty, kvmVerdict, parseDeviceHelp, parseQemuVersion } from '../../../src/host/parse.js';

describe('QEMU help parsing', () => {
  it('reads the version', () => {
    expect(parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright')).toBe('7.2.22');
    expect(parseQemuVersion('QEMU emulator version 9.1\n')).toBe('9.1');
    expect(parseQemuVersion('garbage')).toBe('');
  });

  it('lists devices', () => {
    const out = [
      'Controller/Bridge/Hub devices:',
      'name "pcie-root-port", bus PCI, desc "..."',
      '',
      'Storage devices:',
      'name "nvdimm", desc "DIMM memory module"',
      'name "virtio-pmem-pci", bus PCI',
      'name "nvdimm", desc "again"',
    ].join('\n');
    expect(parseDeviceHelp(out)).toEqual(['nvdimm', 'pcie-root-port', 'virtio-pmem-pci']);
  });

  it('finds a device property', () => {
    const out = 'vhost-user-fs-pci options:\n  cache-size=<size>      -  (default: 0)\n  chardev=<str>\n';
    expect(hasDeviceProperty(out, 'cache-size')).toBe(true);
    expect(hasDeviceProperty('vhost-user-fs-pci options:\n  chardev=<str>\n', 'cache-size')).toBe(false);
  });
});

describe('kvmVerdict', () => {
  const amd = 'processor\t: 0\nflags\t\t: fpu vme svm lm\n';
  it('is usable when /dev/kvm opens and the CPU has vmx or svm', () => {
    expect(kvmVerdict('/dev/kvm', undefined, amd)).toBe('');
    expect(kvmVerdict('/dev/kvm', undefined, 'flags\t: fpu vmx\n')).toBe('');
    expect(kvmVerdict('/dev/kvm', undefined, undefined)).toBe('');
  });
  it('says why not', () => {
    expect(kvmVerdict('/dev/kvm', 'ENOENT', amd)).toBe('/dev/kvm does not exist');
    expect(kvmVerdict('/dev/kvm', 'EACCES', amd)).toMatch(/permission denied/);
    expect(kvmVerdict('/dev/kvm', 'EIO', amd)).toBe('/dev/kvm cannot be opened (EIO)');
    expect(kvmVerdict('/dev/kvm', undefined, 'flags\t: fpu sse2 lm hypervisor\n')).toMatch(/neither vmx nor svm/);
  });
});
