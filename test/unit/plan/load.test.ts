import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { formatIssues } from '../../../src/plan/format.js';
import { loadPlanFile, planInvalidError } from '../../../src/plan/load.js';
import { KNOWN } from './fixtures.js';

let dir: string;
let configsDir: string;
const ctx = () => ({ configsDir, knownWorkloads: KNOWN });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'daxlab-plan-'));
  configsDir = join(dir, 'kernel-configs');
  await mkdir(configsDir);
  for (const n of ['base', 'pmem', 'nullblk', 'io_uring', 'watchdog', 'gup_test', 'virtiofs']) await writeFile(join(configsDir, `${n}.config`), '');
  await mkdir(join(dir, 'plans'));
  await writeFile(join(dir, 'plans', 'fix.patch'), '');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Awaits a promise expected to reject with a DaxlabError. */
async function rejection(p: Promise<unknown>): Promise<DaxlabError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DaxlabError);
  return error as DaxlabError;
}

describe('loadPlanFile', () => {
  it('loads a valid plan, resolving patches next to the plan file', async () => {
    const file = join(dir, 'plans', 'series.yaml');
    await writeFile(file, 'kernel:\n  patches: [fix.patch]\nfilesystems: [xfs]\n');
    const plan = await loadPlanFile(file, ctx());
    expect(plan.name).toBe('series');
    expect(plan.file).toBe(file);
    expect(plan.kernel.patches).toEqual([join(dir, 'plans', 'fix.patch')]);
    expect(plan.kernel.configs[0]).toBe(join(configsDir, 'base.config'));
    expect(plan.kernel.label).toBe('series');
  });

  it('throws PLAN_INVALID listing every issue as file:line: field: message', async () => {
    const file = join(dir, 'plans', 'bad.yaml');
    await writeFile(file, 'repeats: 0\nkernel:\n  patches: [gone.patch]\nwat: 1\n');
    const error = await rejection(loadPlanFile(file, ctx()));
    expect(error.code).toBe('PLAN_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`invalid plan ${file}: 3 problems`);
    expect(error.detail).toEqual([
      `${file}:1: repeats: expected a positive integer, got number 0`,
      `${file}:3: kernel.patches[0]: patch file not found: ${join(dir, 'plans', 'gone.patch')}`,
      `${file}:4: wat: unknown key 'wat'; expected one of: name, kernel, kernels, targets, backend, filesystems, workloads, repeats, timeouts, vm, known, expectedSkips, extends`,
    ]);
  });

  it('a missing plan file is PLAN_INVALID naming the path', async () => {
    const file = join(dir, 'nope.yaml');
    const error = await rejection(loadPlanFile(file, ctx()));
    expect(error.code).toBe('PLAN_INVALID');
    expect(error.message).toBe(`plan file ${file}: not found`);
  });

  it('a directory is PLAN_INVALID too', async () => {
    const error = await rejection(loadPlanFile(join(dir, 'plans'), ctx()));
    expect(error.code).toBe('PLAN_INVALID');
    expect(error.message).toContain('is a directory');
  });
});

describe('planInvalidError', () => {
  it('says "1 problem" for one issue and carries the formatted lines', () => {
    const issues = [{ file: '<command line>', line: 0, field: '--patch', message: 'patch file not found: /x' }];
    const error = planInvalidError(issues, 'invalid flags');
    expect(error.message).toBe('invalid flags: 1 problem');
    expect(error.detail).toEqual(formatIssues(issues));
  });
});

describe('loadPlanFile with extends', () => {
  it('takes the base plan\'s keys and replaces the ones the plan gives itself', async () => {
    await writeFile(join(dir, 'plans', 'base.yaml'), 'name: base\nfilesystems: [ext4, xfs]\nrepeats: 3\nworkloads:\n  - pin-race\n');
    await writeFile(join(dir, 'plans', 'lab.yaml'), 'extends: base.yaml\nname: lab\nrepeats: 2\nkernels:\n  - { label: stock }\n  - { label: fixed, patches: [fix.patch] }\n');
    const plan = await loadPlanFile(join(dir, 'plans', 'lab.yaml'), ctx());
    expect(plan.name).toBe('lab');
    expect(plan.repeats).toBe(2);
    expect(plan.filesystems).toEqual(['ext4', 'xfs']);
    expect(plan.workloads.map((w) => w.name)).toEqual(['pin-race']);
    expect(plan.kernels.map((k) => k.label)).toEqual(['stock', 'fixed']);
  });

  it('names the base file and its line for an issue in the base', async () => {
    await writeFile(join(dir, 'plans', 'bad-base.yaml'), 'name: b\nfilesystems: [ext5]\n');
    await writeFile(join(dir, 'plans', 'over-bad.yaml'), 'extends: bad-base.yaml\nrepeats: 2\n');
    const error = await rejection(loadPlanFile(join(dir, 'plans', 'over-bad.yaml'), ctx()));
    expect(error.message).toContain('bad-base.yaml');
    expect(error.detail.join('\n')).toMatch(/bad-base\.yaml:2: filesystems/);
  });

  it('names a missing base and refuses a cycle', async () => {
    await writeFile(join(dir, 'plans', 'orphan.yaml'), 'extends: nowhere.yaml\n');
    expect((await rejection(loadPlanFile(join(dir, 'plans', 'orphan.yaml'), ctx()))).message).toMatch(/nowhere\.yaml: not found/);
    await writeFile(join(dir, 'plans', 'a.yaml'), 'extends: b.yaml\n');
    await writeFile(join(dir, 'plans', 'b.yaml'), 'extends: a.yaml\n');
    expect((await rejection(loadPlanFile(join(dir, 'plans', 'a.yaml'), ctx()))).message).toMatch(/extends it back/);
  });

  it('reports a non-string extends with its line', async () => {
    await writeFile(join(dir, 'plans', 'odd.yaml'), 'name: odd\nextends: [x]\n');
    const error = await rejection(loadPlanFile(join(dir, 'plans', 'odd.yaml'), ctx()));
    expect(error.detail.join('\n')).toMatch(/odd\.yaml:2: extends/);
  });
});
