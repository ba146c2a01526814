// Applies command-line flags on top of a plan (file or built-in), checking each flag like the parser does.
import { areDefaultFilesystems, defaultFilesystems, fsBackendProblem } from './backend-fs.js';
import { BACKENDS, DEFAULT_PLAN_FILE, FILESYSTEMS, STOCK_LABEL, defaultConfigPaths } from './defaults.js';
import { badGitRefMessage, badPackageMessage, missingConfigMessage, resolveConfigRef, resolveFrom } from './paths.js';
import { TARGET_NAME } from './parse.js';
import type { BackendName, FsName, KernelSpec, Plan, PlanContext, PlanIssue, SourceSpec } from './types.js';

/** Flag values from the command line; undefined (or an empty list) leaves the plan's value. */
export interface PlanOverrides {
  /** A kernel tree directory (a git repository when gitRef is given). */
  source?: string;
  /** A Debian linux-source package (e.g. linux-source-6.1) instead of the plan's source. */
  debian?: string;
  gitRef?: string;
  /** Appended after the plan's patches. */
  patches?: string[];
  /** Appended after the plan's config fragments (bare names resolve in kernel-configs/). */
  configs?: string[];
  backend?: string;
  /** Replaces the plan's filesystems. */
  filesystems?: string[];
  repeats?: number;
  label?: string;
  /** Replaces vm.lanes. */
  lanes?: number;
  /** Replaces the plan's targets. */
  targets?: string[];
}

/** The flag each override is reported under. */
export const OVERRIDE_FLAGS: Readonly<Record<keyof PlanOverrides, string>> = {
  source: '--source',
  debian: '--debian',
  gitRef: '--ref',
  patches: '--patch',
  configs: '--config',
  backend: '--backend',
  filesystems: '--fs',
  repeats: '--repeats',
  label: '--label',
  lanes: '--lanes',
  targets: '--target',
};

/** The file name issues about flags carry. */
export const COMMAND_LINE = '<command line>';

/** The label a stock plan gets when flags add patches to it. */
const PATCHED_LABEL = 'patched';

type Report = (flag: keyof PlanOverrides, message: string) => void;

/** The plan with the flags applied (paths resolve from ctx.baseDir, the cwd); the plan only when there are no issues. */
export function applyOverrides(plan: Plan, o: PlanOverrides, ctx: PlanContext): { plan?: Plan; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const report: Report = (flag, message) =>
    issues.push({ file: COMMAND_LINE, line: 0, field: OVERRIDE_FLAGS[flag], message });

  const backend = overrideBackend(plan.backend, o.backend, report);
  const added = overridePatches(o.patches ?? [], ctx, report);
  const extraConfigs = overrideConfigs(o.configs ?? [], ctx, report);
  const sources = plan.kernels.map((k) => overrideSource(k.source, o, ctx, report));
  const filesystems = overrideFilesystems(plan, backend, o.filesystems, report);
  if (o.repeats !== undefined && !(Number.isSafeInteger(o.repeats) && o.repeats >= 1)) {
    report('repeats', `expected a positive integer, got ${o.repeats}`);
  }
  if (o.label !== undefined && o.label === '') report('label', 'expected a non-empty string');
  if (o.label !== undefined && plan.kernels.length > 1) report('label', `the plan has ${plan.kernels.length} kernels; a label names one (set them in the plan)`);
  for (const t of o.targets ?? []) {
    if (!TARGET_NAME.test(t)) report('targets', `expected a target name (letters, digits, . _ -), got '${t}'`);
  }
  if (o.lanes !== undefined && !(Number.isSafeInteger(o.lanes) && o.lanes >= 1 && o.lanes <= 8)) {
    report('lanes', `expected an integer from 1 to 8, got ${o.lanes}`);
  }
  if (issues.length > 0) return { issues };

  // Flags change every kernel of the plan: the same series or fragment on each.
  const kernels = plan.kernels.map((k, i) => {
    const patches = [...k.patches, ...added];
    const label = o.label ?? debianLabel(derivedLabel(plan, k, patches.length), o.debian);
    return { source: sources[i]!, patches, configs: [...baseConfigs(plan, k.configs, backend, ctx), ...extraConfigs], label };
  });
  return {
    plan: {
      ...plan,
      kernel: kernels[0]!,
      kernels,
      backend,
      filesystems,
      repeats: o.repeats ?? plan.repeats,
      vm: o.lanes === undefined ? plan.vm : { ...plan.vm, lanes: o.lanes },
      targets: o.targets && o.targets.length > 0 ? [...new Set(o.targets)] : plan.targets,
    },
    issues,
  };
}

