// From a started QEMU to a BootedGuest: wait for init's readiness marker, log in to the guest's sshd
// (here through the forwarded port, or through a stream a remote target opens), and hand out the
// guest's lanes, console and stack dumps. The same for the local target and a remote KVM host.
import type { Duplex } from 'node:stream';
import { DaxlabError } from '../errors.js';
import { connectGuest } from '../guest/session.js';
import { extractPanic } from '../vm/crash.js';
import type { VmHandle } from '../vm/types.js';
import type { BootedGuest, VmEnd } from './booted-guest.js';
import { guestClocksource } from './clocksource.js';
import { collectStacks } from './stacks.js';
import type { Teardown } from './teardown.js';

/** A started VM and what logging in to it needs. */
export interface AttachOptions {
  handle: VmHandle;
  /** Where stopping QEMU and closing the session are registered. */
  teardown: Teardown;
  /** This boot's client key (or ssh-agent's socket) and the guest's host key (SSH wire blob), the only one accepted. */
  clientKey?: string;
  agent?: string;
  hostPublicKey: Buffer;
  /** Opens a stream to the guest's sshd (a remote host's forward); absent: 127.0.0.1:handle.sshPort. */
  openSock?: () => Promise<Duplex>;
  serialLog: string;
  /** The guest programs' directory as the guest sees it. */
  binDir: string;
  bootMs: number;
  signal?: AbortSignal | undefined;
  /** Tears the whole boot down (the BootedGuest's shutdown). */
  shutdown: () => Promise<void>;
}

/** Wait for the guest, log in and build the BootedGuest; the caller tears down on a throw. */
export async function attachGuest(o: AttachOptions): Promise<BootedGuest> {
  const checkAbort = () => {
    if (o.signal?.aborted) throw new DaxlabError('INTERRUPTED', 'boot interrupted');
  };
  const handle = o.handle;
  const teardown = o.teardown;
  teardown.add('stop QEMU', () => handle.kill());
  let end: VmEnd | null = null;
  handle.exited.then((e) => (end = e), () => (end = { code: null, signal: null }));
  checkAbort();
  const bootMs = o.bootMs;
  const initSeen = handle.waitForSerial(/Run \S+ as init process/, bootMs).then(() => performance.now() - handle.startedAt);
  initSeen.catch(() => undefined);
  await handle.waitReady(bootMs);
  const sshdStartedMs = performance.now() - handle.startedAt;
  // A connection to the guest's sshd with this boot's keys (the host key verified).
  const connect = (withinMs: number) => connectGuest({
    port: handle.sshPort,
    ...(o.openSock ? { sock: o.openSock } : {}),
    ...(o.clientKey ? { privateKey: o.clientKey } : { agent: o.agent }),
    hostPublicKey: o.hostPublicKey,
    deadlineMs: Date.now() + withinMs,
    giveUp: () => (o.signal?.aborted ? 'interrupted' : end ? 'QEMU exited' : null),
  });
  const s = await connect(bootMs);
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
    binDir: o.binDir,
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
    shutdown: o.shutdown,
    timings: { kernelInitMs, sshdStartedMs, readyMs },
    accel: handle.accel,
    ...(clocksource ? { clocksource } : {}),
  };
}
