// Expands a plan into concrete test cases: filesystem x workload x params matrix x repeat.
import type { Plan, TestCase } from './types.js';

type ParamCombo = Record<string, string | number>;

/** Every case of a run: for each kernel, for each target, the plan's cases (expandPlan) marked with both. */
export function expandRun(plan: Plan): TestCase[] {
  const one = expandPlan(plan);
  return plan.kernels.flatMap((k) => plan.targets.flatMap((target) => one.map((tc) => ({ ...tc, kernel: k.label, target }))));
}

/** Every case of the plan, grouped by filesystem, then workload, params and repeat; ids are unique. */
export function expandPlan(plan: Plan): TestCase[] {
  const cases: TestCase[] = [];
  const seen = new Set<string>();
  for (const fs of plan.filesystems) {
    for (const workload of plan.workloads) {
      for (const params of paramCombos(workload.params)) {
        for (let repeat = 1; repeat <= plan.repeats; repeat++) {
          const id = caseId(fs, workload.name, params, repeat);
          if (seen.has(id)) continue; // the same case listed twice runs once
          seen.add(id);
          cases.push({ id, fs, workload: workload.name, params: { ...params }, repeat, timeoutSec: plan.timeouts.caseSec });
        }
      }
    }
  }
  return cases;
}

/** The cartesian product of param values, keys in sorted order, the last key varying fastest. */
export function paramCombos(params: Record<string, ReadonlyArray<string | number>>): ParamCombo[] {
  let combos: ParamCombo[] = [{}];
  for (const key of Object.keys(params).sort()) {
    const values = params[key] ?? [];
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  }
  return combos;
}

/** A case id: "<fs>/<workload>/<k=v,...>#<repeat>", with "-" for no params. */
export function caseId(fs: string, workload: string, params: ParamCombo, repeat: number): string {
  const keys = Object.keys(params).sort();
  const part = keys.length === 0 ? '-' : keys.map((k) => `${k}=${params[k]}`).join(',');
  return `${fs}/${workload}/${part}#${repeat}`;
}
