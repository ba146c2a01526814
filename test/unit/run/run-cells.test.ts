// Several kernels on several targets: each kernel built once, cells start as their kernel is ready
// and their target has a slot, and every result names its kernel and target.
import { describe, expect, it } from 'vitest';
import { CONFIGS_DIR } from '../../../src/cli/paths.js';
import { DaxlabError } from '../../../src/errors.js';
import type { BuildResult } from '../../../src/kernel/build.js';
import { defaultPlan } from '../../../src/plan/defaults.js';
import { expandRun } from '../../../src/plan/expand.js';
import type { KernelSpec, Plan } from '../../../src/plan/types.js';
import type { EventLog } from '../../../src/results/jsonl.js';
import type { CaseResult, KlogFinding, RunEvent } from '../../../src/results/types.js';
import { cellsOf } from '../../../src/run/cells.js';
import { runCells } from '../../../src/run/run-cells.js';
import type { RunTarget } from '../../../src/targets/types.js';
import { concurrency, fakeVm } from './fake-guest.js';

function plan(labels: string[], targets: string[]): Plan {
  const p = defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: {} });
  const kernels: KernelSpec[] = labels.map((label) => ({ ...p.kernel, label }));
  return {
    ...p, kernel: kernels[0]!, kernels, targets, filesystems: ['ext4'],
    workloads: [{ name: 'pin-race', params: { pin: ['pread'], race: ['truncate'], index: [1, 2], pages: [16] } }],
  };
}

function target(name: string, slots: number, log: string[], unsupported: string | null = null): RunTarget {
  let n = 0;
  return {
    name, kind: 'fake', slots, describe: () => 'fake', unsupported: () => unsupported,
    booter: async () => async () => fakeVm(log, ++n),
    close: async () => undefined,
  };
}

async function run(p: Plan, targets: RunTarget[], o: { failBuild?: string; multi?: boolean } = {}) {
  const builds: string[] = [];
  const log: string[] = [];
  const results: CaseResult[] = [];
  const findings: KlogFinding[] = [];
  concurrency.now = concurrency.max = 0;
  await runCells({
    plan: p, cells: cellsOf(p, expandRun(p)), targets: new Map(targets.map((t) => [t.name, t])),
    reporter: {}, events: { write: (_e: RunEvent) => undefined } as unknown as EventLog, signal: new AbortController().signal,
    stages: {}, results, findings, multi: o.multi ?? p.kernels.length > 1,
    build: async (k, jobs) => {
      builds.push(`${k.label} -j${jobs}`);
      if (k.label === o.failBuild) throw new DaxlabError('PATCH_FAILED', 'patch x.patch does not apply');
      return { artifact: { image: `/k/${k.label}/bzImage`, meta: { kernelRelease: '6.12.118' } }, cached: false, seconds: 1 } as unknown as BuildResult;
    },
    serialLog: (c, n) => `/r/${c.kernel.label}@${c.target}.${n}.log`,
  });
  return { builds, results, log };
}

describe('runCells', () => {
  it('builds each kernel once and runs it on every target, each result naming kernel and target', async () => {
    const r = await run(plan(['stock', 'seed'], ['local', 'remote']), [target('local', 1, []), target('remote', 1, [])]);
    expect(r.builds.map((b) => b.split(' ')[0])).toEqual(['stock', 'seed']);
    expect(r.results.map((c) => `${c.kernel}@${c.target}:${c.id} ${c.status}`).sort()).toEqual([
      'seed@local:ext4/pin-race/index=1,pages=16,pin=pread,race=truncate#1 pass',
      'seed@local:ext4/pin-race/index=2,pages=16,pin=pread,race=truncate#1 pass',
      'seed@remote:ext4/pin-race/index=1,pages=16,pin=pread,race=truncate#1 pass',
      'seed@remote:ext4/pin-race/index=2,pages=16,pin=pread,race=truncate#1 pass',
      'stock@local:ext4/pin-race/index=1,pages=16,pin=pread,race=truncate#1 pass',
      'stock@local:ext4/pin-race/index=2,pages=16,pin=pread,race=truncate#1 pass',
      'stock@remote:ext4/pin-race/index=1,pages=16,pin=pread,race=truncate#1 pass',
      'stock@remote:ext4/pin-race/index=2,pages=16,pin=pread,race=truncate#1 pass',
    ]);
  });

  it('builds with one make job while guests run, and with every core before', async () => {
    const r = await run(plan(['a', 'b'], ['local']), [target('local', 2, [])]);
    expect(r.builds[0]).toMatch(/^a -j\d+$/);
    expect(r.builds[1]).toBe('b -j1');
  });

  it('records the cases of a kernel that did not build as errors, and runs the others', async () => {
    const r = await run(plan(['good', 'bad'], ['local']), [target('local', 1, [])], { failBuild: 'bad' });
    const bad = r.results.filter((c) => c.kernel === 'bad');
    expect(bad.map((c) => c.status)).toEqual(['error', 'error']);
    expect(bad[0]!.reason).toBe('kernel bad did not build: patch x.patch does not apply');
    expect(r.results.filter((c) => c.kernel === 'good').every((c) => c.status === 'pass')).toBe(true);
  });

  it('throws the build error of a one-kernel run (a bad patch is a usage error)', async () => {
    await expect(run(plan(['only'], ['local']), [target('local', 1, [])], { failBuild: 'only' })).rejects.toThrow(/does not apply/);
  });

  it('skips the cells of a target that cannot provide the backend, without building for them', async () => {
    const r = await run(plan(['k'], ['local', 'old']), [target('local', 1, []), target('old', 1, [], 'QEMU 7.2 has no DAX window')]);
    expect(r.results.filter((c) => c.target === 'old').map((c) => `${c.status}: ${c.reason}`)).toEqual([
      'skip: QEMU 7.2 has no DAX window', 'skip: QEMU 7.2 has no DAX window',
    ]);
    expect(r.builds).toHaveLength(1);
  });
});

describe('runCells errors', () => {
  it('rethrows a cell that failed (a broken target), after the others end', async () => {
    const broken: RunTarget = { ...target('local', 1, []), booter: async () => { throw new DaxlabError('RESULTS_IO', 'disk full'); } };
    await expect(run(plan(['k'], ['local']), [broken])).rejects.toThrow(/disk full/);
  });
});
