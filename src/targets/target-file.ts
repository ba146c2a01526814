// The target file (YAML): named places where cases run besides "local". Parsed like plans: every
// problem names the file, line and field. Paths in it are relative to the file.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { DaxlabError } from '../errors.js';
import { LOCAL_TARGET } from '../plan/defaults.js';
import { planInvalidError } from '../plan/load.js';
import { TARGET_NAME } from '../plan/parse.js';
import type { PlanIssue } from '../plan/types.js';
import { describeNode, isAbsent, readBool, readChoice, readInt, readMap, readString, report, type Reader } from '../plan/yaml-read.js';

/** Target kinds a target file may declare. */
export const TARGET_KINDS = ['kvm-host'] as const;

/** A remote Linux host reached over SSH, where daxlab runs QEMU. */
export interface KvmHostSpec {
  name: string;
  kind: 'kvm-host';
  host: string;
  port: number;
  user: string;
  /** Private key file (absolute); absent means ssh-agent ($SSH_AUTH_SOCK). */
  identity?: string;
  /** known_hosts file (absolute) the host's key must be in. */
  knownHosts: string;
  /** Guests that may run there at once, across all runs. */
  slots: number;
  /** QEMU on the host: a name on its PATH or an absolute path. */
  qemu: string;
  /** The host's content-addressed store of uploads (absolute), or absent for ~/.cache/daxlab-remote. */
  workDir?: string;
  connectTimeoutSec: number;
  /** How long a boot waits for a free slot. */
  slotWaitSec: number;
}

export type TargetSpec = KvmHostSpec;

const KVM_HOST_KEYS = ['kind', 'host', 'port', 'user', 'identity', 'agent', 'knownHosts', 'slots', 'qemu', 'workDir', 'connectTimeoutSec', 'slotWaitSec'] as const;

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
    const node = pair.value as Node | null;
    const field = `targets.${name}`;
    if (!TARGET_NAME.test(name)) report(r, key, field, `expected a target name (letters, digits, . _ -), got '${name}'`);
    else if (name === LOCAL_TARGET) report(r, key, field, `'${LOCAL_TARGET}' is built in (QEMU on this machine) and cannot be redefined`);
    else if (out.has(name)) report(r, key, field, `target '${name}' is declared twice`);
    else {
      const t = readKvmHost(r, node, key, field, name, dirname(resolve(file)), home);
      if (t) out.set(name, t);
    }
  }
  return r.issues.length === 0 ? { targets: out, issues: [] } : { issues: r.issues.sort((a, b) => a.line - b.line) };
}

function readKvmHost(r: Reader, node: Node | null, key: Node, field: string, name: string, base: string, home: string): KvmHostSpec | undefined {
  const before = r.issues.length;
  const f = readMap(r, node, field, KVM_HOST_KEYS);
  if (!f) return undefined;
  const at = (k: string) => `${field}.${k}`;
  const need = (k: string) => {
    const n = f.get(k);
    if (!n) report(r, key, at(k), `'${k}' is required`);
    return n;
  };
  const kindNode = need('kind');
  const kind = kindNode ? readChoice(r, kindNode, at('kind'), TARGET_KINDS) : undefined;
  const hostNode = need('host');
  const host = hostNode ? readString(r, hostNode, at('host')) : undefined;
  const portNode = f.get('port');
  const port = portNode ? readInt(r, portNode, at('port'), 1) : 22;
  if (port !== undefined && port > 65535) report(r, portNode, at('port'), `expected a port 1-65535, got ${port}`);
  const user = f.has('user') ? readString(r, f.get('user'), at('user')) : 'root';
  const path = (k: string) => {
    const n = f.get(k);
    const v = n ? readString(r, n, at(k)) : undefined;
    return v === undefined ? undefined : expandPath(v, base, home);
  };
  const identity = path('identity');
  const agentNode = f.get('agent');
  const agent = agentNode ? readBool(r, agentNode, at('agent')) : undefined;
  if (!identity && agent !== true) report(r, key, at('identity'), "give 'identity' (a private key file) or 'agent: true' (ssh-agent); passwords are not supported");
  if (identity && agent === true) report(r, agentNode, at('agent'), "give either 'identity' or 'agent: true', not both");
  const knownHosts = need('knownHosts') ? path('knownHosts') : undefined;
  const int = (k: string, dflt: number) => (f.has(k) ? readInt(r, f.get(k), at(k), 1) : dflt);
  const slots = int('slots', 1);
  const connectTimeoutSec = int('connectTimeoutSec', 20);
  const slotWaitSec = int('slotWaitSec', 600);
  const qemu = f.has('qemu') ? readString(r, f.get('qemu'), at('qemu')) : 'qemu-system-x86_64';
  const workDir = f.has('workDir') ? readString(r, f.get('workDir'), at('workDir')) : undefined;
  if (workDir !== undefined && !isAbsolute(workDir)) report(r, f.get('workDir'), at('workDir'), `expected an absolute path on the host, got '${workDir}'`);
  if (r.issues.length > before || kind !== 'kvm-host' || !host || !port || !user || !knownHosts || !slots || !qemu) return undefined;
  if (!connectTimeoutSec || !slotWaitSec) return undefined;
  return { name, kind, host, port, user, ...(identity ? { identity } : {}), knownHosts, slots, qemu, ...(workDir ? { workDir } : {}), connectTimeoutSec, slotWaitSec };
}

/** A local path from a target file: ~/ is the home directory, relative paths are from the file's directory. */
export function expandPath(p: string, base: string, home: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(home, p.slice(2));
  return resolve(base, p);
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
