// The target file (YAML): named places where cases run besides "local". Parsed like plans: every
// problem names the file, line and field. Paths in it are relative to the file.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { DaxlabError } from '../errors.js';
import { LOCAL_TARGET } from '../plan/defaults.js';
import { planInvalidError } from '../plan/load.js';
import { TARGET_NAME } from '../plan/parse.js';
import type { PlanIssue } from '../plan/types.js';
import { describeNode, isAbsent, readMap, report, type Reader } from '../plan/yaml-read.js';
import { readTarget, TARGET_KEYS } from './target-fields.js';
export { expandPath } from './target-fields.js';
import type { TargetSpec } from './target-spec.js';

export type { KvmHostSpec, MachineSpec, SshSpec, TargetSpec } from './target-spec.js';
export { TARGET_KINDS } from './target-spec.js';

/** Parse a target file's text; returns the targets only when there are no issues. */
export function parseTargetText(text: string, file: string, home = homedir()): { targets?: Map<string, TargetSpec>; issues: PlanIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const r: Reader = { file, lines, doc, issues: [] };
  for (const e of [...doc.errors, ...doc.warnings]) {
    r.issues.push({ file, line: lines.linePos(e.pos[0]).line, field: '', message: e.message.split('\n')[0] ?? e.message });
  }
  const top = readMap(r, doc.contents, '', ['targets']);
  const list = top?.get('targets');
  const out = new Map<string, TargetSpec>();
  if (top && isAbsent(list)) report(r, doc.contents, 'targets', 'expected a mapping of target names to targets');
  if (list && !isMap(list)) report(r, list, 'targets', `expected a mapping of target names to targets, got ${describeNode(list)}`);
  for (const pair of isMap(list) ? list.items : []) {
    // Problems of a whole target are reported on the line of its name.
    const key = pair.key as Node;
    const name = String(isScalar(key) ? key.value : '');
    const field = `targets.${name}`;
    if (!TARGET_NAME.test(name)) report(r, key, field, `expected a target name (letters, digits, . _ -), got '${name}'`);
    else if (name === LOCAL_TARGET) report(r, key, field, `'${LOCAL_TARGET}' is built in (QEMU on this machine) and cannot be redefined`);
    else if (out.has(name)) report(r, key, field, `target '${name}' is declared twice`);
    else {
      const fields = readMap(r, pair.value as Node | null, field, TARGET_KEYS);
      const t = fields ? readTarget(r, { fields, key, field, name, base: dirname(resolve(file)), home }) : undefined;
      if (t) out.set(name, t);
    }
  }
  return r.issues.length === 0 ? { targets: out, issues: [] } : { issues: r.issues.sort((a, b) => a.line - b.line) };
}

/** Read and validate a target file; throws PLAN_INVALID listing every issue, or naming a missing file. */
export async function loadTargetFile(path: string): Promise<Map<string, TargetSpec>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DaxlabError('PLAN_INVALID', `target file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
  }
  const { targets, issues } = parseTargetText(text, path);
  if (!targets) throw planInvalidError(issues, `invalid target file ${path}`);
  return targets;
}
