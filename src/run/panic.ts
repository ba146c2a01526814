// Pure: find a kernel crash in the serial console and return its block of lines.

const CRASH = /Kernel panic - not syncing|BUG: unable to handle|Oops:|general protection fault|kernel BUG at|sysrq: Trigger a crash/;

/** The crash block (from the first crash line, up to 60 lines) or null when the console shows none. */
export function extractPanic(lines: string[]): string | null {
  const i = lines.findIndex((l) => CRASH.test(l));
  if (i < 0) return null;
  return lines.slice(i, i + 60).join('\n');
}
