// The guest session's public shapes.

/** Options for one command in the guest. */
export interface ExecOptions {
  /** The command is killed (its whole process group) after this long. */
  timeoutMs: number;
  /** Bytes for the command's standard input (default: /dev/null). */
  stdin?: string | Buffer;
}

/** What one command in the guest produced. */
export interface ExecResult {
  /** Exit status; null when the host gave up on the command (guest unresponsive). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** True when the command ran into its timeout. */
  timedOut: boolean;
  /** Wall time on the host, in milliseconds. */
  durationMs: number;
}

/** A guest command the host lost track of (timed out, or the connection ended): what it had printed so far. */
export interface RunningCommand {
  argv: string[];
  /** How long it had run, on the host's clock, in milliseconds. */
  durationMs: number;
  /** Its stdout and stderr up to that moment. */
  stdout: string;
  stderr: string;
}

/** Why a session ended. */
export interface SessionClosed {
  reason: string;
}

/** A logged-in SSH connection to the guest. */
export interface GuestSession {
  /** Run argv (never a shell string) on the session's long-lived shell; commands run one at a time. */
  exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult>;
  /**
   * Lane n: another long-lived shell on the same connection (lane 0 is exec's), so that commands of
   * different lanes run at the same time, each lane's one at a time.
   */
  lane(n: number): { exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> };
  /** Run argv on a fresh SSH exec channel (slower; may run alongside others). */
  execChannel(argv: readonly string[], opts: ExecOptions): Promise<ExecResult>;
  /** An interactive login shell on a pty, wired to the given streams; resolves with its exit status. */
  interactive(io: InteractiveIo): Promise<number>;
  /** Settles when the connection ends, for whatever reason. */
  readonly closed: Promise<SessionClosed>;
  /** Call `cb` when the connection ends. */
  onClose(cb: (c: SessionClosed) => void): void;
  /** End the connection (idempotent). */
  close(): Promise<void>;
}

/** Streams and terminal size for an interactive shell. */
export interface InteractiveIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  term: string;
  rows: number;
  cols: number;
}
