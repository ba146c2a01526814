// Reading one target of a target file: the SSH fields every kind has, then the kind's own; a field
// of another kind is named as such. Every problem is recorded with its line and field.
import { isAbsolute, resolve } from 'node:path';
import type { Node } from 'yaml';
import { readBool, readChoice, readInt, readList, readString, report, type Reader } from '../plan/yaml-read.js';
import { TARGET_KINDS, type KvmHostSpec, type MachineSpec, type SshSpec, type TargetSpec } from './target-spec.js';

const SSH_KEYS = ['kind', 'host', 'port', 'user', 'identity', 'agent', 'knownHosts', 'workDir', 'connectTimeoutSec'] as const;
const KIND_KEYS: Record<(typeof TARGET_KINDS)[number], readonly string[]> = {
  'kvm-host': ['slots', 'qemu', 'slotWaitSec'],
  machine: ['devices', 'destructive', 'kernel', 'restore', 'restoreImage', 'bootTimeoutSec', 'consoleLog'],
};

/** A local path from a target file: ~/ is the home directory, relative paths are from the file's directory. */
export function expandPath(p: string, base: string, home: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(home, p.slice(2));
  return resolve(base, p);
}

/** Every key a target may have (of some kind). */
export const TARGET_KEYS: readonly string[] = [...SSH_KEYS, ...Object.values(KIND_KEYS).flat()];

/** Where one target's fields are and how to resolve its local paths. */
export interface TargetAt {
  fields: Map<string, Node>;
  /** The target's name node: problems of the whole target are reported on its line. */
  key: Node;
  field: string;
  name: string;
  /** The target file's directory and the home directory, for local paths. */
  base: string;
  home: string;
}

// Readers bound to one target: its field paths, defaults, and local paths.
function readers(r: Reader, t: TargetAt) {
  const f = t.fields;
  const at = (k: string) => `${t.field}.${k}`;
  const need = (k: string) => {
    const n = f.get(k);
    if (!n) report(r, t.key, at(k), `'${k}' is required`);
    return n;
  };
  const str = (k: string) => (f.has(k) ? readString(r, f.get(k), at(k)) : undefined);
  const int = (k: string, dflt: number) => (f.has(k) ? readInt(r, f.get(k), at(k), 1) : dflt);
  const localPath = (k: string) => {
    const v = str(k);
    return v === undefined ? undefined : expandPath(v, t.base, t.home);
  };
  const remotePath = (k: string) => {
    const v = str(k);
    if (v !== undefined && !isAbsolute(v)) report(r, f.get(k), at(k), `expected an absolute path on the machine, got '${v}'`);
    return v;
  };
  return { f, at, need, str, int, localPath, remotePath };
}

/** One target of a target file, or undefined when it has a problem (recorded in r). */
export function readTarget(r: Reader, t: TargetAt): TargetSpec | undefined {
  const before = r.issues.length;
  const x = readers(r, t);
  const kindNode = x.need('kind');
  const kind = kindNode ? readChoice(r, kindNode, x.at('kind'), TARGET_KINDS) : undefined;
  if (kind) {
    for (const [k, node] of t.fields) {
      const owner = Object.entries(KIND_KEYS).find(([, keys]) => keys.includes(k))?.[0];
      if (owner && owner !== kind) report(r, node, x.at(k), `'${k}' is a field of kind ${owner}, not of ${kind}`);
    }
  }
  const ssh = readSsh(r, t, x);
  const spec = kind === 'kvm-host' ? readKvmHost(x, ssh) : kind === 'machine' ? readMachine(r, t, x, ssh) : undefined;
  return r.issues.length > before ? undefined : spec;
}

function readSsh(r: Reader, t: TargetAt, x: ReturnType<typeof readers>): SshSpec | undefined {
  const hostNode = x.need('host');
  const host = hostNode ? readString(r, hostNode, x.at('host')) : undefined;
  const port = x.int('port', 22);
  if (port !== undefined && port > 65535) report(r, x.f.get('port'), x.at('port'), `expected a port 1-65535, got ${port}`);
  const user = x.f.has('user') ? x.str('user') : 'root';
  const identity = x.localPath('identity');
  const agentNode = x.f.get('agent');
  const agent = agentNode ? readBool(r, agentNode, x.at('agent')) : undefined;
  if (!identity && agent !== true) report(r, t.key, x.at('identity'), "give 'identity' (a private key file) or 'agent: true' (ssh-agent); passwords are not supported");
  if (identity && agent === true) report(r, agentNode, x.at('agent'), "give either 'identity' or 'agent: true', not both");
  const knownHosts = x.need('knownHosts') ? x.localPath('knownHosts') : undefined;
  const workDir = x.remotePath('workDir');
  const connectTimeoutSec = x.int('connectTimeoutSec', 20);
  if (!host || !port || !user || !knownHosts || !connectTimeoutSec) return undefined;
  return { name: t.name, host, port, user, ...(identity ? { identity } : {}), knownHosts, ...(workDir ? { workDir } : {}), connectTimeoutSec };
}

function readKvmHost(x: ReturnType<typeof readers>, ssh: SshSpec | undefined): KvmHostSpec | undefined {
  const slots = x.int('slots', 1);
  const slotWaitSec = x.int('slotWaitSec', 600);
  const qemu = x.f.has('qemu') ? x.str('qemu') : 'qemu-system-x86_64';
  if (!ssh || !slots || !slotWaitSec || !qemu) return undefined;
  return { ...ssh, kind: 'kvm-host', slots, qemu, slotWaitSec };
}

function readMachine(r: Reader, t: TargetAt, x: ReturnType<typeof readers>, ssh: SshSpec | undefined): MachineSpec | undefined {
  const devNode = x.need('devices');
  const devices = (devNode ? readList(r, devNode, x.at('devices')) ?? [] : []).map((item) => {
    const d = readString(r, item.node, item.field);
    if (d !== undefined && !/^\/dev\/[A-Za-z0-9._/-]+$/.test(d)) report(r, item.node, item.field, `expected a block device path under /dev, got '${d}'`);
    return d ?? '';
  });
  if (devNode && devices.length === 0) report(r, devNode, x.at('devices'), 'expected at least one fsdax block device');
  const destructiveNode = x.f.get('destructive');
  const destructive = destructiveNode ? readBool(r, destructiveNode, x.at('destructive')) : undefined;
  if (destructive !== true) report(r, destructiveNode ?? t.key, x.at('destructive'), `daxlab makes file systems on ${devices.join(', ') || 'the devices'}, erasing them: say destructive: true`);
  const kernel = x.f.has('kernel') ? readChoice(r, x.f.get('kernel'), x.at('kernel'), ['running', 'test'] as const) : 'test';
  const restore = x.f.has('restore') ? readChoice(r, x.f.get('restore'), x.at('restore'), ['reboot', 'kexec'] as const) : 'reboot';
  const restoreImage = x.remotePath('restoreImage');
  if (restore === 'kexec' && !restoreImage) report(r, x.f.get('restore'), x.at('restoreImage'), "restore: kexec needs 'restoreImage', the kernel image on the machine to go back to");
  const bootTimeoutSec = x.int('bootTimeoutSec', 300);
  const consoleLog = x.localPath('consoleLog');
  if (!ssh || !kernel || !restore || !bootTimeoutSec) return undefined;
  return { ...ssh, kind: 'machine', devices, kernel, restore, ...(restoreImage ? { restoreImage } : {}), bootTimeoutSec, ...(consoleLog ? { consoleLog } : {}) };
}
