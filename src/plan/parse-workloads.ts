// Reads the `workloads:` list of a plan, checking names and params against the catalogue.
import { isScalar, type Node } from 'yaml';
import { defaultParams, defaultWorkloads } from './defaults.js';
import type { KnownParam, KnownWorkloads, WorkloadSpec } from './types.js';
import { describeNode, fieldOf, isAbsent, readList, readMap, readString, report, type Item, type Reader, type YNode } from './yaml-read.js';

const ENTRY_KEYS = ['name', 'params'] as const;

/** Reads the workloads list; when absent, the default workloads (all known ones unless named) with default params. */
export function readWorkloads(
  r: Reader,
  node: YNode,
  known: KnownWorkloads,
  defaultNames?: readonly string[],
): WorkloadSpec[] | undefined {
  if (isAbsent(node)) {
    const names = defaultNames ?? Object.keys(known);
    return defaultWorkloads(Object.fromEntries(names.filter((n) => known[n]).map((n) => [n, known[n]!])));
  }
  const items = readList(r, node, 'workloads');
  if (!items) return undefined;
  if (items.length === 0) {
    report(r, node, 'workloads', 'expected at least one workload');
    return undefined;
  }
  const before = r.issues.length;
  const out = items.map((item) => readEntry(r, item, known));
  if (r.issues.length > before) return undefined;
  return out.filter((w): w is WorkloadSpec => w !== undefined);
}

/** Reads one entry: a bare workload name, or {name, params}. */
function readEntry(r: Reader, item: Item, known: KnownWorkloads): WorkloadSpec | undefined {
  if (isScalar(item.node)) {
    const name = readKnownName(r, item.node, item.field, known);
    return name === undefined ? undefined : { name, params: defaultParams(known[name]!) };
  }
  const fields = readMap(r, item.node, item.field, ENTRY_KEYS);
  if (!fields) return undefined;
  const nameNode = fields.get('name');
  if (!nameNode) {
    report(r, item.node, fieldOf(item.field, 'name'), "missing required key 'name'");
    return undefined;
  }
  const name = readKnownName(r, nameNode, fieldOf(item.field, 'name'), known);
  if (name === undefined) return undefined;
  const defs = known[name]!;
  const paramsNode = fields.get('params');
  if (!paramsNode) return { name, params: defaultParams(defs) };
  const params = readParams(r, paramsNode, fieldOf(item.field, 'params'), defs);
  return params && { name, params };
}

/** A workload name that is in the catalogue; reports unknown names with the valid ones. */
function readKnownName(r: Reader, node: Node, field: string, known: KnownWorkloads): string | undefined {
  const name = readString(r, node, field);
  if (name === undefined) return undefined;
  if (Object.hasOwn(known, name)) return name;
  report(r, node, field, `unknown workload '${name}'; expected one of: ${Object.keys(known).join(', ')}`);
  return undefined;
}

/** Reads a params mapping; params left out keep their defaults. */
function readParams(
  r: Reader,
  node: Node,
  field: string,
  defs: Record<string, KnownParam>,
): Record<string, Array<string | number>> | undefined {
  const fields = readMap(r, node, field, Object.keys(defs));
  if (!fields) return undefined;
  const params = defaultParams(defs);
  const before = r.issues.length;
  for (const [key, valueNode] of fields) {
    const values = readParamValues(r, valueNode, fieldOf(field, key), defs[key]!);
    if (values) params[key] = values;
  }
  return r.issues.length > before ? undefined : params;
}

/** Reads one param's values (a scalar is a one-element list), checking each against its definition. */
function readParamValues(r: Reader, node: Node, field: string, def: KnownParam): Array<string | number> | undefined {
  const items = readList(r, node, field);
  if (!items) return undefined;
  if (items.length === 0) {
    report(r, node, field, 'expected at least one value');
    return undefined;
  }
  const out: Array<string | number> = [];
  for (const item of items) {
    const value = readParamValue(r, item, def);
    if (value === undefined) continue;
    if (out.includes(value)) report(r, item.node, item.field, `duplicate value '${value}'`);
    else out.push(value);
  }
  return out.length === items.length ? out : undefined;
}

/** One param value: a listed choice, or a non-negative integer when the param lists none. */
function readParamValue(r: Reader, item: Item, def: KnownParam): string | number | undefined {
  const raw = isScalar(item.node) ? item.node.value : undefined;
  if (def.values) {
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
    if (text !== undefined && def.values.includes(text)) return text;
    const got = text === undefined ? describeNode(item.node) : `'${text}'`;
    report(r, item.node, item.field, `unknown value ${got}; expected one of: ${def.values.join(', ')}`);
    return undefined;
  }
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
  report(r, item.node, item.field, `expected a non-negative integer, got ${describeNode(item.node)}`);
  return undefined;
}
