// The kernel's taint mask (/proc/sys/kernel/tainted), decoded as kernel/panic.c and
// Documentation/admin-guide/tainted-kernels.rst name its bits.

/** Bit number -> letter and meaning (6.x). */
export const TAINT_FLAGS: ReadonlyArray<readonly [bit: number, letter: string, meaning: string]> = [
  [0, 'P', 'proprietary module loaded'],
  [1, 'F', 'module force loaded'],
  [2, 'S', 'kernel running on an out-of-specification system'],
  [3, 'R', 'module force unloaded'],
  [4, 'M', 'machine check'],
  [5, 'B', 'bad page referenced or unexpected page flags'],
  [6, 'U', 'taint requested by userspace'],
  [7, 'D', 'kernel died recently (OOPS or BUG)'],
  [8, 'A', 'ACPI table overridden'],
  [9, 'W', 'kernel issued a warning'],
  [10, 'C', 'staging driver loaded'],
  [11, 'I', 'workaround for a platform firmware bug'],
  [12, 'O', 'externally built (out-of-tree) module loaded'],
  [13, 'E', 'unsigned module loaded'],
  [14, 'L', 'soft lockup occurred'],
  [15, 'K', 'kernel live patched'],
  [16, 'X', 'auxiliary taint'],
  [17, 'T', 'kernel built with the struct randomization plugin'],
  [18, 'N', 'in-kernel test run'],
];

/**
 * Taints daxlab causes on purpose and that say nothing about the kernel under test: loading its own
 * test modules (O out-of-tree, E unsigned) and running in-kernel tests (N, e.g. KUnit).
 */
export const EXPECTED_TAINT_MASK = (1 << 12) | (1 << 13) | (1 << 18);

/** The bits of mask that mean the kernel misbehaved (every bit but the expected ones). */
export function badTaint(mask: number): number {
  return mask < 0 ? 0 : mask & ~EXPECTED_TAINT_MASK;
}

/** Bits set in `after` that were not set in `before`, and that mean the kernel misbehaved. */
export function newBadTaint(before: number, after: number): number {
  return badTaint(after) & ~Math.max(before, 0);
}

/** "W (kernel issued a warning), D (kernel died recently (OOPS or BUG))" for a mask; "none" for 0. */
export function describeTaint(mask: number): string {
  if (mask <= 0) return 'none';
  const names = TAINT_FLAGS.filter(([bit]) => (mask & (1 << bit)) !== 0).map(([, l, m]) => `${l} (${m})`);
  const known = TAINT_FLAGS.reduce((m, [bit]) => m | (1 << bit), 0);
  const unknown = mask & ~known;
  return [...names, ...(unknown ? [`unknown bits 0x${unknown.toString(16)}`] : [])].join(', ');
}

/** The letters of a mask, as the kernel prints them in "Tainted: ..." ("WD"), "" for none. */
export function taintLetters(mask: number): string {
  return TAINT_FLAGS.filter(([bit]) => mask > 0 && (mask & (1 << bit)) !== 0).map(([, l]) => l).join('');
}