/** The kernel source after --source / --ref / --debian. */
function overrideSource(current: SourceSpec, o: PlanOverrides, ctx: PlanContext, report: Report): SourceSpec {
  if (o.debian !== undefined) {
    if (o.source !== undefined || o.gitRef !== undefined) report('debian', `${OVERRIDE_FLAGS.debian} cannot be combined with ${OVERRIDE_FLAGS.source} or ${OVERRIDE_FLAGS.gitRef}`);
    const bad = o.debian === '' ? 'expected a Debian package name such as linux-source-6.1' : badPackageMessage(o.debian);
    if (bad) report('debian', bad);
    return { kind: 'debian', package: o.debian };
  }
  if (o.gitRef !== undefined) {
    const bad = o.gitRef === '' ? 'expected a non-empty git ref' : badGitRefMessage(o.gitRef);
    if (bad) report('gitRef', bad);
  }
  if (o.source !== undefined) {
    const path = resolveFrom(ctx, o.source);
    if (o.source === '' || !ctx.fileExists(path)) report('source', `source directory not found: ${path}`);
    return o.gitRef === undefined ? { kind: 'dir', path } : { kind: 'git', repo: path, ref: o.gitRef };
  }
  if (o.gitRef === undefined) return current;
  if (current.kind === 'git') return { ...current, ref: o.gitRef };
  if (current.kind === 'dir') return { kind: 'git', repo: current.path, ref: o.gitRef };
  report('gitRef', `${OVERRIDE_FLAGS.gitRef} needs ${OVERRIDE_FLAGS.source} DIR or a git source in the plan`);
  return current;
}

/** The backend after --backend. */
function overrideBackend(current: BackendName, wanted: string | undefined, report: Report): BackendName {
  if (wanted === undefined) return current;
  if ((BACKENDS as readonly string[]).includes(wanted)) return wanted as BackendName;
  report('backend', `unknown value '${wanted}'; expected one of: ${BACKENDS.join(', ')}`);
  return current;
}

/** The plan's configs; default configs follow a backend change (virtiofs adds its fragment). */
function baseConfigs(plan: Plan, configs: string[], backend: BackendName, ctx: PlanContext): string[] {
  const planDefaults = defaultConfigPaths(plan.backend, ctx.configsDir);
  const isDefault = configs.length === planDefaults.length && configs.every((c, i) => c === planDefaults[i]);
  return isDefault ? defaultConfigPaths(backend, ctx.configsDir) : [...configs];
}

/** Resolved --config fragments, reporting each missing one. */
function overrideConfigs(refs: readonly string[], ctx: PlanContext, report: Report): string[] {
  const out: string[] = [];
  for (const ref of refs) {
    const missing = ref === '' ? 'expected a config fragment name or path' : missingConfigMessage(ref, ctx);
    if (missing) report('configs', missing);
    else out.push(resolveConfigRef(ref, ctx));
  }
  return out;
}

/** Resolved --patch files, reporting each missing one. */
function overridePatches(paths: readonly string[], ctx: PlanContext, report: Report): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolveFrom(ctx, p);
    if (p !== '' && ctx.fileExists(abs)) out.push(abs);
    else report('patches', `patch file not found: ${abs}`);
  }
  return out;
}

/**
 * The filesystems after --fs (a replacement list of known, distinct filesystems) and --backend: the
 * backend's defaults follow a backend change; filesystems the new backend cannot hold are errors.
 */
function overrideFilesystems(plan: Plan, backend: BackendName, wanted: readonly string[] | undefined, report: Report): FsName[] {
  if (!wanted || wanted.length === 0) {
    if (areDefaultFilesystems(plan.filesystems, plan.backend)) return defaultFilesystems(backend);
    for (const fs of plan.filesystems) {
      const misfit = fsBackendProblem(fs, backend);
      if (misfit) report('backend', `the plan lists ${fs} in filesystems: ${misfit} (${OVERRIDE_FLAGS.filesystems} changes them)`);
    }
    return [...plan.filesystems];
  }
  const out: FsName[] = [];
  for (const fs of wanted) {
    if (!(FILESYSTEMS as readonly string[]).includes(fs)) {
      report('filesystems', `unknown value '${fs}'; expected one of: ${FILESYSTEMS.join(', ')}`);
    } else if (fsBackendProblem(fs as FsName, backend)) {
      report('filesystems', fsBackendProblem(fs as FsName, backend)!);
    } else if (out.includes(fs as FsName)) {
      report('filesystems', `duplicate filesystem '${fs}'`);
    } else {
      out.push(fs as FsName);
    }
  }
  return out;
}

/** With --debian, a stock label names the package's version ("stock-6.1"), so runs of two series compare by name. */
function debianLabel(label: string, pkg: string | undefined): string {
  if (pkg === undefined || label !== STOCK_LABEL) return label;
  return `${STOCK_LABEL}-${pkg.replace(/^linux-source-/, '')}`;
}

/** Keeps the plan's label, except a stock label becomes the plan's name once flags add patches. */
function derivedLabel(plan: Plan, kernel: KernelSpec, patchCount: number): string {
  const wasStock = kernel.patches.length === 0 && kernel.label === STOCK_LABEL;
  if (!wasStock || patchCount === 0) return kernel.label;
  return plan.file === DEFAULT_PLAN_FILE ? PATCHED_LABEL : plan.name;
}
