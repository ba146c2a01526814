// Boot one guest on a kvm-host: hold a slot, stage a 0700 run dir on the host from the store,
// send this boot's SSH keys, start QEMU there and log in through the connection. Everything it
// made on the host is removed at shutdown, on Ctrl-C, and (by the helper) when the connection dies.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { DaxlabError } from '../../errors.js';
import { prepareSshDir } from '../../guest/keys.js';
import type { HostCaps } from '../../host/types.js';
import type { Plan } from '../../plan/types.js';
import { attachGuest } from '../../run/attach-guest.js';
import type { BootedGuest } from '../../run/booted-guest.js';
import { Teardown } from '../../run/teardown.js';
import { stageRunDir } from './remote-store.js';
import { launchRemoteVm } from './remote-vm.js';
import { holdSlot } from './slot-lock.js';
import type { RemoteHost } from './ssh-host.js';

/** What every boot on one host shares for one kernel. */
export interface RemoteBootBase {
  host: RemoteHost;
  script: string;
  store: string;
  caps: HostCaps;
  plan: Plan;
  /** The kernel image's path on the host (in the store). */
  image: string;
  /** HASH:MODE:PATH words that stage the run dir's bin/ from the store. */
  entries: string[];
  extraCmdline?: string[];
  /** The host's slots and how long a boot waits for one. */
  slots: number;
  slotWaitSec: number;
}

/** Send this boot's keys and sshd_config into RUNDIR/ssh (0700, files 0600). */
async function sendKeys(b: RemoteBootBase, runDir: string): Promise<{ clientKey: string; hostPublicKey: Buffer }> {
  const local = await mkdtemp(join(tmpdir(), 'daxlab-keys-'));
  try {
    const ssh = await prepareSshDir(local, runDir);
    const sftp = await b.host.sftp();
    const remoteDir = posix.join(runDir, 'ssh');
    await new Promise<void>((res, rej) => sftp.mkdir(remoteDir, { mode: 0o700 }, (e) => (e ? rej(e) : res())));
    for (const name of await readdir(ssh.dir)) {
      const text = await readFile(join(ssh.dir, name));
      await new Promise<void>((res, rej) => sftp.writeFile(posix.join(remoteDir, name), text, { mode: 0o600 }, (e) => (e ? rej(e) : res())));
    }
    return { clientKey: ssh.clientKey, hostPublicKey: ssh.hostPublicKey };
  } finally {
    await rm(local, { recursive: true, force: true });
  }
}

/** Boot one guest on the host; on any failure what was started there is torn down before the error. */
export async function bootRemote(b: RemoteBootBase, serialLog: string, signal?: AbortSignal): Promise<BootedGuest> {
  const teardown = new Teardown();
  teardown.runOnAbort(signal);
  const shutdown = () => teardown.run();
  const name = b.host.spec.name;
  try {
    const slot = await holdSlot(b.host, { script: b.script, store: b.store, slots: b.slots, waitSec: b.slotWaitSec }, signal);
    teardown.add('release the slot', () => void slot.end());
    const runDir = await stageRunDir(b.host, b, b.plan.vm.pmemMiB, b.entries, teardown);
    const keys = await sendKeys(b, runDir);
    if (signal?.aborted) throw new DaxlabError('INTERRUPTED', 'boot interrupted');
    const vm = b.plan.vm;
    const handle = await launchRemoteVm({
      host: b.host,
      script: b.script,
      spec: {
        kernelImage: b.image, cmdline: b.extraCmdline ?? [], cpus: vm.cpus, memoryMiB: vm.memoryMiB, logBufKiB: vm.logBufKiB,
        backend: b.plan.backend, pmemFile: posix.join(runDir, 'pmem.img'), pmemMiB: vm.pmemMiB, sshPort: 0,
        serialLog: posix.join(runDir, 'serial.log'), init: posix.join(runDir, 'bin', 'init.sh'), runDir,
      },
      caps: b.caps,
      localSerialLog: serialLog,
      signal,
    });
    return await attachGuest({
      handle, teardown, ...keys, openSock: () => b.host.forwardOut(handle.sshPort), serialLog, binDir: posix.join(runDir, 'bin'),
      bootMs: b.plan.timeouts.bootSec * 1000, signal, shutdown,
    });
  } catch (err) {
    await shutdown();
    if (err instanceof DaxlabError || !b.host.closed()) throw err;
    throw new DaxlabError('TARGET_FAILED', `target ${name}: ${b.host.closed()}: ${(err as Error).message}`);
  }
}
