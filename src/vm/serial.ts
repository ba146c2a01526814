// Reading the guest's serial log: tails and waiting for a line, with panic detection.
import { readFileSync } from 'node:fs';
import { PANIC_RE } from './crash.js';

/** Lines of text, without a trailing empty line. */
export function lastLines(text: string, n: number): string[] {
  const lines = text.replace(/\r/g, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-n);
}

/** The whole serial log so far ("" when it does not exist yet). */
export function readSerial(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

/** What ended a wait on the serial log. */
export type SerialWait =
  | { kind: 'match'; match: RegExpMatchArray }
  | { kind: 'fail'; match: RegExpMatchArray }
  | { kind: 'panic' }
  | { kind: 'exited' }
  | { kind: 'timeout' };

/** Poll the log until `want` or `failOn` matches, a panic shows, `isExited()` turns true, or time runs out. */
export async function watchSerial(
  file: string,
  want: RegExp,
  opts: { timeoutMs: number; failOn?: RegExp; isExited: () => boolean; pollMs?: number },
): Promise<SerialWait> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    // Read before checking exit, so output written just before QEMU died is seen.
    const exited = opts.isExited();
    const text = readSerial(file);
    const fail = opts.failOn ? text.match(opts.failOn) : null;
    if (fail) return { kind: 'fail', match: fail };
    const m = text.match(want);
    if (m) return { kind: 'match', match: m };
    if (PANIC_RE.test(text)) return { kind: 'panic' };
    if (exited) return { kind: 'exited' };
    if (Date.now() >= deadline) return { kind: 'timeout' };
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
}
