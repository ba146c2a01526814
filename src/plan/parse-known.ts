// Reads the `known:` list of a plan: expected failures of its kernel, each a case glob,
// a reason and a reference (URL, commit or list thread).
import type { Node } from 'yaml';
import { FILESYSTEMS } from './defaults.js';
import { globMatches } from './glob.js';
import type { KnownIssue, KnownWorkloads } from './types.js';
import { fieldOf, isAbsent, readList, readMap, readString, report, type Item, type Reader, type YNode } from './yaml-read.js';

const ENTRY_KEYS = ['case', 'reason', 'ref'] as const;

/** Reads the known-issues list; empty when absent. */
export function readKnown(r: Reader, node: YNode, workloads: KnownWorkloads): KnownIssue[] | undefined {
  if (isAbsent(node)) return [];
  const items = readList(r, node, 'known');
  if (!items) return undefined;
  const before = r.issues.length;
  const out: KnownIssue[] = [];
  for (const item of items) {
    const entry = readEntry(r, item, workloads);
    if (!entry) continue;
    if (out.some((k) => k.case === entry.case)) report(r, item.node, fieldOf(item.field, 'case'), `duplicate known issue for case '${entry.case}'`);
    else out.push(entry);
  }
  return r.issues.length > before ? undefined : out;
}

/** Reads one `{ case, reason, ref }` entry; all three are required non-blank strings. */
function readEntry(r: Reader, item: Item, workloads: KnownWorkloads): KnownIssue | undefined {
  const fields = readMap(r, item.node, item.field, ENTRY_KEYS);
  if (!fields) return undefined;
  const before = r.issues.length;
  const text = (key: (typeof ENTRY_KEYS)[number]): string => {
    const valueNode = fields.get(key);
    const field = fieldOf(item.field, key);
    if (!valueNode) {
      report(r, item.node, field, `missing required key '${key}'`);
      return '';
    }
    const value = readString(r, valueNode, field) ?? '';
    if (value !== '' && value.trim() === '') report(r, valueNode, field, 'expected a non-empty string');
    return value;
  };
  const entry: KnownIssue = { case: text('case'), reason: text('reason'), ref: text('ref') };
  if (r.issues.length > before) return undefined;
  checkGlob(r, fields.get('case')!, fieldOf(item.field, 'case'), entry.case, workloads);
  return r.issues.length > before ? undefined : entry;
}

/**
 * Catches typos: a case id is "<fs>/<workload>/<params>#<repeat>" and none of its parts holds a
 * `/`, so in a glob with exactly two `/` the first part must match a filesystem and the second
 * a workload of the catalogue. Other globs are taken as they are.
 */
function checkGlob(r: Reader, node: Node, field: string, glob: string, workloads: KnownWorkloads): void {
  const parts = glob.split('/');
  if (parts.length !== 3) return;
  const [fsPart, workloadPart] = parts as [string, string, string];
  if (!FILESYSTEMS.some((fs) => globMatches(fsPart, fs))) {
    report(r, node, field, `'${fsPart}' matches no filesystem; expected one of: ${FILESYSTEMS.join(', ')} (or *)`);
  }
  const names = Object.keys(workloads);
  if (!names.some((name) => globMatches(workloadPart, name))) {
    report(r, node, field, `'${workloadPart}' matches no workload; expected one of: ${names.join(', ')} (or *)`);
  }
}
