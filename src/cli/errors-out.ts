// Turn any thrown error into one clear message and an exit code: known errors without a stack.
import { DaxlabError, EXIT } from '../errors.js';

/** Print an error for a person and return the exit code it maps to. */
export function reportError(err: unknown, stream: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof DaxlabError) {
    stream.write(`daxlab: error: ${err.message}\n`);
    for (const line of err.detail) stream.write(`  ${line}\n`);
    return err.exitCode;
  }
  const e = err as { code?: string; exitCode?: number; message?: string };
  if (e && (e.code === 'commander.helpDisplayed' || e.code === 'commander.version')) return EXIT.ok;
  if (e && typeof e.code === 'string' && e.code.startsWith('commander.')) return EXIT.usage;
  stream.write(`daxlab: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.infra;
}
