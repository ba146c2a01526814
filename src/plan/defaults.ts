// Defaults for every plan field, and the built-in plan used when no file is given.
import { join } from 'node:path';
import type {
  BackendName,
  FsName,
  KnownWorkloads,
  Plan,
  PlanContext,
  SourceSpec,
  Timeouts,
  VmOptions,
  WorkloadSpec,
} from './types.js';

/** The Debian package that `source: debian` means. */
export const DEFAULT_DEBIAN_PACKAGE = 'linux-source-6.12';

/** Every backend a plan may name. */
export const BACKENDS: readonly BackendName[] = ['pmem', 'virtio-pmem', 'virtiofs'];

/** Every filesystem a plan may name (which backend holds which: backend-fs.ts). */
export const FILESYSTEMS: readonly FsName[] = ['ext4', 'xfs', 'virtiofs'];

/**
 * Config fragments every kernel gets unless the plan lists its own. virtiofs is among them, so the
 * pmem and virtiofs backends share one kernel (one build, not two).
 */
export const DEFAULT_CONFIG_NAMES: readonly string[] = ['base', 'pmem', 'nullblk', 'io_uring', 'watchdog', 'gup_test', 'virtiofs'];

/** The target that runs cases in QEMU on this machine; always known, and the default. */
export const LOCAL_TARGET = 'local';

/** The label of a kernel built with no patches. */
export const STOCK_LABEL = 'stock';

/** The file name recorded in the built-in plan. */
export const DEFAULT_PLAN_FILE = '<default>';

/** Default timeouts in seconds. */
export const DEFAULT_TIMEOUTS: Readonly<Timeouts> = { buildSec: 3600, bootSec: 180, caseSec: 120 };

/** Default VM shape. */
export const DEFAULT_VM: Readonly<VmOptions> = { cpus: 2, memoryMiB: 1024, pmemMiB: 1024, pinMs: 500, logBufKiB: 4096, lanes: 4 };

/** Default filesystems of the pmem backends, in run order (virtiofs: defaultFilesystems in backend-fs.ts). */
export const DEFAULT_FILESYSTEMS: readonly FsName[] = ['ext4', 'xfs'];

/** The default kernel source: the Debian source package. */
export function defaultSource(): SourceSpec {
  return { kind: 'debian', package: DEFAULT_DEBIAN_PACKAGE };
}

/** Names of the default config fragments for a backend (virtio-pmem adds its own). */
export function defaultConfigNames(backend: BackendName): string[] {
  return backend === 'virtio-pmem' ? [...DEFAULT_CONFIG_NAMES, backend] : [...DEFAULT_CONFIG_NAMES];
}

/** Absolute paths of the default config fragments for a backend. */
export function defaultConfigPaths(backend: BackendName, configsDir: string): string[] {
  return defaultConfigNames(backend).map((name) => join(configsDir, `${name}.config`));
}

/** Every known workload with its default params, in catalogue order. */
export function defaultWorkloads(known: KnownWorkloads): WorkloadSpec[] {
  return Object.entries(known).map(([name, params]) => ({ name, params: defaultParams(params) }));
}

/** A workload's params filled with their defaults (copied, so plans never share arrays). */
export function defaultParams(params: KnownWorkloads[string]): Record<string, Array<string | number>> {
  const out: Record<string, Array<string | number>> = {};
  for (const [key, def] of Object.entries(params)) out[key] = [...def.default];
  return out;
}

/** The label used when a plan gives none: the plan name, or "stock" without patches. */
export function defaultLabel(planName: string, patchCount: number): string {
  return patchCount === 0 ? STOCK_LABEL : planName;
}

/** The built-in plan: Debian source, no patches, default configs, pmem, ext4 + xfs, all workloads. */
export function defaultPlan(ctx: Pick<PlanContext, 'configsDir' | 'knownWorkloads'>): Plan {
  const backend: BackendName = 'pmem';
  const kernel = {
    source: defaultSource(),
    patches: [],
    configs: defaultConfigPaths(backend, ctx.configsDir),
    label: STOCK_LABEL,
  };
  return {
    name: 'default',
    file: DEFAULT_PLAN_FILE,
    kernel,
    kernels: [kernel],
    targets: [LOCAL_TARGET],
    backend,
    filesystems: [...DEFAULT_FILESYSTEMS],
    workloads: defaultWorkloads(ctx.knownWorkloads),
    repeats: 1,
    timeouts: { ...DEFAULT_TIMEOUTS },
    vm: { ...DEFAULT_VM },
    known: [],
    expectedSkips: [],
  };
}
