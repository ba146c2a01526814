// Start a VM: helpers first, then QEMU; retry on a taken port; hand back a VmHandle.
import { existsSync, promises as fs } from 'node:fs';
import { DaxlabError } from '../errors.js';
import type { HostCaps } from '../host/types.js';
import { buildQemuCommand, qmpSocketPath } from './qemu-args.js';
import { freePort, isForwardFailure } from './ports.js';
import { spawnTracked, type Child } from './process.js';
import { qmpCommand } from './qmp.js';
import { lastLines, readSerial, watchSerial } from './serial.js';
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

/** Lines of serial log put into BOOT_FAILED errors. */
export const SERIAL_TAIL_LINES = 30;

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
  const tail = (n: number) => lastLines(readSerial(p.spec.serialLog), n);
  const bootFailed = async (msg: string) => {
    // Give a dying kernel a moment to finish its trace before taking the tail.
    await Promise.race([p.qemu.exited, sleep(1_000, true)]);
    const qemuLines = p.qemu.hasExited() ? lastLines(p.qemu.output(), 5).map((l) => `qemu: ${l}`) : [];
    return new DaxlabError('BOOT_FAILED', msg, [...qemuLines, ...tail(SERIAL_TAIL_LINES)]);
  };
  const wait = async (re: RegExp, timeoutMs: number, failOn?: RegExp, what = `${re}`) => {
    const r = await watchSerial(p.spec.serialLog, re, { timeoutMs, failOn, isExited: p.qemu.hasExited });
    if (r.kind === 'match') return r.match;
    if (r.kind === 'fail') throw await bootFailed(`guest init failed: ${r.match[1] ?? r.match[0]}`);
    if (r.kind === 'panic') throw await bootFailed('kernel panic in the guest');
    if (r.kind === 'exited') {
      const e = await p.qemu.exited;
      throw await bootFailed(`QEMU exited (code ${e.code}, signal ${e.signal}) before ${re} appeared on the serial console`);
    }
    throw await bootFailed(`${what} did not appear on the serial console within ${timeoutMs / 1000} s (plan timeouts.boot)`);
  };
  let killing: Promise<void> | undefined;
  return {
    pid: p.qemu.pid,
    sshPort: p.sshPort,
    accel: p.accel,
    startedAt: p.startedAt,
    exited: p.qemu.exited,
    serialTail: tail,
    waitForSerial: (re, timeoutMs) => wait(re, timeoutMs),
    waitReady: async (timeoutMs) => {
      await wait(/DAXLAB-READY/, timeoutMs, /DAXLAB-INIT-FAILED ?([^\r\n]*)/, 'the guest never got ready: DAXLAB-READY (sshd started by init)');
    },
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

// `unref` for a pause raced against something else, which must not keep daxlab alive once done
// (Ctrl-C during boot); never for a polling loop's pause, which is what keeps the loop going.
function sleep(ms: number, unref = false): Promise<void> {
  return new Promise((r) => {
    const t = setTimeout(r, ms);
    if (unref) t.unref();
  });
}
