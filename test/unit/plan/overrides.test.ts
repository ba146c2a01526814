import { describe, expect, it } from 'vitest';
import { defaultPlan } from '../../../src/plan/defaults.js';
import { applyOverrides, type PlanOverrides } from '../../../src/plan/overrides.js';
import type { Plan } from '../../../src/plan/types.js';
import { DEFAULT_CONFIGS, parseLines, planCtx } from './fixtures.js';

const cliCtx = planCtx({ baseDir: '/cwd' });
const base = (): Plan => defaultPlan(cliCtx);
const apply = (o: PlanOverrides, plan: Plan = base()) => applyOverrides(plan, o, cliCtx);
const cli = (field: string, message: string) => ({ file: '<command line>', line: 0, field, message });

describe('applyOverrides', () => {
  it('no flags leave the plan as it was', () => {
    expect(apply({})).toEqual({ plan: base(), issues: [] });
  });

  it('does not mutate the input plan', () => {
    const plan = base();
    const before = structuredClone(plan);
    apply({ patches: ['d.patch'], configs: ['kasan'], filesystems: ['xfs'], repeats: 2, backend: 'virtiofs' }, plan);
    expect(plan).toEqual(before);
  });

  it('--source DIR is a dir source resolved from the cwd; with --ref a git source', () => {
    expect(apply({ source: 'tree' }).plan?.kernel.source).toEqual({ kind: 'dir', path: '/cwd/tree' });
    expect(apply({ source: '/src/linux', gitRef: 'v6.12' }).plan?.kernel.source).toEqual({
      kind: 'git',
      repo: '/src/linux',
      ref: 'v6.12',
    });
  });

  it('--ref alone changes a git plan ref, or turns a dir source into git', () => {
    const git = parseLines('kernel: { source: { git: /src/linux, ref: v1 } }').plan!;
    expect(apply({ gitRef: 'v2' }, git).plan?.kernel.source).toEqual({ kind: 'git', repo: '/src/linux', ref: 'v2' });
    const dir = parseLines('kernel: { source: { path: /src/linux } }').plan!;
    expect(apply({ gitRef: 'v2' }, dir).plan?.kernel.source).toEqual({ kind: 'git', repo: '/src/linux', ref: 'v2' });
  });

  it('--ref with a Debian source is an error', () => {
    expect(apply({ gitRef: 'v2' })).toEqual({ issues: [cli('--ref', '--ref needs --source DIR or a git source in the plan')] });
  });

  it('reports a bad git ref and a missing source dir', () => {
    expect(apply({ source: 'nowhere', gitRef: '-x' }).issues).toEqual([
      cli('--ref', "git ref '-x' must not start with '-'"),
      cli('--source', 'source directory not found: /cwd/nowhere'),
    ]);
    expect(apply({ source: '' }).issues).toEqual([cli('--source', 'source directory not found: /cwd')]);
    expect(apply({ source: 'tree', gitRef: '' }).issues).toEqual([cli('--ref', 'expected a non-empty git ref')]);
  });

  it('--debian picks another Debian source package; a stock label names its version', () => {
    const out = apply({ debian: 'linux-source-6.1' }).plan!;
    expect(out.kernel.source).toEqual({ kind: 'debian', package: 'linux-source-6.1' });
    expect(out.kernel.label).toBe('stock-6.1');
    expect(apply({ debian: 'linux-source-6.1', label: 'deb61' }).plan?.kernel.label).toBe('deb61');
    const named = parseLines('name: fix', 'kernel: { patches: [a.patch] }').plan!;
    expect(apply({ debian: 'linux-source-6.1' }, named).plan?.kernel.label).toBe('fix');
  });

  it('--debian rejects a bad package name and --source or --ref beside it', () => {
    expect(apply({ debian: 'Linux Source' }).issues).toEqual([cli('--debian', "'Linux Source' is not a valid Debian package name")]);
    expect(apply({ debian: '' }).issues).toEqual([cli('--debian', 'expected a Debian package name such as linux-source-6.1')]);
    expect(apply({ debian: 'linux-source-6.1', source: 'tree' }).issues).toEqual([cli('--debian', '--debian cannot be combined with --source or --ref')]);
  });

  it('--patch appends after the plan patches, resolved from the cwd', () => {
    const plan = parseLines('name: fix', 'kernel: { patches: [a.patch] }').plan!;
    const out = apply({ patches: ['d.patch', '/plans/b.mbox'] }, plan).plan!;
    expect(out.kernel.patches).toEqual(['/plans/a.patch', '/cwd/d.patch', '/plans/b.mbox']);
    expect(out.kernel.label).toBe('fix');
  });

  it('reports every missing --patch', () => {
    expect(apply({ patches: ['x.patch', 'd.patch', 'y.patch'] }).issues).toEqual([
      cli('--patch', 'patch file not found: /cwd/x.patch'),
      cli('--patch', 'patch file not found: /cwd/y.patch'),
    ]);
  });

  it('a stock plan given patches is labelled: the plan name, or "patched" for the built-in plan', () => {
    expect(apply({ patches: ['d.patch'] }).plan?.kernel.label).toBe('patched');
    expect(apply({ patches: ['d.patch'] }, parseLines('name: series').plan!).plan?.kernel.label).toBe('series');
    expect(apply({ patches: ['d.patch'] }, parseLines('kernel: { label: mine }').plan!).plan?.kernel.label).toBe('mine');
  });

  it('--label wins, and keeps metacharacters verbatim', () => {
    expect(apply({ patches: ['d.patch'], label: '$(reboot); `x`' }).plan?.kernel.label).toBe('$(reboot); `x`');
    expect(apply({ label: '' }).issues).toEqual([cli('--label', 'expected a non-empty string')]);
  });

  it('--config appends to the plan configs; bare names resolve in kernel-configs/, paths from the cwd', () => {
    expect(apply({ configs: ['kasan', 'local.config'] }).plan?.kernel.configs).toEqual([
      ...DEFAULT_CONFIGS,
      '/repo/kernel-configs/kasan.config',
      '/cwd/local.config',
    ]);
  });

  it('reports missing --config fragments', () => {
    expect(apply({ configs: ['nosuch', './gone.config', ''] }).issues).toEqual([
      cli('--config', "config fragment 'nosuch' not found: /repo/kernel-configs/nosuch.config"),
      cli('--config', 'config fragment not found: /cwd/gone.config'),
      cli('--config', 'expected a config fragment name or path'),
    ]);
  });

  it('--backend virtiofs keeps the default configs, which hold the virtiofs fragment already', () => {
    const out = apply({ backend: 'virtiofs', configs: ['kasan'] }).plan!;
    expect(out.backend).toBe('virtiofs');
    expect(DEFAULT_CONFIGS).toContain('/repo/kernel-configs/virtiofs.config');
    expect(out.kernel.configs).toEqual([...DEFAULT_CONFIGS, '/repo/kernel-configs/kasan.config']);
  });

  it('--backend leaves explicit plan configs alone', () => {
    const plan = parseLines('kernel: { configs: [base] }').plan!;
    expect(apply({ backend: 'virtiofs' }, plan).plan?.kernel.configs).toEqual(['/repo/kernel-configs/base.config']);
  });

  it('reports an unknown backend', () => {
    expect(apply({ backend: 'nvme' }).issues).toEqual([cli('--backend', "unknown value 'nvme'; expected one of: pmem, virtio-pmem, virtiofs")]);
  });

  it('--fs replaces the filesystems; unknown and duplicate ones are errors', () => {
    expect(apply({ filesystems: ['xfs'] }).plan?.filesystems).toEqual(['xfs']);
    expect(apply({ filesystems: [] }).plan?.filesystems).toEqual(['ext4', 'xfs']);
    expect(apply({ filesystems: ['xfs', 'btrfs', 'xfs'] }).issues).toEqual([
      cli('--fs', "unknown value 'btrfs'; expected one of: ext4, xfs, virtiofs"),
      cli('--fs', "duplicate filesystem 'xfs'"),
    ]);
  });

  it('--repeats must be a positive integer', () => {
    expect(apply({ repeats: 4 }).plan?.repeats).toBe(4);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(apply({ repeats: bad }).issues).toEqual([cli('--repeats', `expected a positive integer, got ${bad}`)]);
    }
  });

  it('collects every flag issue at once and returns no plan', () => {
    const out = apply({ patches: ['x.patch'], configs: ['nosuch'], backend: 'nvme', repeats: 0, filesystems: ['zfs'] });
    expect(out.plan).toBeUndefined();
    expect(out.issues.map((i) => i.field)).toEqual(['--backend', '--patch', '--config', '--fs', '--repeats']);
  });
});
