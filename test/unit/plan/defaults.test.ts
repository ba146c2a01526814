import { describe, expect, it } from 'vitest';
import { defaultConfigPaths, defaultLabel, defaultPlan } from '../../../src/plan/defaults.js';
import { parsePlanText } from '../../../src/plan/parse.js';
import { DEFAULT_CONFIGS, KNOWN, planCtx } from './fixtures.js';

describe('defaultPlan', () => {
  const plan = defaultPlan({ configsDir: '/repo/kernel-configs', knownWorkloads: KNOWN });

  it('is the Debian stock kernel on pmem, ext4 + xfs, every workload with defaults', () => {
    expect(plan).toEqual({
      name: 'default',
      file: '<default>',
      kernel: { source: { kind: 'debian', package: 'linux-source-6.12' }, patches: [], configs: DEFAULT_CONFIGS, label: 'stock' },
      kernels: [{ source: { kind: 'debian', package: 'linux-source-6.12' }, patches: [], configs: DEFAULT_CONFIGS, label: 'stock' }],
      targets: ['local'],
      backend: 'pmem',
      filesystems: ['ext4', 'xfs'],
      workloads: [
        { name: 'pin-race', params: { pin: ['pread', 'io_uring'], race: ['truncate'], index: [0] } },
        { name: 'idle', params: {} },
      ],
      repeats: 1,
      timeouts: { buildSec: 3600, bootSec: 180, caseSec: 120 },
      vm: { cpus: 2, memoryMiB: 1024, pmemMiB: 1024, pinMs: 500, logBufKiB: 4096, lanes: 4 },
      known: [],
      expectedSkips: [],
    });
  });

  it('matches an empty plan file apart from name and file', () => {
    const fromFile = parsePlanText('', '/plans/default.yaml', planCtx()).plan!;
    expect({ ...fromFile, file: '<default>' }).toEqual(plan);
  });

  it('does not alias the catalogue defaults', () => {
    plan.workloads[0]!.params['pin']!.push('vmsplice');
    expect(KNOWN['pin-race']!['pin']!.default).toEqual(['pread', 'io_uring']);
  });
});

describe('default helpers', () => {
  it('pmem and virtiofs share the default fragments (virtiofs among them); virtio-pmem adds its own last', () => {
    expect(defaultConfigPaths('virtiofs', '/c')).toEqual([
      '/c/base.config', '/c/pmem.config', '/c/nullblk.config', '/c/io_uring.config', '/c/watchdog.config', '/c/gup_test.config', '/c/virtiofs.config',
    ]);
    expect(defaultConfigPaths('pmem', '/c')).toEqual(defaultConfigPaths('virtiofs', '/c'));
    expect(defaultConfigPaths('virtio-pmem', '/c').at(-1)).toBe('/c/virtio-pmem.config');
    expect(defaultConfigPaths('pmem', '/c')).toHaveLength(7);
  });

  it('the label is stock without patches, else the plan name', () => {
    expect(defaultLabel('fix', 0)).toBe('stock');
    expect(defaultLabel('fix', 2)).toBe('fix');
  });
});
