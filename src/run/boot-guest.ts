// Boot one VM for a run: private run dir with fresh keys, a sparse pmem file (or the virtio-fs
// share), QEMU (virtiofsd first), then an authenticated ssh2 session. Returns a BootedGuest whose shutdown tears down in reverse order.
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, open, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { HostCaps } from '../host/types.js';
import type { Plan } from '../plan/types.js';
import { prepareSshDir } from '../guest/keys.js';
import { launchVm } from '../vm/launch.js';
import type { VmHandle } from '../vm/types.js';
import { attachGuest } from './attach-guest.js';
import type { BootedGuest } from './booted-guest.js';
import { removeAtExit } from './exit-cleanup.js';
import { createRunDir, sweepRunDirs } from './run-dirs.js';
import { Teardown } from './teardown.js';
import { vmSpecFor } from './vm-spec.js';

export interface BootOptions {
  plan: Plan;
  caps: HostCaps;
  image: string;
  /** Absolute path of guest-scripts/init.sh. */
  init: string;
  /** Compiled workload programs; copied into the run dir (the guest cannot see the host's /root). */
  binDir: string;
  /** Selftest programs built from the kernel's own tree (its cache entry's selftests/), copied beside binDir's. */
  selftestsDir?: string;
  serialLog: string;
  extraCmdline?: string[];
  /** Aborting tears the VM down at once (boot or case in progress): Ctrl-C must not wait for either. */
  signal?: AbortSignal;
}

async function copyScripts(from: string, to: string): Promise<void> {
  for (const name of await readdir(from)) {
    if (name.endsWith('.sh')) await cp(join(from, name), join(to, name), { preserveTimestamps: true });
  }
}

// The virtio-fs share: only root (virtiofsd, and the guest through it) works in it.
async function privateDir(path: string): Promise<void> {
  await mkdir(path, { mode: 0o700 });
  await chmod(path, 0o700);
}

async function sparseFile(path: string, mib: number): Promise<void> {
  const fh = await open(path, 'w', 0o600);
  await fh.truncate(mib * 1024 * 1024);
  await fh.close();
}

/** Boot and log in; on any failure everything started so far is torn down before the error propagates. */
export async function bootGuest(o: BootOptions): Promise<BootedGuest> {
  const teardown = new Teardown();
  // What a daxlab killed earlier (SIGKILL, OOM) left: run dirs whose owner lock is free, pmem files in them.
  await sweepRunDirs();
  // The run dir holds private keys: 0700, outside the results, removed at shutdown. It must be
  // visible to the guest through the read-only root share, so it lives under /tmp on the host.
  const owned = await createRunDir();
  const runDir = owned.path;
  // Also removed synchronously at exit, should daxlab be forced out before its teardown ran.
  removeAtExit(runDir);
  const removeRunDir = () => rm(runDir, { recursive: true, force: true });
  // Steps run newest first: the dir is removed before its owner lock is let go.
  teardown.add('release the run dir owner lock', () => owned.release());
  teardown.add('remove run dir', removeRunDir);
  teardown.runOnAbort(o.signal);
  const checkAbort = () => {
    if (o.signal?.aborted) throw new DaxlabError('INTERRUPTED', 'boot interrupted');
  };
  // Teardown, then the run dir once more: a step interrupted half-way may have recreated it.
  const shutdown = () => teardown.run().then(removeRunDir);
  let vm: VmHandle | undefined;
  try {
    checkAbort();
    const ssh = await prepareSshDir(runDir);
    const binDir = join(runDir, 'bin');
    await cp(o.binDir, binDir, { recursive: true });
    // The guest's /tmp (and /root) are tmpfs, so a checkout there is invisible to it: the guest
    // runs its shell scripts from the run dir, which init keeps visible.
    await copyScripts(dirname(o.init), binDir);
    if (o.selftestsDir && existsSync(o.selftestsDir)) await cp(o.selftestsDir, binDir, { recursive: true });
    const spec = vmSpecFor(o.plan, { image: o.image, cmdline: o.extraCmdline ?? [], serialLog: o.serialLog, init: o.init, runDir });
    if (spec.virtiofs) await privateDir(spec.virtiofs.dir);
    else await sparseFile(spec.pmemFile, spec.pmemMiB);
    checkAbort();
    vm = await launchVm(spec, o.caps, { signal: o.signal });
    return await attachGuest({
      handle: vm, teardown, clientKey: ssh.clientKey, hostPublicKey: ssh.hostPublicKey, serialLog: o.serialLog, binDir,
      bootMs: o.plan.timeouts.bootSec * 1000, signal: o.signal, shutdown,
    });
  } catch (err) {
    await shutdown();
    throw err;
  }
}
