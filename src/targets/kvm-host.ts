// The target kind kvm-host: a remote Linux host reached over SSH, where daxlab runs QEMU. Opening
// it checks the host key, puts the helper script into the host's store and probes the host;
// each kernel's files are uploaded once (content-addressed), then every boot is staged from them.
import { join } from 'node:path';
import type { HostCaps } from '../host/types.js';
import type { Plan } from '../plan/types.js';
import { unsupportedBackend } from '../run/host-check.js';
import { cacheRoot } from '../kernel/cache-dir.js';
import { compileGuestPrograms } from '../workloads/compile.js';
import { GUEST_SCRIPTS_DIR } from '../cli/paths.js';
import { bootRemote } from './remote/boot-remote.js';
import { assertRemoteReady, REMOTE_TOOLS } from './remote/remote-caps.js';
import { openStore, probeRemote } from './remote/remote-store.js';
import { RemoteHost } from './remote/ssh-host.js';
import { filesUnder, stageEntries, uploadFile, uploadMissing, type UploadStats, type UploadFile } from './remote/upload.js';
import type { KvmHostSpec } from './target-file.js';
import type { RunTarget } from './types.js';

/** Files from guest-scripts/ that guests run (not the C sources the programs are built from). */
export function isGuestScript(name: string): boolean {
  return name.endsWith('.sh') || name.startsWith('init-fstab-');
}

/** A kvm-host's connection, its upload store, the helper script's path there, and what the host has. */
export interface KvmHost {
  host: RemoteHost;
  store: string;
  script: string;
  caps: HostCaps;
}

/** Connect (host key checked first), put the helper script into the store, probe the host. */
export async function connectKvmHost(spec: KvmHostSpec): Promise<KvmHost> {
  const host = await RemoteHost.connect(spec);
  try {
    const { store, script } = await openStore(host);
    return { host, store, script, caps: await probeRemote(host, script, spec.qemu, REMOTE_TOOLS) };
  } catch (err) {
    host.close();
    throw err;
  }
}

/** A kvm-host target, connected and probed; `say` gets one line per upload. */
export async function kvmHostTarget(spec: KvmHostSpec, o: { append?: string[]; say?: (m: string) => void } = {}): Promise<RunTarget & { caps: HostCaps; uploads: UploadStats[] }> {
  const { host, store, script, caps } = await connectKvmHost(spec);
  const uploads: UploadStats[] = [];
  const where = `${spec.user}@${spec.host}`;
  return {
    name: spec.name,
    kind: 'kvm-host',
    slots: spec.slots,
    caps,
    uploads,
    describe: () => (caps.kvm ? `${spec.name}: KVM on ${where}` : `${spec.name}: KVM not usable on ${where} (${caps.kvmReason}): using TCG, software emulation`),
    unsupported: (p) => (p.backend === 'virtiofs' ? 'virtio-fs is not run on kvm-host targets yet (virtiofsd is not started on remote hosts)' : unsupportedBackend(p, caps)),
    booter: async (p: Plan, built) => {
      assertRemoteReady(spec.name, where, p, caps);
      const files = await kernelFiles(built.artifact.image, built.artifact.selftests);
      const stats = await uploadMissing(host, script, store, files);
      uploads.push(stats);
      o.say?.(`${spec.name}: uploaded ${stats.sent} of ${stats.files} files (${(stats.bytes / 1048576).toFixed(1)} MiB), ${stats.files - stats.sent} already in ${store}`);
      const base = { host, script, store, caps, plan: p, slots: spec.slots, slotWaitSec: spec.slotWaitSec, image: `${store}/${files[0]!.hash}`, entries: stageEntries(files), ...(o.append ? { extraCmdline: o.append } : {}) };
      return (_image, serialLog, signal) => bootRemote(base, serialLog, signal);
    },
    close: async () => host.close(),
  };
}

/** The kernel image first (kept in the store only), then what the run dir's bin/ holds. */
export async function kernelFiles(image: string, selftests: string | undefined): Promise<UploadFile[]> {
  const guestBin = await compileGuestPrograms(GUEST_SCRIPTS_DIR, join(cacheRoot(), 'guest-bin'));
  return [
    await uploadFile(image, ''),
    ...(await filesUnder(guestBin.binDir, 'bin')),
    ...(await filesUnder(GUEST_SCRIPTS_DIR, 'bin', isGuestScript)),
    ...(selftests ? await filesUnder(selftests, 'bin').catch(() => []) : []),
  ];
}
