// A remote machine's upload store and helper script, made ready on each connection (a machine
// that was kexec'd may have lost both with its tmpfs), and the probe of what the machine has.
import { join } from 'node:path';
import { DaxlabError } from '../../errors.js';
import type { HostCaps } from '../../host/types.js';
import type { Teardown } from '../../run/teardown.js';
import { HOST_SCRIPTS_DIR } from '../../cli/paths.js';
import { parseRemoteProbe } from './remote-caps.js';
import type { RemoteHost } from './ssh-host.js';
import { hashFile, hasBlob, putBlob } from './upload.js';

/** The helper run on remote machines. */
export const REMOTE_SCRIPT = join(HOST_SCRIPTS_DIR, 'daxlab-remote.sh');

/** The store and the helper script's path in it. */
export interface RemoteStore {
  store: string;
  script: string;
}

/** Make the store (0700) and put the helper script into it unless it is there. */
export async function openStore(host: RemoteHost): Promise<RemoteStore> {
  const store = host.spec.workDir ?? `${await homeOf(host)}/.cache/daxlab-remote`;
  const made = await host.exec(['mkdir', '-p', '-m', '0700', store], { timeoutMs: 30_000 });
  if (made.code !== 0) throw new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: cannot make ${store}: ${made.stderr.trim()}`);
  const scriptHash = await hashFile(REMOTE_SCRIPT);
  if (!(await hasBlob(host, store, scriptHash))) await putBlob(host, REMOTE_SCRIPT, store, scriptHash);
  return { store, script: `${store}/${scriptHash}` };
}

/** What the machine has: QEMU (a name or path, "-" for none), KVM, and these tools. */
export async function probeRemote(host: RemoteHost, script: string, qemu: string, tools: readonly string[]): Promise<HostCaps> {
  const probed = await host.exec(['bash', script, 'probe', qemu, ...tools], { timeoutMs: 60_000 });
  if (probed.code !== 0) throw new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: the probe failed: ${probed.stderr.trim()}`);
  return parseRemoteProbe(probed.stdout);
}

/**
 * Stage a 0700 run dir under the machine's /tmp from the store (entries HASH:MODE:PATH, a sparse
 * pmem.img of pmemMiB unless 0); teardown removes it again while the connection lives.
 */
export async function stageRunDir(host: RemoteHost, s: RemoteStore, pmemMiB: number, entries: readonly string[], teardown: Teardown): Promise<string> {
  const staged = await host.exec(['bash', s.script, 'stage', s.store, String(pmemMiB), ...entries], { timeoutMs: 120_000 });
  const runDir = staged.stdout.trim();
  if (staged.code !== 0 || !runDir.startsWith('/tmp/daxlab-remote.')) {
    throw new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: cannot stage a run dir: ${staged.stderr.trim() || `exit ${staged.code}`}`);
  }
  teardown.add('remove the run dir on the remote machine', async () => {
    if (!host.closed()) await host.exec(['bash', s.script, 'cleanup', runDir], { timeoutMs: 15_000 });
  });
  return runDir;
}

async function homeOf(host: RemoteHost): Promise<string> {
  const sftp = await host.sftp();
  return new Promise((res, rej) => sftp.realpath('.', (e, p) => (e ? rej(new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: cannot find the home directory: ${e.message}`)) : res(p))));
}
