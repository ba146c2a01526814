import { describe, expect, it } from 'vitest';
import { parsePlanText } from '../../../src/plan/parse.js';
import { DEFAULT_CONFIGS, parseLines, planCtx } from './fixtures.js';

describe('parsePlanText: a full valid plan', () => {
  const { plan, issues } = parseLines(
    'name: my-series',
    'kernel:',
    '  source: debian',
    '  patches: [a.patch, b.mbox, sub/c.patch]',
    '  configs: [base, kasan, extra.config]',
    '  label: seed-bug',
    'backend: virtio-pmem',
    'filesystems: [xfs]',
    'workloads:',
    '  - idle',
    '  - name: pin-race',
    '    params: { pin: [pread, io_uring], race: punch, index: [0, 5] }',
    'repeats: 3',
    'timeouts: { build: 100, boot: 20, case: 7 }',
    'vm: { cpus: 4, memory: 2048, pmem: 512, pinMs: 250, logBuf: 8192, qemu: ./qemu-wrapper, virtiofsd: virtiofsd }',
  );

  it('has no issues', () => {
    expect(issues).toEqual([]);
  });

  it('keeps every field, resolving paths from the plan directory', () => {
    expect(plan).toEqual({
      name: 'my-series',
      file: '/plans/plan.yaml',
      kernel: {
        source: { kind: 'debian', package: 'linux-source-6.12' },
        patches: ['/plans/a.patch', '/plans/b.mbox', '/plans/sub/c.patch'],
        configs: ['/repo/kernel-configs/base.config', '/repo/kernel-configs/kasan.config', '/plans/extra.config'],
        label: 'seed-bug',
      },
      kernels: [expect.objectContaining({ label: 'seed-bug' })],
      targets: ['local'],
      backend: 'virtio-pmem',
      filesystems: ['xfs'],
      workloads: [
        { name: 'idle', params: {} },
        { name: 'pin-race', params: { pin: ['pread', 'io_uring'], race: ['punch'], index: [0, 5] } },
      ],
      repeats: 3,
      timeouts: { buildSec: 100, bootSec: 20, caseSec: 7 },
      vm: { cpus: 4, memoryMiB: 2048, pmemMiB: 512, pinMs: 250, logBufKiB: 8192, lanes: 4, qemu: '/plans/qemu-wrapper', virtiofsd: 'virtiofsd' },
      known: [],
      expectedSkips: [],
    });
  });
});

