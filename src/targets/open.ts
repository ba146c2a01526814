// The targets a run names, opened once for the run: "local" is built in.
import { DaxlabError } from '../errors.js';
import { LOCAL_TARGET } from '../plan/defaults.js';
import type { Plan } from '../plan/types.js';
import { localTarget } from './local.js';
import type { RunTarget } from './types.js';

/** How targets are opened for a run: local slots (--jobs) and extra guest kernel words. */
export interface TargetOptions {
  jobs: number;
  append?: string[];
}

/** Open every target the plan names; throws PLAN_INVALID for one that is not known. */
export async function openTargets(plan: Plan, o: TargetOptions): Promise<Map<string, RunTarget>> {
  const out = new Map<string, RunTarget>();
  for (const name of plan.targets) {
    if (name !== LOCAL_TARGET) {
      throw new DaxlabError('PLAN_INVALID', `unknown target '${name}': only '${LOCAL_TARGET}' is built in`, [
        'fix: use --target local, or leave targets out of the plan',
      ]);
    }
    out.set(name, await localTarget(plan, o.jobs, o.append));
  }
  return out;
}

/** Close every opened target (best effort, all of them). */
export async function closeTargets(targets: Map<string, RunTarget>): Promise<void> {
  await Promise.allSettled([...targets.values()].map((t) => t.close()));
}
