// The error a guest command fails with when its shell or connection ends under it: it keeps the
// argv, how long the command ran and what it had printed, for the lost-guest report.
import { DaxlabError } from '../errors.js';
import type { RunningCommand } from './types.js';

/** A command whose guest shell went away while it ran (GUEST_FAILED), with its partial output. */
export class CommandLostError extends DaxlabError {
  constructor(
    message: string,
    readonly command: RunningCommand,
  ) {
    super('GUEST_FAILED', message);
  }
}
