// Escaping and validation of values that go into QEMU options and the kernel command line (pure).
import { DaxlabError } from '../errors.js';

/** A value for a QEMU `key=value,...` option list: QEMU reads ",," as a literal comma. */
export function qemuOpt(value: string): string {
  return value.replaceAll(',', ',,');
}

// The kernel splits its command line on whitespace and treats quotes specially;
// keep to characters that survive that untouched.
const CMDLINE_SAFE = /^[A-Za-z0-9_./:=,+@%~-]+$/;

/** Throws unless `value` can be carried as one word of the kernel command line. */
export function assertCmdlineWord(what: string, value: string): string {
  if (!CMDLINE_SAFE.test(value)) {
    throw new DaxlabError('USAGE', `${what} cannot be put on the kernel command line: ${JSON.stringify(value)}`, [
      'Use a path made of letters, digits and . _ / - + : = , @ % ~ (no spaces or quotes).',
    ]);
  }
  return value;
}

// Linux limits AF_UNIX socket paths to 108 bytes including the terminating NUL.
const UNIX_PATH_MAX = 107;

/** Throws unless `p` fits in a unix socket address. */
export function assertSocketPath(what: string, p: string): string {
  if (Buffer.byteLength(p) > UNIX_PATH_MAX) {
    throw new DaxlabError('USAGE', `${what} is too long for a unix socket (${Buffer.byteLength(p)} > ${UNIX_PATH_MAX} bytes): ${p}`, [
      'Use a shorter run directory.',
    ]);
  }
  return p;
}
