import { describe, expect, it } from 'vitest';
import { CONFIGS_DIR } from '../../../src/cli/paths.js';
import type { HostCaps } from '../../../src/host/types.js';
import { defaultPlan } from '../../../src/plan/defaults.js';
import type { BackendName } from '../../../src/plan/types.js';
import { unsupportedBackend } from '../../../src/run/host-check.js';

const caps = (daxWindow: boolean): HostCaps => ({
  kvm: false,
  kvmReason: 'no /dev/kvm',
  qemu: { path: '/usr/bin/qemu-system-x86_64', version: '7.2.22', devices: ['nvdimm'], virtiofsDaxWindow: daxWindow },
  virtiofsd: '/usr/libexec/virtiofsd',
  tools: {},
});
const plan = (backend: BackendName) => ({ ...defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: {} }), backend });

describe('unsupportedBackend', () => {
  it('skips virtiofs when QEMU has no DAX window, naming the QEMU version', () => {
    expect(unsupportedBackend(plan('virtiofs'), caps(false))).toBe(
      'QEMU 7.2.22 has no virtio-fs DAX window (vhost-user-fs-pci has no cache-size property)',
    );
  });

  it('allows virtiofs with a DAX window and the pmem backends always', () => {
    expect(unsupportedBackend(plan('virtiofs'), caps(true))).toBeNull();
    expect(unsupportedBackend(plan('pmem'), caps(false))).toBeNull();
    expect(unsupportedBackend(plan('virtio-pmem'), caps(false))).toBeNull();
  });
});
