// Reads the `known:` list of a plan: expected failures of its kernel, each a case glob,
// a reason, a reference (URL, commit or list thread) and optionally the kernel versions it applies to.
import { isScalar, type Node } from 'yaml';
import { FILESYSTEMS } from './defaults.js';
import { globMatches } from './glob.js';
import { rangeProblem } from './kernel-range.js';
import type { KnownIssue, KnownWorkloads } from './types.js';
import { fieldOf, isAbsent, readList, readMap, readString, report, type Item, type Reader, type YNode } from './yaml-read.js';

const ENTRY_KEYS = ['case', 'reason', 'ref', 'kernels'] as const;
const REQUIRED_KEYS = ['case', 'reason', 'ref'] as const;

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
    // The same glob may appear once per kernel scope (6.1 and 6.12 can fail the same case differently).
    const scope = (k: KnownIssue) => JSON.stringify(k.kernels ?? null);
    if (out.some((k) => k.case === entry.case && scope(k) === scope(entry))) {
      const kernels = entry.kernels ? ` and kernels ${entry.kernels.join(', ')}` : '';
      report(r, item.node, fieldOf(item.field, 'case'), `duplicate known issue for case '${entry.case}'${kernels}`);
    } else out.push(entry);
  }
  return r.issues.length > before ? undefined : out;
}

/** Reads one `{ case, reason, ref, kernels? }` entry; the first three are required non-blank strings. */
function readEntry(r: Reader, item: Item, workloads: KnownWorkloads): KnownIssue | undefined {
  const fields = readMap(r, item.node, item.field, ENTRY_KEYS);
  if (!fields) return undefined;
  const before = r.issues.length;
  const text = (key: (typeof REQUIRED_KEYS)[number]): string => {
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
  const kernelsNode = fields.get('kernels');
  const kernels = kernelsNode ? readKernels(r, kernelsNode, fieldOf(item.field, 'kernels')) : undefined;
  if (kernels) entry.kernels = kernels;
  if (r.issues.length > before) return undefined;
  checkGlob(r, fields.get('case')!, fieldOf(item.field, 'case'), entry.case, workloads);
  return r.issues.length > before ? undefined : entry;
}

/** Reads `kernels`: one version range or a list of them (any may hold), each checked word by word. */
function readKernels(r: Reader, node: Node, field: string): string[] | undefined {
  const items = readList(r, node, field);
  if (!items) return undefined;
  if (items.length === 0) {
    report(r, node, field, 'expected at least one version range, such as 6.1 or ">=6.12 <6.15"');
    return undefined;
  }
  const out: string[] = [];
  for (const item of items) {
    // YAML reads an unquoted 6.1 as a number: take it as the version it was meant to be.
    const scalar = isScalar(item.node) && typeof item.node.value === 'number' ? String(item.node.source ?? item.node.value) : undefined;
    const value = scalar ?? readString(r, item.node, item.field);
    if (value === undefined) continue;
    const problem = rangeProblem(value);
    if (problem) report(r, item.node, item.field, problem);
    else out.push(value.trim().split(/\s+/).join(' '));
  }
  return out.length === items.length ? out : undefined;
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
