// What a kvm-host target's host can do, from the output of `daxlab-remote.sh probe` (pure): the
// same HostCaps the local probe gives, and what the host lacks for a plan, with its install line.
import { DaxlabError } from '../../errors.js';
import { installCommand, packageFor } from '../../host/packages.js';
import { hasDeviceProperty, kvmVerdict, parseDeviceHelp, parseQemuVersion } from '../../host/parse.js';
import type { HostCaps } from '../../host/types.js';
import type { BackendName, Plan } from '../../plan/types.js';

/** Tools the remote host must have: its root file system is the guest's (sshd, ndctl, mkfs run in the guest), plus what the helper script uses. */
export const REMOTE_TOOLS = ['bash', 'sshd', 'ndctl', 'mkfs.ext4', 'mkfs.xfs', 'flock', 'setsid', 'truncate', 'tail', 'fio'] as const;

/** Tools a machine target must have: the cases run on it (kexec only to change its kernel). */
export const MACHINE_TOOLS = ['bash', 'mkfs.ext4', 'mkfs.xfs', 'flock', 'setsid', 'truncate', 'tail', 'dmesg', 'kexec', 'fio'] as const;

// fio is optional: the fio workloads report a skip without it, as they do locally.
const REQUIRED = REMOTE_TOOLS.filter((t) => t !== 'fio');

/** Pure: what a machine lacks (tool, package); kexec only when daxlab has to change its kernel. */
export function machineMissing(caps: HostCaps, needKexec: boolean): Array<{ tool: string; pkg: string }> {
  return MACHINE_TOOLS.filter((t) => t !== 'fio' && (needKexec || t !== 'kexec') && !caps.tools[t]).map((tool) => ({ tool, pkg: packageFor(tool) ?? tool }));
}

/** Split probe output into its "== name" sections. */
export function probeSections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = '';
  for (const line of text.split('\n')) {
    const m = /^== (\S+)$/.exec(line);
    if (m) {
      name = m[1]!;
      out.set(name, '');
    } else if (name) out.set(name, `${out.get(name)}${line}\n`);
  }
  return out;
}

/** HostCaps from the probe's output. */
export function parseRemoteProbe(text: string): HostCaps {
  const s = probeSections(text);
  const get = (k: string) => (s.get(k) ?? '').trim();
  const qemuPath = get('qemu-path');
  const open = get('kvm-open');
  const kvmReason = kvmVerdict('/dev/kvm', open === 'ok' ? undefined : open || 'ENOENT', s.has('cpu-flags') ? get('cpu-flags') : undefined);
  const tools: Record<string, string | null> = {};
  for (const line of get('tools').split('\n')) {
    const [name, path] = line.trim().split(/\s+/);
    if (name) tools[name] = path || null;
  }
  return {
    kvm: kvmReason === '',
    kvmReason,
    qemu: qemuPath
      ? { path: qemuPath, version: parseQemuVersion(get('qemu-version')), devices: parseDeviceHelp(get('device-help')), virtiofsDaxWindow: hasDeviceProperty(get('vfs-help'), 'cache-size') }
      : null,
    virtiofsd: get('virtiofsd') || null,
    tools,
  };
}

/** Pure: what the host lacks for the plan (tool, package), QEMU and its pmem devices included. */
export function remoteMissing(backend: BackendName, caps: HostCaps): Array<{ tool: string; pkg: string }> {
  const missing: Array<{ tool: string; pkg: string }> = [];
  if (!caps.qemu) missing.push({ tool: 'qemu-system-x86_64', pkg: 'qemu-system-x86' });
  else {
    const device = backend === 'pmem' ? 'nvdimm' : backend === 'virtio-pmem' ? 'virtio-pmem-pci' : null;
    if (device && !caps.qemu.devices.includes(device)) missing.push({ tool: `QEMU device ${device}`, pkg: 'qemu-system-x86' });
  }
  for (const tool of REQUIRED) if (!caps.tools[tool]) missing.push({ tool, pkg: packageFor(tool) ?? tool });
  return missing;
}

/** Throw TARGET_FAILED naming what the host lacks and the line to run there. */
export function assertRemoteReady(target: string, host: string, plan: Plan, caps: HostCaps): void {
  const missing = remoteMissing(plan.backend, caps);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  throw new DaxlabError('TARGET_FAILED', `target ${target}: missing on ${host}: ${missing.map((m) => `${m.tool} (package ${m.pkg})`).join(', ')}`, [
    `fix, on ${host}: ${installCommand(pkgs)}`,
  ]);
}
