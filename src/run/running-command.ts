// Pure: how a lost guest is described: the command it was running (argv), for how long, the tail
// of what that command printed, and the tail of the serial console. A hang then explains itself.
import { quoteWord } from '../guest/quote.js';
import type { RunningCommand } from '../guest/types.js';

/** Lines of each stream, and of the console, kept in the result's detail. */
export const TAIL_LINES = { output: 20, console: 30 } as const;
// The longest excerpt of one line that goes into the one-line reason.
const EXCERPT_CHARS = 160;

function nonEmptyLines(text: string): string[] {
  return text.replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
}

function excerpt(line: string | undefined): string {
  if (line === undefined) return 'nothing';
  const t = line.trim();
  return JSON.stringify(t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS)}...` : t);
}

/** A one-line summary for the reason, and the detail lines (command, stream tails, console tail). */
export function describeRunning(cmd: RunningCommand | undefined, console: readonly string[]): { summary: string; lines: string[] } {
  const consoleLines = console.filter((l) => l.trim() !== '').slice(-TAIL_LINES.console);
  const consolePart = `console last said ${excerpt(consoleLines.at(-1))}`;
  const consoleDetail = [`serial console (last ${consoleLines.length} lines):`, ...consoleLines.map((l) => `  ${l}`)];
  if (!cmd) return { summary: consolePart, lines: consoleDetail };
  // For reading, not for a shell: every word as quoteWord shows it (plain words stay plain).
  const argv = (cmd.argv.length > 0 ? cmd.argv : ['?']).map(quoteWord).join(' ');
  const secs = (cmd.durationMs / 1000).toFixed(1);
  const out = nonEmptyLines(cmd.stdout);
  const err = nonEmptyLines(cmd.stderr);
  const summary =
    `the guest was running \`${argv}\` for ${secs} s; ` +
    `it last printed ${excerpt(out.at(-1))} on stdout and ${excerpt(err.at(-1))} on stderr; ${consolePart}`;
  const tail = (name: string, lines: string[]) => {
    const kept = lines.slice(-TAIL_LINES.output);
    return [`${name} (last ${kept.length} of ${lines.length} lines):`, ...kept.map((l) => `  ${l}`)];
  };
  return {
    summary,
    lines: [`guest command: ${argv}`, `ran for: ${secs} s`, ...tail('stdout', out), ...tail('stderr', err), ...consoleDetail],
  };
}