describe('parsePlanText: defaults', () => {
  it('an empty file is the all-defaults plan named after the file', () => {
    const { plan, issues } = parsePlanText('', '/plans/nightly.yml', planCtx());
    expect(issues).toEqual([]);
    expect(plan).toEqual({
      name: 'nightly',
      file: '/plans/nightly.yml',
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

  it('a comment-only file is also all defaults', () => {
    expect(parseLines('# nothing here').plan?.name).toBe('plan');
  });

  it('null values mean "use the default"', () => {
    const { plan, issues } = parseLines('name:', 'kernel:', 'workloads:', 'vm:', 'timeouts:', 'filesystems:');
    expect(issues).toEqual([]);
    expect(plan?.name).toBe('plan');
    expect(plan?.workloads.map((w) => w.name)).toEqual(['pin-race', 'idle']);
  });

  it('the label defaults to the plan name when there are patches', () => {
    expect(parseLines('name: fix', 'kernel: { patches: [a.patch] }').plan?.kernel.label).toBe('fix');
    expect(parseLines('kernel: { patches: [a.patch] }').plan?.kernel.label).toBe('plan');
  });

  it('the label is "stock" with no patches', () => {
    expect(parseLines('name: fix', 'kernel: { patches: [] }').plan?.kernel.label).toBe('stock');
  });

  it('the virtiofs backend uses the default configs, the same kernel as pmem', () => {
    expect(parseLines('backend: virtiofs').plan?.kernel.configs).toEqual(DEFAULT_CONFIGS);
  });

  it('explicit configs replace the defaults, even with virtiofs', () => {
    expect(parseLines('backend: virtiofs', 'kernel: { configs: [base] }').plan?.kernel.configs).toEqual([
      '/repo/kernel-configs/base.config',
    ]);
  });

  it('partial timeouts and vm keep the other defaults', () => {
    const { plan } = parseLines('timeouts: { case: 9 }', 'vm: { pinMs: 1 }');
    expect(plan?.timeouts).toEqual({ buildSec: 3600, bootSec: 180, caseSec: 9 });
    expect(plan?.vm).toEqual({ cpus: 2, memoryMiB: 1024, pmemMiB: 1024, pinMs: 1, logBufKiB: 4096, lanes: 4 });
  });

  it('a workload entry without params gets all default params', () => {
    const { plan } = parseLines('workloads:', '  - name: pin-race');
    expect(plan?.workloads).toEqual([{ name: 'pin-race', params: { pin: ['pread', 'io_uring'], race: ['truncate'], index: [0] } }]);
  });

  it('params left out keep their defaults; a scalar is a one-element list', () => {
    const { plan } = parseLines('workloads:', '  - { name: pin-race, params: { index: 3 } }');
    expect(plan?.workloads[0]?.params).toEqual({ pin: ['pread', 'io_uring'], race: ['truncate'], index: [3] });
  });

  it('lone scalars are one-element lists for patches, configs, filesystems and workloads', () => {
    const { plan, issues } = parseLines('kernel: { patches: a.patch, configs: base }', 'filesystems: xfs', 'workloads: idle');
    expect(issues).toEqual([]);
    expect(plan?.kernel.patches).toEqual(['/plans/a.patch']);
    expect(plan?.kernel.configs).toEqual(['/repo/kernel-configs/base.config']);
    expect(plan?.filesystems).toEqual(['xfs']);
    expect(plan?.workloads).toEqual([{ name: 'idle', params: {} }]);
  });

  it('does not share default arrays between plans', () => {
    const a = parseLines('').plan!;
    a.workloads[0]!.params['pin']!.push('vmsplice');
    const b = parseLines('').plan!;
    expect(b.workloads[0]!.params['pin']).toEqual(['pread', 'io_uring']);
  });

  it('anchors and aliases resolve', () => {
    const { plan, issues } = parseLines('workloads:', '  - &w idle', '  - *w');
    expect(issues).toEqual([]);
    expect(plan?.workloads.map((w) => w.name)).toEqual(['idle', 'idle']);
  });
});

describe('parsePlanText: data stays data', () => {
  it('keeps shell metacharacters in the name verbatim, and refuses them in a label (labels name files)', () => {
    const { plan, issues } = parseLines("name: 'a;b && c'", "kernel: { label: 'v2.1+fix' }");
    expect(issues).toEqual([]);
    expect(plan?.name).toBe('a;b && c');
    expect(plan?.kernel.label).toBe('v2.1+fix');
    expect(parseLines("kernel: { label: '$(reboot)' }").issues.map((i) => `${i.field}: ${i.message}`))
      .toEqual(["kernel.label: expected letters, digits and . _ + - (at most 64), got '$(reboot)'"]);
  });

  it('keeps metacharacters in paths verbatim (and checks them as plain paths)', () => {
    const weird = '/plans/`touch x`;$HOME.patch';
    const { plan } = parsePlanText("kernel: { patches: ['`touch x`;$HOME.patch'] }\n", '/plans/p.yaml', {
      ...planCtx(),
      fileExists: (p) => p === weird,
    });
    expect(plan?.kernel.patches).toEqual([weird]);
  });

  it('keeps a backticked git ref verbatim', () => {
    const { plan } = parseLines('kernel: { source: { git: /src/linux, ref: "v6.12`id`" } }');
    expect(plan?.kernel.source).toEqual({ kind: 'git', repo: '/src/linux', ref: 'v6.12`id`' });
  });
});

describe('parsePlanText: several kernels and targets', () => {
  it('reads kernels: with distinct labels, and targets:', () => {
    const { plan, issues } = parseLines(
      'kernels:',
      '  - { label: stock }',
      '  - { label: thp, configs: [base, kasan] }',
      'targets: [local, kvm1]',
    );
    expect(issues).toEqual([]);
    expect(plan?.kernels.map((k) => k.label)).toEqual(['stock', 'thp']);
    expect(plan?.kernel.label).toBe('stock');
    expect(plan?.kernels[1]!.configs).toEqual(['/repo/kernel-configs/base.config', '/repo/kernel-configs/kasan.config']);
    expect(plan?.targets).toEqual(['local', 'kvm1']);
  });

  it('names the line and field of a duplicate label, both kernel and kernels, a bad target', () => {
    const dup = parseLines('kernels:', '  - { label: a }', '  - { label: a }');
    expect(dup.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      "3: kernels[1].label: duplicate kernel label 'a': give each kernel its own label",
    ]);
    const both = parseLines('kernel: {}', 'kernels: [{}]');
    expect(both.issues.map((i) => `${i.line}: ${i.field}`)).toEqual(['2: kernels']);
    const bad = parseLines('targets: [local, "a b", local]');
    expect(bad.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
      "targets[1]: expected a target name (letters, digits, . _ -), got 'a b'",
      "targets[2]: duplicate target 'local'",
    ]);
    expect(parseLines('kernels:', '  - { patches: [nope.patch] }').issues[0]).toMatchObject({ line: 2, field: 'kernels[0].patches[0]' });
  });
});
