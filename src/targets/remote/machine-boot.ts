// One "boot" on a machine target: bring it to the kernel under test (kexec, proven by the mark on
// its command line and its release) unless it runs it already, upload what the cases need, hold
// its lock, stage a run dir, follow its kernel log and log in. No VM: the cases run on the machine.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { DaxlabError } from '../../errors.js';
import type { HostCaps } from '../../host/types.js';
import { attachGuest } from '../../run/attach-guest.js';
import type { BootedGuest } from '../../run/booted-guest.js';
import { Teardown } from '../../run/teardown.js';
import type { MachineSpec } from '../target-spec.js';
import { BOOT_MARK, kexecCmdline, MachineGone, moveMachine, waitForNewBoot, type MachineIdentity } from './kexec.js';
import { machineHandle } from './machine-handle.js';
import { openStore, stageRunDir, type RemoteStore } from './remote-store.js';
import { holdSlot } from './slot-lock.js';
import type { RemoteHost } from './ssh-host.js';
import { stageEntries, uploadMissing, type UploadFile } from './upload.js';

/** The machine as the target holds it across boots: its connection is replaced by every kexec. */
export interface MachineState {
  spec: MachineSpec;
  host: RemoteHost;
  store: RemoteStore;
  /** What the machine has (its tools), probed when it was opened. */
  caps: HostCaps;
  /** The boot daxlab found the machine in (its default kernel). */
  original: MachineIdentity;
  /** The boot it is in now. */
  id: MachineIdentity;
  /** True once daxlab moved it off its default kernel. */
  moved: boolean;
  /** Why the machine was given up on (it did not come back in time): nothing more is tried on it. */
  lost?: string;
  /** The boot id an earlier BootedGuest ran cases in: a boot is fresh for one BootedGuest only, as a VM is. */
  usedBootId?: string;
  say: (m: string) => void;
}

/** One kernel on the machine: its files (image first), release, and the mark of its boots (absent: the running kernel). */
export interface MachineKernel {
  files: UploadFile[];
  release: string;
  mark?: string;
  append: string[];
}

function tcpTo(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

// A machine that did not come back within bootTimeoutSec is given up on: neither a later boot nor
// the restore waits for it a second time.
async function noteLost<T>(m: MachineState, waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (err) {
    if (err instanceof MachineGone) m.lost = err.message;
    throw err;
  }
}

// A machine whose connection was lost (cut, or it crashed and rebooted) must answer again before
// anything else, in any boot: a boot without this kernel's mark is kexec'd again.
async function reconnect(m: MachineState, signal?: AbortSignal): Promise<void> {
  if (!m.host.closed()) return;
  if (m.lost) throw new DaxlabError('TARGET_FAILED', m.lost);
  const back = await noteLost(m, waitForNewBoot(m.spec, null, 'losing the connection to it', signal));
  m.host = back.host;
  m.id = back.id;
  m.store = await openStore(m.host);
}

// kexec into the kernel under test unless this boot is one of its boots that no cases ran in yet
// (the runner asks for a new boot after a taint or a lost guest: on a machine that is a new kexec).
async function toKernelUnderTest(m: MachineState, k: MachineKernel, signal?: AbortSignal): Promise<number | null> {
  const marked = m.id.cmdline.split(/\s+/).includes(`${BOOT_MARK}${k.mark}`);
  if (!k.mark || (marked && m.usedBootId !== m.id.bootId)) return null;
  const image = k.files[0]!;
  await uploadMissing(m.host, m.store.script, m.store.store, [image]);
  m.say(`${m.spec.name}: kexec into ${k.release} (was ${m.id.release})`);
  m.moved = true;
  const cmdline = kexecCmdline(m.original.cmdline, k.append, k.mark);
  const moved = await noteLost(m, moveMachine(m.host, m.store.script, { image: `${m.store.store}/${image.hash}`, cmdline, what: `kexec into ${k.release}` }, signal));
  m.host = moved.host;
  m.id = moved.id;
  m.store = await openStore(m.host);
  if (!moved.id.cmdline.split(/\s+/).includes(`${BOOT_MARK}${k.mark}`) || moved.id.release !== k.release) {
    throw new DaxlabError('TARGET_FAILED', `target ${m.spec.name}: after the kexec it runs ${moved.id.release} with "${moved.id.cmdline}", not the kernel sent (${k.release}, ${BOOT_MARK}${k.mark})`);
  }
  m.say(`${m.spec.name}: runs the kernel under test after ${(moved.ms / 1000).toFixed(1)} s: ${moved.id.version}`);
  return moved.ms;
}

/** Bring the machine to the kernel and log in; everything made for the boot is undone at shutdown. */
export async function bootMachine(m: MachineState, k: MachineKernel, serialLog: string, signal?: AbortSignal): Promise<BootedGuest> {
  const teardown = new Teardown();
  teardown.runOnAbort(signal);
  const shutdown = () => teardown.run();
  try {
    await reconnect(m, signal);
    const kexecMs = await toKernelUnderTest(m, k, signal);
    const startedAt = performance.now() - (kexecMs ?? 0);
    const host = m.host;
    const { store, script } = m.store;
    await uploadMissing(host, script, store, k.files);
    const slot = await holdSlot(host, { script, store, slots: 1, waitSec: 600 }, signal);
    teardown.add('release the machine', () => void slot.end());
    const runDir = await stageRunDir(host, m.store, 0, stageEntries(k.files), teardown);
    const handle = await machineHandle(host, script, serialLog, startedAt);
    const booted = await attachGuest({
      handle, teardown, ...('privateKey' in host.auth ? { clientKey: host.auth.privateKey } : host.auth), hostPublicKey: host.hostKey,
      openSock: () => tcpTo(m.spec.host, m.spec.port), serialLog, binDir: `${runDir}/bin`, bootMs: m.spec.bootTimeoutSec * 1000, signal, shutdown,
    });
    m.usedBootId = m.id.bootId;
    return { ...booted, pmemDevices: m.spec.devices };
  } catch (err) {
    await shutdown();
    throw err;
  }
}

/** Return a machine daxlab moved to its default kernel (kexec into restoreImage, or reboot); proven by its release. */
export async function restoreMachine(m: MachineState): Promise<string> {
  if (m.host.closed()) await reconnect(m);
  const spec = m.spec;
  const to = spec.restore === 'kexec'
    ? { image: spec.restoreImage, cmdline: kexecCmdline(m.original.cmdline, []), what: `kexec back into ${spec.restoreImage}` }
    : { what: 'a reboot into its default kernel' };
  const moved = await moveMachine(m.host, m.store.script, to);
  m.host = moved.host;
  m.id = moved.id;
  if (moved.id.release !== m.original.release || moved.id.cmdline.includes(BOOT_MARK)) {
    throw new DaxlabError('TARGET_FAILED', `target ${spec.name}: after ${to.what} it runs ${moved.id.release} ("${moved.id.cmdline}"), not its default ${m.original.release}`);
  }
  return `${spec.name}: back on its default kernel ${moved.id.release} after ${(moved.ms / 1000).toFixed(1)} s (${to.what})`;
}
