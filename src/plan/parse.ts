// Parses a plan file's text into a validated Plan, collecting every issue with its line and field.
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { BACKENDS, LOCAL_TARGET } from './defaults.js';
import { readKernel, readKernels } from './parse-kernel.js';
import { readKnown } from './parse-known.js';
import { readFilesystems, readTimeouts, readVm } from './parse-settings.js';
import { readWorkloads } from './parse-workloads.js';
import type { BackendName, KernelSpec, Plan, PlanContext, PlanIssue } from './types.js';
import { isAbsent, readChoice, readInt, readList, readMap, readString, report, type Reader } from './yaml-read.js';

/** What a target name may look like. */
export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const TOP_KEYS = ['name', 'kernel', 'kernels', 'targets', 'backend', 'filesystems', 'workloads', 'repeats', 'timeouts', 'vm', 'known', 'expectedSkips', 'extends'] as const;

/** Parses plan YAML; returns the plan only when there are no issues. */
export function parsePlanText(text: string, file: string, ctx: PlanContext): { plan?: Plan; issues: PlanIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const r: Reader = { file, lines, doc, issues: [] };
  for (const e of [...doc.errors, ...doc.warnings]) {
    r.issues.push({ file, line: lines.linePos(e.pos[0]).line, field: '', message: firstLine(e.message) });
  }
  const plan = readPlan(r, doc.contents, file, ctx);
  const issues = sortByLine(r.issues);
  return plan && issues.length === 0 ? { plan, issues } : { issues };
}

/** Reads the top-level mapping; an empty document is the all-defaults plan. */
function readPlan(r: Reader, root: Node | null, file: string, ctx: PlanContext): Plan | undefined {
  const fields = isAbsent(root) ? new Map<string, Node>() : readMap(r, root, '', TOP_KEYS);
  if (!fields) return undefined;
  const extendsNode = fields.get('extends');
  if (extendsNode) readString(r, extendsNode, 'extends'); // the file itself is read by loadPlanFile
  const nameNode = fields.get('name');
  const name = nameNode ? readString(r, nameNode, 'name') : nameFromFile(file);
  const backendNode = fields.get('backend');
  const backend = backendNode ? readChoice(r, backendNode, 'backend', BACKENDS) : 'pmem';
  const kernels = readPlanKernels(r, fields, ctx, backend ?? 'pmem', name ?? nameFromFile(file));
  const targets = readTargets(r, fields.get('targets'));
  const filesystems = readFilesystems(r, fields.get('filesystems'), backend);
  const workloads = readWorkloads(r, fields.get('workloads'), ctx.knownWorkloads, ctx.defaultWorkloadNames);
  const repeatsNode = fields.get('repeats');
  const repeats = repeatsNode ? readInt(r, repeatsNode, 'repeats', 1) : 1;
  const timeouts = readTimeouts(r, fields.get('timeouts'));
  const vm = readVm(r, fields.get('vm'), ctx);
  const known = readKnown(r, fields.get('known'), ctx.knownWorkloads);
  const expectedSkips = readGlobs(r, fields.get('expectedSkips'), 'expectedSkips');
  if (name === undefined || !backend || !kernels || !targets || !filesystems || !workloads) return undefined;
  if (repeats === undefined || !timeouts || !vm || !known || !expectedSkips) return undefined;
  return {
    name, file, kernel: kernels[0]!, kernels, targets, backend: backend as BackendName, filesystems, workloads, repeats, timeouts, vm, known,
    expectedSkips,
  };
}

/** `kernel:` (one kernel) or `kernels:` (several), never both. */
function readPlanKernels(r: Reader, fields: Map<string, Node>, ctx: PlanContext, backend: BackendName, name: string): KernelSpec[] | undefined {
  const many = fields.get('kernels');
  if (many && fields.has('kernel')) {
    report(r, many, 'kernels', "give either 'kernel' (one kernel) or 'kernels' (a list), not both");
    return undefined;
  }
  if (many) return readKernels(r, many, ctx, backend, name);
  const one = readKernel(r, fields.get('kernel'), ctx, backend, name);
  return one ? [one] : undefined;
}

/** `targets:` names (default: local), distinct; each must be "local" or declared in a target file. */
function readTargets(r: Reader, node: Node | undefined): string[] | undefined {
  if (isAbsent(node)) return [LOCAL_TARGET];
  const items = readList(r, node, 'targets');
  if (!items) return undefined;
  const before = r.issues.length;
  const out: string[] = [];
  for (const item of items) {
    const t = readString(r, item.node, item.field);
    if (t === undefined) continue;
    if (!TARGET_NAME.test(t)) report(r, item.node, item.field, `expected a target name (letters, digits, . _ -), got '${t}'`);
    else if (out.includes(t)) report(r, item.node, item.field, `duplicate target '${t}'`);
    else out.push(t);
  }
  if (items.length === 0) report(r, node, 'targets', 'expected at least one target');
  return r.issues.length > before ? undefined : out;
}

/** A list of case-id globs (`*` matches anything); empty when absent. */
function readGlobs(r: Reader, node: Node | undefined, field: string): string[] | undefined {
  if (isAbsent(node)) return [];
  const items = readList(r, node, field);
  if (!items) return undefined;
  const before = r.issues.length;
  const out = items.map((item) => readString(r, item.node, item.field) ?? '');
  return r.issues.length > before ? undefined : out;
}

/** The default plan name: the file's base name without its extension. */
function nameFromFile(file: string): string {
  return basename(file, extname(file));
}

/** The first line of a parser message (the yaml package may append context). */
function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** Issues in line order; issues on one line keep the order they were found in. */
function sortByLine(issues: PlanIssue[]): PlanIssue[] {
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => a.issue.line - b.issue.line || a.i - b.i).map((x) => x.issue);
}
