// Where a lab run's plan lives: inside the daxlab checkout it is stored relative to it, so hosts with
// the checkout at other paths find it; a worker refuses a plan whose content differs from the one submitted.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { DaxlabError } from '../errors.js';
import { extendsOf } from '../plan/extend.js';

/** sha256 of a plan's text. */
export function planSha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The text a run's plan stands for: the file's, then each plan it extends (read from disk), in order. */
export function planChainText(file: string, depth = 0): string {
  const text = readFileSync(file, 'utf8');
  const base = extendsOf(text);
  if (base === null || depth >= 8) return text;
  return `${text}\0${planChainText(resolve(dirname(file), base), depth + 1)}`;
}

/** Pure: the plan path as a run stores it: relative to the checkout when inside it, else absolute. */
export function storedPlanPath(file: string, repoRoot: string): string {
  const abs = resolve(file);
  const rel = relative(repoRoot, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

/** The plan file on this host, checked (with the plans it extends) against the submitted sha256; throws USAGE (not retried) when it differs. */
export function localPlanFile(stored: string, sha256: string, repoRoot: string): string {
  const file = isAbsolute(stored) ? stored : join(repoRoot, stored);
  let text: string;
  try {
    text = planChainText(file);
  } catch (err) {
    throw new DaxlabError('USAGE', `plan ${file} is not on this worker: ${(err as Error).message}`, ['every worker needs the same daxlab checkout (plans, patches, kernel-configs)']);
  }
  if (planSha256(text) !== sha256) {
    throw new DaxlabError('USAGE', `plan ${file} on this worker differs from the one submitted (sha256 ${planSha256(text).slice(0, 12)}, submitted ${sha256.slice(0, 12)})`, ['check out the same daxlab commit on every worker']);
  }
  return file;
}
