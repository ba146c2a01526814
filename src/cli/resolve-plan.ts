// Turn "plan file or default plan, plus flags" into a validated Plan (exit 2 on any issue).
import { resolve } from 'node:path';
import { defaultPlan } from '../plan/defaults.js';
import { fileExistsOnDisk, loadPlanFile, planInvalidError } from '../plan/load.js';
import { applyOverrides, type PlanOverrides } from '../plan/overrides.js';
import type { Plan, PlanContext } from '../plan/types.js';
import { defaultWorkloadNames, defaultWorkloadParamDefs, workloadParamDefs } from '../workloads/catalogue.js';
import { CONFIGS_DIR } from './paths.js';

/** Flags shared by run, build and boot. */
export interface KernelFlags {
  source?: string;
  debian?: string;
  ref?: string;
  patch?: string[];
  config?: string[];
  backend?: string;
  fs?: string;
  repeats?: string;
  label?: string;
  lanes?: string;
  target?: string[];
}

/** Load the plan (or the default) and apply command-line flags. */
export async function resolvePlan(planFile: string | undefined, flags: KernelFlags): Promise<Plan> {
  const knownWorkloads = workloadParamDefs();
  const base = planFile
    ? await loadPlanFile(resolve(planFile), { configsDir: CONFIGS_DIR, knownWorkloads, defaultWorkloadNames: defaultWorkloadNames() })
    : defaultPlan({ configsDir: CONFIGS_DIR, knownWorkloads: defaultWorkloadParamDefs() });
  const overrides: PlanOverrides = {
    source: flags.source,
    debian: flags.debian,
    gitRef: flags.ref,
    patches: flags.patch,
    configs: flags.config,
    backend: flags.backend,
    filesystems: flags.fs ? flags.fs.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    repeats: flags.repeats === undefined ? undefined : Number(flags.repeats),
    label: flags.label,
    lanes: flags.lanes === undefined ? undefined : Number(flags.lanes),
    targets: flags.target,
  };
  const ctx: PlanContext = { baseDir: process.cwd(), configsDir: CONFIGS_DIR, fileExists: fileExistsOnDisk, knownWorkloads };
  const { plan, issues } = applyOverrides(base, overrides, ctx);
  if (!plan || issues.length > 0) throw planInvalidError(issues, 'invalid command line');
  return plan;
}
