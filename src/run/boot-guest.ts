// Boot one VM for a run: private run dir with fresh keys, a sparse pmem file, QEMU, then an
// authenticated ssh2 session. Returns a BootedGuest whose shutdown tears down in reverse order.
import { existsSync } from 'node:fs';
import { cp, open, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { HostCaps } from '../host/types.js';
import type { Plan } from '../plan/types.js';
import { prepareSshDir } from '../guest/keys.js';
import { connectGuest } from '../guest/session.js';
import type { GuestSession } from '../guest/types.js';
import { launchVm } from '../vm/launch.js';
import type { VmHandle } from '../vm/types.js';
import type { BootedGuest, VmEnd } from './booted-guest.js';
import { removeAtExit } from './exit-cleanup.js';
import { createRunDir, sweepRunDirs } from './run-dirs.js';
import { extractPanic } from '../vm/crash.js';
import { guestClocksource } from './clocksource.js';
import { collectStacks } from './stacks.js';
import { Teardown } from './teardown.js';

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
  const onAbort = () => void teardown.run();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  teardown.add('stop listening for aborts', () => o.signal?.removeEventListener('abort', onAbort));
  const checkAbort = () => {
    if (o.signal?.aborted) throw new DaxlabError('INTERRUPTED', 'boot interrupted');
  };
  // Teardown, then the run dir once more: a step interrupted half-way may have recreated it.
  const shutdown = () => teardown.run().then(removeRunDir);
  let vm: VmHandle | undefined;
  let session: GuestSession | undefined;
  try {
    checkAbort();
    const ssh = await prepareSshDir(runDir);
    const binDir = join(runDir, 'bin');
    await cp(o.binDir, binDir, { recursive: true });
    // The guest's /tmp (and /root) are tmpfs, so a checkout there is invisible to it: the guest
    // runs its shell scripts from the run dir, which init keeps visible.
    await copyScripts(dirname(o.init), binDir);
    if (o.selftestsDir && existsSync(o.selftestsDir)) await cp(o.selftestsDir, binDir, { recursive: true });
    const pmemFile = join(runDir, 'pmem.img');
    await sparseFile(pmemFile, o.plan.vm.pmemMiB);
    checkAbort();
    vm = await launchVm(
      {
        kernelImage: o.image,
        cmdline: o.extraCmdline ?? [],
        cpus: o.plan.vm.cpus,
        memoryMiB: o.plan.vm.memoryMiB,
        logBufKiB: o.plan.vm.logBufKiB,
        backend: o.plan.backend,
        pmemFile,
        pmemMiB: o.plan.vm.pmemMiB,
        sshPort: 0,
        serialLog: o.serialLog,
        init: o.init,
        runDir,
      },
      o.caps,
      { signal: o.signal },
    );
    const handle = vm;
    teardown.add('stop QEMU', () => handle.kill());
    let end: VmEnd | null = null;
    handle.exited.then((e) => (end = e), () => (end = { code: null, signal: null }));
    checkAbort();
    const bootMs = o.plan.timeouts.bootSec * 1000;
    const initSeen = handle.waitForSerial(/Run \S+ as init process/, bootMs).then(() => performance.now() - handle.startedAt);
    initSeen.catch(() => undefined);
    await handle.waitReady(bootMs);
    const sshdStartedMs = performance.now() - handle.startedAt;
    // A connection to the guest's sshd with this boot's keys (the host key verified).
    const connect = (withinMs: number) => connectGuest({
      port: handle.sshPort,
      privateKey: ssh.clientKey,
      hostPublicKey: ssh.hostPublicKey,
      deadlineMs: Date.now() + withinMs,
      giveUp: () => (o.signal?.aborted ? 'interrupted' : end ? 'QEMU exited' : null),
    });
    session = await connect(bootMs);
    const s = session;
    teardown.add('close ssh', () => s.close());
    let disconnected = false;
    s.onClose(() => (disconnected = true));
    const readyMs = performance.now() - handle.startedAt;
    const kernelInitMs = await initSeen.catch(() => readyMs);
    checkAbort();
    const onLane = (n: number): BootedGuest['guest'] => ({
      exec: async (argv, opts) => {
        const r = await s.lane(n).exec(argv, opts);
        if (r.exitCode === null && !r.timedOut) {
          throw new DaxlabError('GUEST_FAILED', `guest stopped answering during ${argv[0]}`);
        }
        return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
      },
    });
    const clocksource = await guestClocksource(onLane(0));
    return {
      binDir,
      serialLog: o.serialLog,
      guest: onLane(0),
      lane: onLane,
      interactive: (io) => s.interactive(io),
      exited: () => end !== null,
      exitStatus: () => end,
      disconnected: () => disconnected,
      panicText: () => extractPanic(handle.serialTail(400)),
      serialTail: (n) => handle.serialTail(n),
      dumpStacks: () =>
        collectStacks({
          serialLog: o.serialLog,
          sendKey: (key) => handle.qmp('human-monitor-command', { 'command-line': `sendkey alt-sysrq-${key}` }),
          // Over the session while it lives; after a cut, over a fresh connection (sshd may still run).
          viaShell: async (keys) => {
            const argv = ['sh', '-c', 'for k; do echo "$k" > /proc/sysrq-trigger; done', 'sh', ...keys];
            if (!disconnected) return s.execChannel(argv, { timeoutMs: 10_000 });
            const fresh = await connect(10_000);
            try {
              return await fresh.execChannel(argv, { timeoutMs: 10_000 });
            } finally {
              fresh.close();
            }
          },
        }),
      // Nothing in the guest outlives the VM (the pmem file is per boot), so stopping QEMU is enough.
      shutdown,
      timings: { kernelInitMs, sshdStartedMs, readyMs },
      accel: handle.accel,
      ...(clocksource ? { clocksource } : {}),
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}
