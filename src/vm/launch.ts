// Start a VM: helpers first, then QEMU; retry on a taken port; hand back a VmHandle.
import { existsSync, promises as fs } from 'node:fs';
import { DaxlabError } from '../errors.js';
import type { HostCaps } from '../host/types.js';
import { buildQemuCommand, qmpSocketPath } from './qemu-args.js';
import { freePort, isForwardFailure } from './ports.js';
import { spawnTracked, type Child } from './process.js';
import { qmpCommand } from './qmp.js';
import { lastLines, readSerial } from './serial.js';
import { SERIAL_TAIL_LINES, serialWaits } from './serial-wait.js';
import type { VmHandle, VmSpec } from './types.js';

/** Knobs for launchVm. */
export interface LaunchOptions {
  /** Ports to try when QEMU cannot set up the forward (default 3). */
  portTries?: number;
  /** How long QEMU and helpers may take to come up, before the guest boots (default 30 s). */
  startTimeoutMs?: number;
  /** Aborting stops QEMU and its helpers while they start (Ctrl-C during boot). */
  signal?: AbortSignal;
}

export { SERIAL_TAIL_LINES };

/** Launch the VM described by spec (sshPort 0 picks a free port). Rejects BOOT_FAILED when QEMU dies first. */
export async function launchVm(spec: VmSpec, caps: HostCaps, opts: LaunchOptions = {}): Promise<VmHandle> {
  const tries = opts.portTries ?? 3;
  for (let attempt = 1; ; attempt++) {
    const sshPort = attempt === 1 && spec.sshPort > 0 ? spec.sshPort : await freePort();
    const cmd = buildQemuCommand({ ...spec, sshPort }, caps);
    const qmpSock = qmpSocketPath(spec.runDir);
    await fs.rm(qmpSock, { force: true });
    const helpers: Child[] = [];
    try {
      for (const h of cmd.helpers) helpers.push(await startHelper(h.name, h.argv, spec, opts));
    } catch (err) {
      await stopAll(helpers);
      throw err;
    }
    const startedAt = performance.now();
    const qemu = spawnTracked('qemu', cmd.argv);
    const up = await waitQemuUp(qemu, qmpSock, opts.startTimeoutMs ?? 30_000, opts.signal);
    if (up === 'up') return makeHandle({ spec, sshPort, accel: cmd.accel, qemu, helpers, qmpSock, startedAt });
    await qemu.stop();
    await stopAll(helpers);
    if (up === 'aborted') throw new DaxlabError('INTERRUPTED', 'QEMU start interrupted');
    const out = qemu.output();
    if (up === 'exited' && isForwardFailure(out) && attempt < tries) continue;
    throw new DaxlabError(
      'BOOT_FAILED',
      up === 'exited' ? `QEMU exited at startup (port ${sshPort})` : 'QEMU did not answer on its monitor socket in time',
      [...lastLines(out, 10).map((l) => `qemu: ${l}`), ...lastLines(readSerial(spec.serialLog), SERIAL_TAIL_LINES)],
    );
  }
}

// The QMP greeting comes from QEMU's main loop, which starts after every device and
// the network forward are set up: an answer means QEMU is fully up.
async function waitQemuUp(qemu: Child, sock: string, timeoutMs: number, signal?: AbortSignal): Promise<'up' | 'exited' | 'timeout' | 'aborted'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) return 'aborted';
    if (qemu.hasExited()) return 'exited';
    if (existsSync(sock)) {
      try {
        await qmpCommand(sock, 'query-status', undefined, 2_000);
        return 'up';
      } catch {
        // not listening yet
      }
    }
    await sleep(50);
  }
  return qemu.hasExited() ? 'exited' : 'timeout';
}

async function startHelper(name: string, argv: string[], spec: VmSpec, opts: LaunchOptions): Promise<Child> {
  const sock = spec.virtiofs?.socket;
  if (sock) await fs.rm(sock, { force: true });
  const child = spawnTracked(name, argv);
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  // virtiofsd is ready once its vhost-user socket exists.
  while (sock && !existsSync(sock)) {
    if (child.hasExited() || Date.now() > deadline || opts.signal?.aborted) {
      await child.stop();
      throw new DaxlabError('BOOT_FAILED', `${name} did not create ${sock}`, lastLines(child.output(), 10));
    }
    await sleep(20);
  }
  return child;
}

interface Parts {
  spec: VmSpec;
  sshPort: number;
  accel: 'kvm' | 'tcg';
  qemu: Child;
  helpers: Child[];
  qmpSock: string;
  startedAt: number;
}

function makeHandle(p: Parts): VmHandle {
  let killing: Promise<void> | undefined;
  return {
    pid: p.qemu.pid,
    sshPort: p.sshPort,
    accel: p.accel,
    startedAt: p.startedAt,
    exited: p.qemu.exited,
    ...serialWaits({ serialLog: p.spec.serialLog, hasExited: () => p.qemu.hasExited(), exited: p.qemu.exited, output: () => p.qemu.output() }),
    qmp: (execute, args) => qmpCommand(p.qmpSock, execute, args),
    kill: () => {
      // QEMU first, then its helpers: reverse order of start.
      killing ??= (async () => {
        await p.qemu.stop();
        await stopAll(p.helpers);
      })();
      return killing;
    },
  };
}

async function stopAll(children: Child[]): Promise<void> {
  await Promise.all([...children].reverse().map((c) => c.stop()));
}

// A polling loop's pause (never unref'd: it is what keeps the loop going).
function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
