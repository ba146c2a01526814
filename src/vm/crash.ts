// Pure: recognizing a kernel crash in console text. One place for the patterns that the boot wait,
// the lost-guest classifier and the boot-failure report use.

/** The line a kernel panic starts with: the kernel is gone, so waiting for it is pointless. */
export const PANIC_RE = /Kernel panic - not syncing/;

/** Lines that open a crash report (the block may end in a panic, or the kernel may limp on). */
const CRASH_START = /Kernel panic - not syncing|BUG: unable to handle|Oops:|general protection fault|kernel BUG at|sysrq: Trigger a crash/;

/** Lines that name a crash best: the panic, Oops or BUG line. */
const HEADLINE = /Kernel panic|Oops|\bBUG\b/;

/** The crash block (from the first crash line, up to 60 lines) or null when the console shows none. */
export function extractPanic(lines: string[]): string | null {
  const i = lines.findIndex((l) => CRASH_START.test(l));
  if (i < 0) return null;
  return lines.slice(i, i + 60).join('\n');
}

/** The first line of lines that names a crash (panic, Oops, BUG), or undefined. */
export function crashHeadline(lines: string[]): string | undefined {
  return lines.find((l) => HEADLINE.test(l));
}
