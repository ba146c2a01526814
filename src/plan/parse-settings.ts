// Reads the plan's run settings: filesystems, timeouts and the VM shape.
import type { Node } from 'yaml';
import { defaultFilesystems, fsBackendProblem } from './backend-fs.js';
import { DEFAULT_TIMEOUTS, DEFAULT_VM, FILESYSTEMS } from './defaults.js';
import { resolveToolPath } from './paths.js';
import type { BackendName, FsName, PlanContext, Timeouts, VmOptions } from './types.js';
import { fieldOf, isAbsent, readChoice, readInt, readList, readMap, readString, report, type Reader, type YNode } from './yaml-read.js';

const TIMEOUT_KEYS = ['build', 'boot', 'case'] as const;
const VM_KEYS = ['cpus', 'memory', 'pmem', 'pinMs', 'logBuf', 'lanes', 'qemu', 'virtiofsd'] as const;

/**
 * Reads `filesystems`: a non-empty list of known filesystems, without duplicates, each one the
 * backend can hold (absent: the backend's defaults). backend is undefined when it was invalid.
 */
export function readFilesystems(r: Reader, node: YNode, backend: BackendName | undefined): FsName[] | undefined {
  if (isAbsent(node)) return defaultFilesystems(backend ?? 'pmem');
  const items = readList(r, node, 'filesystems');
  if (!items) return undefined;
  if (items.length === 0) {
    report(r, node, 'filesystems', 'expected at least one filesystem');
    return undefined;
  }
  const out: FsName[] = [];
  for (const item of items) {
    const fs = readChoice(r, item.node, item.field, FILESYSTEMS);
    if (fs === undefined) continue;
    const misfit = backend ? fsBackendProblem(fs, backend) : null;
    if (misfit) report(r, item.node, item.field, misfit);
    else if (out.includes(fs)) report(r, item.node, item.field, `duplicate filesystem '${fs}'`);
    else out.push(fs);
  }
  return out.length === items.length ? out : undefined;
}

/** Reads `timeouts` (seconds, positive integers); missing keys keep their defaults. */
export function readTimeouts(r: Reader, node: YNode): Timeouts | undefined {
  if (isAbsent(node)) return { ...DEFAULT_TIMEOUTS };
  const fields = readMap(r, node, 'timeouts', TIMEOUT_KEYS);
  if (!fields) return undefined;
  const before = r.issues.length;
  const sec = (key: string, fallback: number): number =>
    optional(fields, key, fallback, (n) => readInt(r, n, fieldOf('timeouts', key), 1));
  const out: Timeouts = {
    buildSec: sec('build', DEFAULT_TIMEOUTS.buildSec),
    bootSec: sec('boot', DEFAULT_TIMEOUTS.bootSec),
    caseSec: sec('case', DEFAULT_TIMEOUTS.caseSec),
  };
  return r.issues.length > before ? undefined : out;
}

/** Reads `vm`: sizes are positive integers (MiB, ms); tool paths resolve from the plan's directory. */
export function readVm(r: Reader, node: YNode, ctx: PlanContext): VmOptions | undefined {
  if (isAbsent(node)) return { ...DEFAULT_VM };
  const fields = readMap(r, node, 'vm', VM_KEYS);
  if (!fields) return undefined;
  const before = r.issues.length;
  const int = (key: string, fallback: number): number =>
    optional(fields, key, fallback, (n) => readInt(r, n, fieldOf('vm', key), 1));
  const out: VmOptions = {
    cpus: int('cpus', DEFAULT_VM.cpus),
    memoryMiB: int('memory', DEFAULT_VM.memoryMiB),
    pmemMiB: int('pmem', DEFAULT_VM.pmemMiB),
    pinMs: int('pinMs', DEFAULT_VM.pinMs),
    logBufKiB: int('logBuf', DEFAULT_VM.logBufKiB),
    lanes: int('lanes', DEFAULT_VM.lanes),
  };
  if (out.lanes > 8) report(r, fields.get('lanes')!, fieldOf('vm', 'lanes'), `expected at most 8 (one guest shell and delayed device each), got ${out.lanes}`);
  for (const key of ['qemu', 'virtiofsd'] as const) {
    const toolNode = fields.get(key);
    if (!toolNode) continue;
    const tool = readTool(r, toolNode, fieldOf('vm', key), ctx);
    if (tool !== undefined) out[key] = tool;
  }
  return r.issues.length > before ? undefined : out;
}

/** A tool path: bare names stay for PATH lookup; paths must exist. */
function readTool(r: Reader, node: Node, field: string, ctx: PlanContext): string | undefined {
  const text = readString(r, node, field);
  if (text === undefined) return undefined;
  const path = resolveToolPath(ctx, text);
  if (!text.includes('/')) return path;
  if (ctx.fileExists(path)) return path;
  report(r, node, field, `file not found: ${path}`);
  return undefined;
}

/** A field's value read by `read`, or the fallback when absent or invalid (issues already recorded). */
function optional(
  fields: Map<string, Node>,
  key: string,
  fallback: number,
  read: (node: Node) => number | undefined,
): number {
  const node = fields.get(key);
  return node ? (read(node) ?? fallback) : fallback;
}
