// Framing of commands on one long-lived guest shell (pure): each command's stdout and
// stderr are followed by a marker that holds a per-session nonce and a sequence number.
import { shellQuote } from './quote.js';

/** The marker that ends the output of command `seq` on both streams. */
export function marker(nonce: string, seq: number): string {
  return `__DAXLAB_${nonce}_${seq}__`;
}

/**
 * The shell input for one command: argv with stdin from /dev/null, then the marker with
 * the exit status on stdout and the marker alone on stderr. printf is a bash builtin, so
 * the framing costs no extra process.
 */
export function frameCommand(argv: readonly string[], mark: string): string {
  return frameScript(`${shellQuote(argv)} </dev/null`, mark);
}

/**
 * The first input of a session shell: job control on (`set -m`: every command gets its
 * own process group, so a timed-out command is killed with all its children), then the
 * shell's pid as the output.
 */
export function shellInit(mark: string): string {
  return frameScript(`set -m; printf '%d' "$$"`, mark);
}

function frameScript(script: string, mark: string): string {
  return `${script}; printf '\\n%s %d\\n' ${mark} "$?"; printf '\\n%s\\n' ${mark} >&2\n`;
}

/** The result of one framed command. */
export interface FramedResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** Collects both streams until each holds the marker, then splits off the command's output. */
export class FrameParser {
  private out: Buffer[] = [];
  private err: Buffer[] = [];

  constructor(private readonly mark: string) {}

  /** Add data from one stream. */
  push(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    (stream === 'stdout' ? this.out : this.err).push(chunk);
  }

  /** The output seen so far (for timeouts), without any marker. */
  partial(): { stdout: Buffer; stderr: Buffer } {
    return { stdout: Buffer.concat(this.out), stderr: Buffer.concat(this.err) };
  }

  /** The result once both markers have arrived, else undefined. */
  result(): FramedResult | undefined {
    const out = Buffer.concat(this.out);
    const err = Buffer.concat(this.err);
    this.out = [out];
    this.err = [err];
    // The marker is printed after a newline; that newline is framing, not output.
    const outAt = out.indexOf(`\n${this.mark} `);
    const errAt = err.indexOf(`\n${this.mark}\n`);
    if (outAt < 0 || errAt < 0) return undefined;
    const statusStart = outAt + this.mark.length + 2;
    const statusEnd = out.indexOf('\n', statusStart);
    if (statusEnd < 0) return undefined;
    return {
      exitCode: Number(out.subarray(statusStart, statusEnd).toString('latin1')),
      stdout: out.subarray(0, outAt),
      stderr: err.subarray(0, errAt),
    };
  }
}
