// A workload: what to run in the guest for one case, and how to judge its output.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';

export interface GuestOutput {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command hit its timeout. */
  timedOut?: boolean;
}

/** Paths in the guest that workloads use. */
export interface GuestEnv {
  /** Directory holding the compiled workload binaries. */
  binDir: string;
  /** Mount point of the DAX filesystem under test. */
  mountPoint: string;
  /** Block device with delayed completion that holds pins (e.g. /dev/nullb0). */
  delayDevice: string;
  /** The delay of that device, in milliseconds. */
  pinMs: number;
}

export interface ParamDef {
  /** Allowed values; undefined means any non-negative integer. */
  values?: readonly string[];
  default: Array<string | number>;
  description: string;
}

export interface Workload {
  name: string;
  /** One paragraph: what it does, which kernel path it exercises, its oracle. */
  description: string;
  params: Record<string, ParamDef>;
  /** argv to run in the guest (argv[0] an absolute path); never a shell string. */
  command(tc: TestCase, env: GuestEnv): string[];
  judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict;
  /** False keeps the workload out of the built-in plan (plans can still name it); default true. */
  inDefaultPlan?: boolean;
  /**
   * What a case must have to itself while it runs: 'guest' (no other case runs meanwhile: it
   * panics, taints, or changes global state), 'fs' (no other case on its filesystem: it fills or
   * unmounts it), or undefined (it may run beside others, each with its own device and file).
   */
  exclusive?(tc: TestCase): 'guest' | 'fs' | undefined;
  /** Why this case must not run at all (it is a skip, decided before anything runs), or undefined. */
  notRunnable?(tc: TestCase): string | undefined;
  /** True for daxlab's own test workloads: usable in plans, not listed by `daxlab list`. */
  testOnly?: boolean;
}
