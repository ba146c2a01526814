// One probe of the host: KVM, QEMU (version, devices, virtio-fs DAX window),
// virtiofsd and tools. Everything else takes the resulting HostCaps as data.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { HostCaps } from './types.js';
import { hasDeviceProperty, kvmVerdict, parseDeviceHelp, parseQemuVersion } from './parse.js';

/** Tools daxlab looks for on PATH. */
export const PROBED_TOOLS = [
  'make', 'gcc', 'flex', 'bison', 'bc', 'git', 'patch', 'ndctl', 'mkfs.ext4', 'mkfs.xfs',
  'sshd', 'ssh-keygen', 'ccache', 'tar', 'xz', 'lz4', 'flock', 'setpriv',
] as const;

const VIRTIOFSD_PATHS = ['/usr/lib/qemu/virtiofsd', '/usr/libexec/virtiofsd'];
// sshd and mkfs.* live in sbin, which a non-root PATH often lacks.
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Probe the host once; pass the result to pure code. */
export async function probeHost(opts: { qemu?: string; virtiofsd?: string } = {}): Promise<HostCaps> {
  const [kvm, qemu, virtiofsd, tools] = await Promise.all([
    probeKvm(),
    probeQemu(opts.qemu ?? 'qemu-system-x86_64'),
    opts.virtiofsd ? executable(opts.virtiofsd) : findVirtiofsd(),
    probeTools(),
  ]);
  return { kvm: kvm === '', kvmReason: kvm, qemu, virtiofsd, tools };
}

/** "" when KVM is usable, otherwise why not: /dev/kvm must open read-write and the CPU must advertise vmx or svm. */
export async function probeKvm(dev = '/dev/kvm', cpuinfo = '/proc/cpuinfo'): Promise<string> {
  let openError: string | undefined;
  try {
    const fh = await fs.open(dev, 'r+');
    await fh.close();
  } catch (err) {
    openError = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
  const flags = await fs.readFile(cpuinfo, 'utf8').catch(() => undefined);
  return kvmVerdict(dev, openError, flags);
}

async function probeQemu(bin: string): Promise<HostCaps['qemu']> {
  const qemuPath = bin.includes('/') ? await executable(bin) : await which(bin);
  if (!qemuPath) return null;
  const run = async (args: string[]) =>
    (await execa(qemuPath, args, { reject: false, timeout: 20_000, stdin: 'ignore', all: true })).all ?? '';
  const [version, devices, vfs] = await Promise.all([
    run(['-version']),
    run(['-device', 'help']),
    run(['-device', 'vhost-user-fs-pci,help']),
  ]);
  return {
    path: qemuPath,
    version: parseQemuVersion(version),
    devices: parseDeviceHelp(devices),
    virtiofsDaxWindow: hasDeviceProperty(vfs, 'cache-size'),
  };
}

async function findVirtiofsd(): Promise<string | null> {
  for (const p of VIRTIOFSD_PATHS) if (await executable(p)) return p;
  return which('virtiofsd');
}

async function probeTools(): Promise<Record<string, string | null>> {
  const found = await Promise.all(PROBED_TOOLS.map((t) => which(t)));
  return Object.fromEntries(PROBED_TOOLS.map((t, i) => [t, found[i] ?? null]));
}

/** Absolute path of an executable found on PATH (then the sbin directories), or null. */
export async function which(name: string, envPath = process.env.PATH ?? ''): Promise<string | null> {
  const dirs = [...envPath.split(path.delimiter).filter(Boolean), ...SBIN_DIRS];
  for (const dir of dirs) {
    const hit = await executable(path.join(dir, name));
    if (hit) return hit;
  }
  return null;
}

async function executable(p: string): Promise<string | null> {
  try {
    await fs.access(p, constants.X_OK);
    const st = await fs.stat(p);
    return st.isFile() ? path.resolve(p) : null;
  } catch {
    return null;
  }
}
