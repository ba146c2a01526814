// The plan model: what a user asks for, after parsing and validation.

/** Where the kernel source comes from. */
export type SourceSpec =
  | { kind: 'debian'; package: string } // e.g. linux-source-6.12, installed through apt when missing
  | { kind: 'dir'; path: string } // a kernel tree on disk (never modified)
  | { kind: 'git'; repo: string; ref: string }; // a local git repository and a ref

export interface KernelSpec {
  source: SourceSpec;
  /** Absolute paths of patch files (mbox/format-patch or plain diffs), applied in order. */
  patches: string[];
  /** Absolute paths of config fragments, merged in order. */
  configs: string[];
  /** A short label for reports ("stock", "seed-bug"); defaults to a derived name. */
  label: string;
}

export type BackendName = 'pmem' | 'virtio-pmem' | 'virtiofs';
/** A filesystem under test: ext4 and xfs on a pmem device, or virtiofs (the shared host directory). */
export type FsName = 'ext4' | 'xfs' | 'virtiofs';

/** One workload entry from the plan; params values expand as a matrix. */
export interface WorkloadSpec {
  name: string;
  params: Record<string, Array<string | number>>;
}

export interface VmOptions {
  cpus: number;
  memoryMiB: number;
  /** pmem and virtio-pmem: the device's size. virtiofs: the size of the DAX window (cache-size). */
  pmemMiB: number;
  /** Delay of the null_blk device that holds the pin, in milliseconds. */
  pinMs: number;
  /**
   * Kernel log ring buffer, in KiB (log_buf_len=): large enough that no record of a case is
   * overwritten before daxlab reads it. A value at or below the kernel's built-in size keeps that size.
   */
  logBufKiB: number;
  /**
   * How many cases may run at once in one guest (each with its own delayed device and file;
   * exclusive workloads still run alone). 1 runs them one after the other.
   */
  lanes: number;
  /** Path of the QEMU binary (default: qemu-system-x86_64 from PATH). */
  qemu?: string;
  /** Path of virtiofsd (virtiofs backend only). */
  virtiofsd?: string;
}

export interface Timeouts {
  buildSec: number;
  bootSec: number;
  caseSec: number;
}

/** An expected failure of this plan's kernel: cases whose id matches `case` are reported as known. */
export interface KnownIssue {
  /** Glob on the case id; `*` matches any run of characters (including `/`), everything else is literal. */
  case: string;
  /** Why the case is expected to fail. */
  reason: string;
  /** Where the issue is tracked: a URL, a commit or a mailing-list thread. */
  ref: string;
  /**
   * Kernel releases the entry applies to (plan key `kernels`): ranges such as "6.1" or ">=6.12 <6.15",
   * any of which may hold (see kernel-range.ts). Absent: every kernel.
   */
  kernels?: string[];
}

export interface Plan {
  name: string;
  /** File the plan came from, or "<default>". */
  file: string;
  /** The first of `kernels`: what the one-kernel commands (build, boot) use. */
  kernel: KernelSpec;
  /** Every kernel of the run (labels are distinct); a plan with `kernel:` has one. */
  kernels: KernelSpec[];
  /** Where the cases run: target names ("local" is the QEMU on this machine). */
  targets: string[];
  backend: BackendName;
  filesystems: FsName[];
  workloads: WorkloadSpec[];
  repeats: number;
  timeouts: Timeouts;
  vm: VmOptions;
  /** Expected failures of this kernel (empty when the plan lists none). */
  known: KnownIssue[];
  /**
   * Case globs whose skips are expected (a backend this host cannot provide, an operation a
   * filesystem does not support). A run in which nothing passed exits 4 unless every skip is expected.
   */
  expectedSkips: string[];
}

/** One concrete case after matrix expansion. */
export interface TestCase {
  /** Stable id: "<fs>/<workload>/<k=v,...>#<repeat>". */
  id: string;
  fs: FsName;
  workload: string;
  params: Record<string, string | number>;
  repeat: number;
  timeoutSec: number;
  /** The label of the kernel the case runs on (set for a run's cases; see expandRun). */
  kernel?: string;
  /** The target the case runs on (set for a run's cases). */
  target?: string;
}

/** A problem found in a plan: file, line and the dotted field path. */
export interface PlanIssue {
  file: string;
  line: number;
  field: string;
  message: string;
}

/** One workload param as the plan parser sees it (a subset of the catalogue's ParamDef). */
export interface KnownParam {
  /** Allowed values; undefined means any non-negative integer. */
  values?: readonly string[];
  default: Array<string | number>;
}

/** Workload name -> its params, passed in so the parser never imports the catalogue. */
export type KnownWorkloads = Record<string, Record<string, KnownParam>>;

/** What the pure plan parser needs from outside: where paths resolve, and what exists. */
export interface PlanContext {
  /** Directory that relative paths resolve against (the plan file's directory, or the cwd for CLI flags). */
  baseDir: string;
  /** The repository's kernel-configs/ directory; bare config names resolve to <configsDir>/<name>.config. */
  configsDir: string;
  fileExists(path: string): boolean;
  knownWorkloads: KnownWorkloads;
  /** Workloads a plan without a `workloads:` key runs (opt-in ones such as fault injection excluded); default: all known. */
  defaultWorkloadNames?: readonly string[];
}
