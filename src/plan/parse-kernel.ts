// Reads the `kernel:` section of a plan: source, patches, config fragments, label.
import { isScalar, type Node } from 'yaml';
import { defaultConfigPaths, defaultLabel, defaultSource } from './defaults.js';
import { badGitRefMessage, badPackageMessage, missingConfigMessage, resolveConfigRef, resolveFrom } from './paths.js';
import type { BackendName, KernelSpec, PlanContext, SourceSpec } from './types.js';
import { describeNode, fieldOf, isAbsent, readList, readMap, readString, report, type Reader, type YNode } from './yaml-read.js';

const KERNEL_KEYS = ['source', 'patches', 'configs', 'label'] as const;
const SOURCE_KINDS = ['debian', 'path', 'git'] as const;
const SOURCE_KEYS = [...SOURCE_KINDS, 'ref'] as const;

/** Reads the kernel section; undefined when it had issues (already recorded). */
export function readKernel(
  r: Reader,
  node: YNode,
  ctx: PlanContext,
  backend: BackendName,
  planName: string,
  field = 'kernel',
): KernelSpec | undefined {
  const fields = isAbsent(node) ? new Map<string, Node>() : readMap(r, node, field, KERNEL_KEYS);
  if (!fields) return undefined;
  const before = r.issues.length;
  const source = readSource(r, fields.get('source'), ctx, fieldOf(field, 'source'));
  const patches = readPatches(r, fields.get('patches'), ctx, fieldOf(field, 'patches'));
  const configsNode = fields.get('configs');
  const configs = configsNode ? readConfigs(r, configsNode, ctx, fieldOf(field, 'configs')) : defaultConfigPaths(backend, ctx.configsDir);
  const labelNode = fields.get('label');
  const label = labelNode ? readString(r, labelNode, fieldOf(field, 'label')) : defaultLabel(planName, patches?.length ?? 0);
  if (label !== undefined && labelNode && !/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(label)) {
    report(r, labelNode, fieldOf(field, 'label'), `expected letters, digits and . _ + - (at most 64), got '${label}'`);
  }
  if (r.issues.length > before || !source || !patches || !configs || label === undefined) return undefined;
  return { source, patches, configs, label };
}

/** Reads `kernels:`, a non-empty list of kernel sections with distinct labels. */
export function readKernels(r: Reader, node: YNode, ctx: PlanContext, backend: BackendName, planName: string): KernelSpec[] | undefined {
  const items = readList(r, node, 'kernels');
  if (!items) return undefined;
  if (items.length === 0) return void report(r, node, 'kernels', 'expected at least one kernel');
  const before = r.issues.length;
  const out: KernelSpec[] = [];
  for (const item of items) {
    const k = readKernel(r, item.node, ctx, backend, planName, item.field);
    if (!k) continue;
    if (out.some((o) => o.label === k.label)) {
      report(r, item.node, fieldOf(item.field, 'label'), `duplicate kernel label '${k.label}': give each kernel its own label`);
    } else out.push(k);
  }
  return r.issues.length > before ? undefined : out;
}

/** Reads `kernel.source`: "debian", or a mapping with exactly one of debian / path / git (+ ref). */
function readSource(r: Reader, node: YNode, ctx: PlanContext, field: string): SourceSpec | undefined {
  if (isAbsent(node)) return defaultSource();
  if (isScalar(node)) {
    if (node.value === 'debian') return defaultSource();
    report(r, node, field, `expected 'debian' or a mapping with one of: ${SOURCE_KINDS.join(', ')}; got ${describeNode(node)}`);
    return undefined;
  }
  const fields = readMap(r, node, field, SOURCE_KEYS);
  if (!fields) return undefined;
  const kinds = SOURCE_KINDS.filter((k) => fields.has(k));
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.join(', ');
    report(r, node, field, `expected exactly one of: ${SOURCE_KINDS.join(', ')}; found ${found}`);
    return undefined;
  }
  const kind = kinds[0]!;
  const refNode = fields.get('ref');
  if (refNode && kind !== 'git') {
    report(r, refNode, fieldOf(field, 'ref'), "'ref' only applies to a git source");
    return undefined;
  }
  const valueField = fieldOf(field, kind);
  const value = readString(r, fields.get(kind), valueField);
  if (value === undefined) return undefined;
  if (kind === 'debian') {
    const bad = badPackageMessage(value);
    if (bad) return void report(r, fields.get(kind), valueField, bad);
    return { kind: 'debian', package: value };
  }
  const path = resolveFrom(ctx, value);
  if (!ctx.fileExists(path)) {
    const what = kind === 'git' ? 'git repository' : 'source directory';
    return void report(r, fields.get(kind), valueField, `${what} not found: ${path}`);
  }
  if (kind === 'path') return { kind: 'dir', path };
  const ref = refNode ? readString(r, refNode, fieldOf(field, 'ref')) : 'HEAD';
  if (ref === undefined) return undefined;
  const badRef = badGitRefMessage(ref);
  if (badRef) return void report(r, refNode, fieldOf(field, 'ref'), badRef);
  return { kind: 'git', repo: path, ref };
}

/** Reads `kernel.patches` into absolute paths, reporting each missing file. */
function readPatches(r: Reader, node: YNode, ctx: PlanContext, field: string): string[] | undefined {
  if (isAbsent(node)) return [];
  const items = readList(r, node, field);
  if (!items) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const text = readString(r, item.node, item.field);
    if (text === undefined) continue;
    const path = resolveFrom(ctx, text);
    if (ctx.fileExists(path)) out.push(path);
    else report(r, item.node, item.field, `patch file not found: ${path}`);
  }
  return out;
}

/** Reads `kernel.configs` into absolute paths, reporting each missing fragment. */
function readConfigs(r: Reader, node: YNode, ctx: PlanContext, field: string): string[] | undefined {
  const items = readList(r, node, field);
  if (!items) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const ref = readString(r, item.node, item.field);
    if (ref === undefined) continue;
    const missing = missingConfigMessage(ref, ctx);
    if (missing) report(r, item.node, item.field, missing);
    else out.push(resolveConfigRef(ref, ctx));
  }
  return out;
}
