// Pure: a run's cases grouped into cells (one kernel on one target), each run by one guest at a time.
import type { KernelSpec, Plan, TestCase } from '../plan/types.js';

/** One kernel on one target, and the cases it runs there, in plan order. */
export interface Cell {
  kernel: KernelSpec;
  target: string;
  cases: TestCase[];
}

/** "stock@local": how a cell is named in logs, file names and reports. */
export function cellName(c: { kernel: string; target: string }): string {
  return `${c.kernel}@${c.target}`;
}

/** The cells of a run's cases (expandRun, maybe sharded), in the order their first case appears. */
export function cellsOf(plan: Plan, cases: TestCase[]): Cell[] {
  const cells = new Map<string, Cell>();
  for (const tc of cases) {
    const label = tc.kernel ?? plan.kernel.label;
    const target = tc.target ?? plan.targets[0]!;
    const key = cellName({ kernel: label, target });
    let cell = cells.get(key);
    if (!cell) {
      const kernel = plan.kernels.find((k) => k.label === label);
      if (!kernel) throw new Error(`case ${tc.id} names kernel ${label}, which the plan does not have`);
      cells.set(key, (cell = { kernel, target, cases: [] }));
    }
    cell.cases.push(tc);
  }
  return [...cells.values()];
}

/** Whether results of several kernels or targets are mixed, so that each case must be named with its cell. */
export function isMultiCell(plan: Plan): boolean {
  return plan.kernels.length > 1 || plan.targets.length > 1;
}
