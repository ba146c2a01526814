// Reading a case's parameters against a workload's definitions, and naming the
// per-case files that workloads create in the guest.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { TestCase } from '../plan/types.js';
import type { ParamDef } from './types.js';

function raw(tc: TestCase, name: string, def: ParamDef): string | number {
  const v = tc.params[name] ?? def.default[0];
  if (v === undefined) {
    throw new DaxlabError('PLAN_INVALID', `case ${tc.id}: parameter ${name} is missing`);
  }
  return v;
}

/** The value of an enumerated parameter (its first default when absent). */
export function enumParam(tc: TestCase, name: string, def: ParamDef): string {
  const v = String(raw(tc, name, def));
  if (def.values && !def.values.includes(v)) {
    throw new DaxlabError(
      'PLAN_INVALID',
      `case ${tc.id}: ${name} must be one of ${def.values.join(', ')}, got "${v}"`,
    );
  }
  return v;
}

/** The value of a non-negative integer parameter (its first default when absent). */
export function intParam(tc: TestCase, name: string, def: ParamDef): number {
  const v = raw(tc, name, def);
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new DaxlabError('PLAN_INVALID', `case ${tc.id}: ${name} must be a non-negative integer, got "${v}"`);
  }
  return n;
}

/**
 * A file name for a case: the case id with every character outside
 * [A-Za-z0-9._-] replaced by "_", prefixed; long ids are cut and get a hash.
 */
export function caseFileName(prefix: string, caseId: string): string {
  const safe = `${prefix}-${caseId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  if (safe.length <= 200) return safe;
  const hash = createHash('sha256').update(caseId).digest('hex').slice(0, 16);
  return `${safe.slice(0, 180)}-${hash}`;
}

/** The absolute guest path of a case's file under the mount point. */
export function caseFilePath(mountPoint: string, prefix: string, caseId: string): string {
  return posix.join(mountPoint, caseFileName(prefix, caseId));
}
