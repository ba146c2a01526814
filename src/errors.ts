// Typed errors: each has a code and a message a person can act on. Known errors
// print without a stack; the exit code follows the error's class.

export type ErrorCode =
  | 'PLAN_INVALID'
  | 'USAGE'
  | 'PATCH_FAILED'
  | 'CONFIG_DROPPED'
  | 'BUILD_FAILED'
  | 'SOURCE_INVALID'
  | 'HOST_MISSING'
  | 'BOOT_FAILED'
  | 'GUEST_FAILED'
  | 'RESULTS_IO'
  | 'CACHE_IO'
  | 'LOCK_TIMEOUT'
  | 'ARCHIVE_INVALID'
  | 'QUEUE_UNREACHABLE'
  | 'TARGET_FAILED'
  | 'INTERRUPTED';

/**
 * Exit codes: 0 all passed, 1 a case failed (or a known issue passed, or a kernel-log finding), 2 usage
 * or plan error, 3 no case failed but some was flaky, 4 nothing passed because of skips the plan did
 * not expect, 69 infrastructure failure, 75 a lab run still running (lab status, lab results), 130/143 interrupted. When several apply: 1, 69, 3, then 4.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, flaky: 3, allSkipped: 4, infra: 69, pending: 75, sigint: 130, sigterm: 143 } as const;

export class DaxlabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra lines shown under the message (log tails, fix hints). */
    readonly detail: string[] = [],
  ) {
    super(message);
    this.name = 'DaxlabError';
  }

  /** Exit code for this error: bad input is 2, everything else is infrastructure. */
  get exitCode(): number {
    switch (this.code) {
      case 'PLAN_INVALID':
      case 'USAGE':
      case 'PATCH_FAILED':
      case 'CONFIG_DROPPED':
      case 'SOURCE_INVALID':
      case 'ARCHIVE_INVALID':
        return EXIT.usage;
      case 'INTERRUPTED':
        return EXIT.sigint;
      default:
        return EXIT.infra;
    }
  }
}
