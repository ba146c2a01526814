// Reads a plan file from disk and parses it; the only plan module that touches the filesystem.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DaxlabError } from '../errors.js';
import { extendsOf, mergePlanTexts } from './extend.js';
import { formatIssues } from './format.js';
import { parsePlanText } from './parse.js';
import type { Plan, PlanContext, PlanIssue } from './types.js';

/** What loadPlanFile needs: the context minus what it derives from the file itself. */
export type LoadContext = Omit<PlanContext, 'fileExists' | 'baseDir'>;

/** True when a file or directory exists at the path. */
export function fileExistsOnDisk(path: string): boolean {
  return existsSync(path);
}

/** A PLAN_INVALID error whose detail lists every issue as "file:line: field: message". */
export function planInvalidError(issues: readonly PlanIssue[], what: string): DaxlabError {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new DaxlabError('PLAN_INVALID', `${what}: ${count}`, formatIssues(issues));
}

/** Reads and validates a plan file; throws PLAN_INVALID listing every issue, or naming a missing file. */
export async function loadPlanFile(path: string, ctx: LoadContext, seen: readonly string[] = []): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : String((err as Error).message);
    throw new DaxlabError('PLAN_INVALID', `plan file ${path}: ${reason}`);
  }
  const full: PlanContext = { ...ctx, baseDir: dirname(resolve(path)), fileExists: fileExistsOnDisk };
  const { plan, issues } = parsePlanText(text, path, full);
  if (!plan || issues.length > 0) throw planInvalidError(issues, `invalid plan ${path}`);
  const base = extendsOf(text);
  if (base === null) return plan;
  // The base is checked on its own (its issues name its file and lines), then the two together;
  // paths in either resolve from the extending plan's directory.
  const basePath = resolve(dirname(resolve(path)), base);
  if (seen.includes(basePath)) throw new DaxlabError('PLAN_INVALID', `plan ${path}: extends ${base}, which extends it back (${[...seen, basePath].join(' -> ')})`);
  await loadPlanFile(basePath, ctx, [...seen, resolve(path)]);
  const merged = parsePlanText(mergePlanTexts(await readFile(basePath, 'utf8'), text), path, full);
  if (!merged.plan || merged.issues.length > 0) throw planInvalidError(merged.issues, `invalid plan ${path} over ${base}`);
  return merged.plan;
}
