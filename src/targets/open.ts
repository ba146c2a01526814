// The targets a run names, opened once for the run: "local" is built in, the others come from the
// target file (--target-file).
import { DaxlabError } from '../errors.js';
import { LOCAL_TARGET } from '../plan/defaults.js';
import type { Plan } from '../plan/types.js';
import { kvmHostTarget } from './kvm-host.js';
import { localTarget } from './local.js';
import { machineTarget } from './machine.js';
import { loadTargetFile, type TargetSpec } from './target-file.js';
import type { RunTarget } from './types.js';

/** How targets are opened for a run: local slots (--jobs), extra guest kernel words, the target file. */
export interface TargetOptions {
  jobs: number;
  append?: string[];
  /** The YAML file declaring the targets other than local. */
  targetFile?: string;
  /** One line of progress (uploads). */
  say?: (message: string) => void;
}

/** The declared targets among these names (PLAN_INVALID for a name nobody declared), before anything connects. */
export async function targetSpecs(names: readonly string[], targetFile: string | undefined): Promise<Map<string, TargetSpec>> {
  const remote = names.filter((t) => t !== LOCAL_TARGET);
  if (remote.length === 0) return new Map();
  if (!targetFile) {
    throw new DaxlabError('PLAN_INVALID', `unknown target '${remote[0]}': only '${LOCAL_TARGET}' is built in`, [
      'fix: declare it in a target file and pass --target-file FILE (see README, "Remote targets")',
    ]);
  }
  const declared = await loadTargetFile(targetFile);
  const out = new Map<string, TargetSpec>();
  for (const name of remote) {
    const spec = declared.get(name);
    if (!spec) throw new DaxlabError('PLAN_INVALID', `unknown target '${name}': ${targetFile} declares ${[...declared.keys()].join(', ') || 'none'}`);
    out.set(name, spec);
  }
  return out;
}

/** Open every target the plan names; throws PLAN_INVALID for one that is not known. */
export async function openTargets(plan: Plan, o: TargetOptions): Promise<Map<string, RunTarget>> {
  const specs = await targetSpecs(plan.targets, o.targetFile);
  const out = new Map<string, RunTarget>();
  try {
    for (const name of plan.targets) {
      const spec = specs.get(name);
      if (!spec) out.set(name, await localTarget(plan, o.jobs, o.append));
      else out.set(name, spec.kind === 'machine' ? await machineTarget(spec, o) : await kvmHostTarget(spec, o));
    }
  } catch (err) {
    await closeTargets(out);
    throw err;
  }
  return out;
}

/** Close every opened target (best effort, all of them). */
export async function closeTargets(targets: Map<string, RunTarget>): Promise<void> {
  await Promise.allSettled([...targets.values()].map((t) => t.close()));
}
