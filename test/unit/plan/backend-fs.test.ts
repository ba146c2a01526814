// Which filesystems each backend holds: the parser and the flags agree, and errors name file, line and field.
import { describe, expect, it } from 'vitest';
import { areDefaultFilesystems, defaultFilesystems, fsBackendProblem } from '../../../src/plan/backend-fs.js';
import { defaultPlan } from '../../../src/plan/defaults.js';
import { applyOverrides, type PlanOverrides } from '../../../src/plan/overrides.js';
import type { Plan } from '../../../src/plan/types.js';
import { parseLines, planCtx, triples } from './fixtures.js';

const cliCtx = planCtx({ baseDir: '/cwd' });
const apply = (o: PlanOverrides, plan: Plan = defaultPlan(cliCtx)) => applyOverrides(plan, o, cliCtx);
const VFS_ONLY = "with backend virtiofs the filesystem is the shared host directory: use virtiofs (or leave filesystems out)";

describe('backend-fs', () => {
  it('virtiofs holds only virtiofs; the pmem backends only ext4 and xfs', () => {
    expect(defaultFilesystems('virtiofs')).toEqual(['virtiofs']);
    expect(defaultFilesystems('pmem')).toEqual(['ext4', 'xfs']);
    expect(defaultFilesystems('virtio-pmem')).toEqual(['ext4', 'xfs']);
    expect(fsBackendProblem('virtiofs', 'virtiofs')).toBeNull();
    expect(fsBackendProblem('xfs', 'virtio-pmem')).toBeNull();
    expect(fsBackendProblem('ext4', 'virtiofs')).toBe(`'ext4' is made on a pmem device; ${VFS_ONLY}`);
    expect(fsBackendProblem('virtiofs', 'pmem')).toBe("'virtiofs' is the shared directory of the virtiofs backend; backend pmem holds ext4 and xfs");
    expect(areDefaultFilesystems(['ext4', 'xfs'], 'pmem')).toBe(true);
    expect(areDefaultFilesystems(['xfs', 'ext4'], 'pmem')).toBe(false);
    expect(areDefaultFilesystems(['virtiofs'], 'virtiofs')).toBe(true);
  });
});

describe('plan files', () => {
  it('backend virtiofs without filesystems runs on virtiofs; pmem plans keep ext4 and xfs', () => {
    expect(parseLines('backend: virtiofs').plan?.filesystems).toEqual(['virtiofs']);
    expect(parseLines('backend: virtiofs', 'filesystems: [virtiofs]').plan?.filesystems).toEqual(['virtiofs']);
    expect(parseLines('repeats: 1').plan?.filesystems).toEqual(['ext4', 'xfs']);
    expect(parseLines('backend: virtio-pmem').plan?.filesystems).toEqual(['ext4', 'xfs']);
  });

  it('a filesystem the backend cannot hold is an issue at its line and field', () => {
    const vfs = parseLines('name: x', 'backend: virtiofs', 'filesystems:', '  - virtiofs', '  - xfs');
    expect(vfs.plan).toBeUndefined();
    expect(vfs.issues.map((i) => i.file)).toEqual(['/plans/plan.yaml']);
    expect(triples(vfs.issues)).toEqual([[5, 'filesystems[1]', `'xfs' is made on a pmem device; ${VFS_ONLY}`]]);
    const pmem = parseLines('filesystems: [ext4, virtiofs]');
    expect(triples(pmem.issues)).toEqual([
      [1, 'filesystems[1]', "'virtiofs' is the shared directory of the virtiofs backend; backend pmem holds ext4 and xfs"],
    ]);
  });

  it('an invalid backend reports only itself, not the filesystems', () => {
    expect(triples(parseLines('backend: nvme', 'filesystems: [virtiofs]').issues)).toEqual([
      [1, 'backend', "unknown value 'nvme'; expected one of: pmem, virtio-pmem, virtiofs"],
    ]);
  });
});

describe('flags', () => {
  it('--backend virtiofs on default filesystems runs virtiofs, and back again', () => {
    const vfs = apply({ backend: 'virtiofs' }).plan!;
    expect(vfs.filesystems).toEqual(['virtiofs']);
    expect(apply({ backend: 'pmem' }, vfs).plan?.filesystems).toEqual(['ext4', 'xfs']);
  });

  it('--backend virtiofs on a plan that lists ext4 is an error under --backend', () => {
    const plan = parseLines('filesystems: [ext4]').plan!;
    expect(apply({ backend: 'virtiofs' }, plan).issues).toEqual([
      { file: '<command line>', line: 0, field: '--backend', message: `the plan lists ext4 in filesystems: 'ext4' is made on a pmem device; ${VFS_ONLY} (--fs changes them)` },
    ]);
    expect(apply({ backend: 'virtiofs', filesystems: ['virtiofs'] }, plan).plan?.filesystems).toEqual(['virtiofs']);
  });

  it('--fs is checked against the backend the run will have', () => {
    expect(apply({ filesystems: ['virtiofs'] }).issues).toEqual([
      { file: '<command line>', line: 0, field: '--fs', message: "'virtiofs' is the shared directory of the virtiofs backend; backend pmem holds ext4 and xfs" },
    ]);
    expect(apply({ backend: 'virtiofs', filesystems: ['xfs'] }).issues.map((i) => i.field)).toEqual(['--fs']);
  });
});
