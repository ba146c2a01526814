// Small readers over YAML nodes: each checks one shape, records an issue with
// the node's line and dotted field path when it is wrong, and returns data.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PlanIssue } from './types.js';

/** Where issues go while one plan document is read. */
export interface Reader {
  file: string;
  lines: LineCounter;
  doc: Document;
  issues: PlanIssue[];
}

/** A YAML node as found under a key or in a list (null/undefined when there is none). */
export type YNode = Node | null | undefined;

/** A value found in a list, with the field path it was found at. */
export interface Item {
  node: Node;
  field: string;
}

/** The field path of a key under a parent path ("" is the document root). */
export function fieldOf(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** The 1-based line a node starts on (line 1 when the node has no position). */
export function lineOf(r: Reader, node: YNode): number {
  const start = node?.range?.[0];
  return start === undefined ? 1 : r.lines.linePos(start).line;
}

/** Records one issue at a node's line. */
export function report(r: Reader, at: YNode, field: string, message: string): void {
  r.issues.push({ file: r.file, line: lineOf(r, at), field, message });
}

/** True when there is no value: a missing node or an explicit YAML null. */
export function isAbsent(node: YNode): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

/** A short description of what a node holds, for "expected X, got Y" messages. */
export function describeNode(node: YNode): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node) || node.value === null || node.value === undefined) return 'nothing';
  const v = node.value;
  if (typeof v === 'string') return `string '${v}'`;
  return `${typeof v} ${String(v)}`;
}

/** Follows an alias (*name) to the node it names. */
function deref(r: Reader, node: YNode): YNode {
  return isAlias(node) ? (node.resolve(r.doc) ?? null) : node;
}

/** A mapping's present values by key (nulls dropped); reports a non-mapping and unknown keys. */
export function readMap(
  r: Reader,
  node: YNode,
  field: string,
  allowed: readonly string[],
): Map<string, Node> | undefined {
  const map = deref(r, node);
  if (!isMap(map)) {
    report(r, map, field, `expected a mapping, got ${describeNode(map)}`);
    return undefined;
  }
  const out = new Map<string, Node>();
  for (const pair of map.items) {
    const keyNode = deref(r, pair.key as YNode);
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      report(r, keyNode ?? map, field, `expected a plain key, got ${describeNode(keyNode)}`);
      continue;
    }
    const key = String(keyNode.value);
    if (!allowed.includes(key)) {
      const expected = allowed.length > 0 ? `expected one of: ${allowed.join(', ')}` : 'no keys are allowed here';
      report(r, keyNode, fieldOf(field, key), `unknown key '${key}'; ${expected}`);
      continue;
    }
    const value = deref(r, pair.value as YNode);
    if (!isAbsent(value)) out.set(key, value as Node);
  }
  return out;
}

/** The items of a list (a lone scalar counts as a one-element list); reports anything else. */
export function readList(r: Reader, node: YNode, field: string): Item[] | undefined {
  const list = deref(r, node);
  if (isScalar(list) && !isAbsent(list)) return [{ node: list, field }];
  if (!isSeq(list)) {
    report(r, list, field, `expected a list, got ${describeNode(list)}`);
    return undefined;
  }
  const items: Item[] = [];
  list.items.forEach((child, i) => {
    const item = deref(r, child as YNode);
    const itemField = `${field}[${i}]`;
    if (item == null) report(r, list, itemField, 'expected a value, got nothing');
    else items.push({ node: item, field: itemField });
  });
  return items;
}

/** A string value; reports other types and (unless allowed) the empty string. */
export function readString(r: Reader, node: YNode, field: string, allowEmpty = false): string | undefined {
  const value = deref(r, node);
  if (!isScalar(value) || typeof value.value !== 'string') {
    report(r, value, field, `expected a string, got ${describeNode(value)}`);
    return undefined;
  }
  if (!allowEmpty && value.value === '') {
    report(r, value, field, 'expected a non-empty string');
    return undefined;
  }
  return value.value;
}

/** An integer of at least `min` (0 or 1); reports other numbers and types. */
export function readInt(r: Reader, node: YNode, field: string, min: 0 | 1): number | undefined {
  const value = deref(r, node);
  const v = isScalar(value) ? value.value : undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
  const kind = min === 1 ? 'a positive integer' : 'a non-negative integer';
  report(r, value, field, `expected ${kind}, got ${describeNode(value)}`);
  return undefined;
}

/** One of a fixed set of strings; reports anything else, listing the choices. */
export function readChoice<T extends string>(
  r: Reader,
  node: YNode,
  field: string,
  choices: readonly T[],
): T | undefined {
  const value = readString(r, node, field, true);
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  report(r, node, field, `unknown value '${value}'; expected one of: ${choices.join(', ')}`);
  return undefined;
}

/** A boolean (true or false); reports anything else. */
export function readBool(r: Reader, node: YNode, field: string): boolean | undefined {
  const value = deref(r, node);
  if (isScalar(value) && typeof value.value === 'boolean') return value.value;
  report(r, value, field, `expected true or false, got ${describeNode(value)}`);
  return undefined;
}
