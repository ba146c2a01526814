// A QEMU on a kvm-host's host, behind the same VmHandle as a local one: started by the helper
// script in its own process group, its serial log streamed into the local results, its monitor
// and the guest's sshd reached through the SSH connection. Letting go of the channel stops it.
import { createWriteStream } from 'node:fs';
import { randomInt } from 'node:crypto';
import { constants } from 'node:os';
import { DaxlabError } from '../../errors.js';
import type { HostCaps } from '../../host/types.js';
import { isForwardFailure } from '../../vm/ports.js';
import { buildQemuCommand, qmpSocketPath } from '../../vm/qemu-args.js';
import { qmpOn } from '../../vm/qmp.js';
import { lastLines } from '../../vm/serial.js';
import { SERIAL_TAIL_LINES, serialWaits } from '../../vm/serial-wait.js';
import type { VmExit, VmHandle, VmSpec } from '../../vm/types.js';
import type { RemoteHost } from './ssh-host.js';

/** How to start one remote VM. spec's paths are the host's; spec.sshPort 0 picks a port there. */
export interface RemoteLaunch {
  host: RemoteHost;
  /** The helper script's path on the host. */
  script: string;
  spec: VmSpec;
  caps: HostCaps;
  /** Where the serial log is streamed to, locally. */
  localSerialLog: string;
  startTimeoutMs?: number;
  signal?: AbortSignal;
}

/** "qemu-pid 123" and "qemu-exit 137" lines the helper writes on stderr (pure); a status above 128 is a signal. */
export function helperFacts(stderr: string): { pid?: number; end?: VmExit } {
  const pid = /daxlab-remote: qemu-pid (\d+)/.exec(stderr)?.[1];
  const status = /daxlab-remote: qemu-exit (\d+)/.exec(stderr)?.[1];
  const n = Number(status);
  const signal = n > 128 ? Object.entries(constants.signals).find(([, v]) => v === n - 128)?.[0] : undefined;
  const end: VmExit | undefined = status === undefined ? undefined : signal ? { code: null, signal } : { code: n, signal: null };
  return { ...(pid ? { pid: Number(pid) } : {}), ...(end ? { end } : {}) };
}

/** A port on the host's loopback for the guest's sshd (a taken one makes QEMU exit, and another is tried). */
function remotePort(): number {
  return randomInt(20_000, 60_000);
}

/** Start QEMU on the host; rejects BOOT_FAILED when it dies first, TARGET_FAILED when the host is lost. */
export async function launchRemoteVm(o: RemoteLaunch): Promise<VmHandle> {
  for (let attempt = 1; ; attempt++) {
    const sshPort = o.spec.sshPort > 0 && attempt === 1 ? o.spec.sshPort : remotePort();
    const cmd = buildQemuCommand({ ...o.spec, sshPort }, o.caps);
    if (cmd.helpers.length > 0) throw new DaxlabError('TARGET_FAILED', `target ${o.host.spec.name}: helper processes (virtiofsd) are not run on remote hosts`);
    const vm = await startOnce(o, cmd.argv, sshPort, cmd.accel);
    const up = await vm.waitUp();
    if (up === 'up') return vm.handle;
    await vm.handle.kill();
    if (up === 'aborted') throw new DaxlabError('INTERRUPTED', 'QEMU start interrupted');
    const out = vm.stderr();
    if (up === 'exited' && isForwardFailure(out) && attempt < 3) continue;
    throw new DaxlabError('BOOT_FAILED', up === 'exited' ? `QEMU exited at startup on ${o.host.spec.name} (port ${sshPort})` : `QEMU on ${o.host.spec.name} did not answer on its monitor in time`, [
      ...lastLines(out, 10),
      ...vm.handle.serialTail(SERIAL_TAIL_LINES),
    ]);
  }
}

async function startOnce(o: RemoteLaunch, argv: string[], sshPort: number, accel: 'kvm' | 'tcg') {
  const serial = createWriteStream(o.localSerialLog, { flags: 'a', mode: 0o644 });
  const startedAt = performance.now();
  const ch = await o.host.spawn(['bash', o.script, 'qemu', o.spec.runDir, ...argv]);
  let stderr = '';
  let done = false;
  ch.on('data', (d: Buffer) => serial.write(d));
  ch.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-64 * 1024)));
  const exited: Promise<VmExit> = new Promise((resolve) => {
    ch.on('close', () => {
      done = true;
      serial.end(() => {
        resolve(helperFacts(stderr).end ?? { code: null, signal: o.host.closed() ? 'the SSH connection to the host ended' : 'stopped' });
      });
    });
  });
  const qmpSock = qmpSocketPath(o.spec.runDir);
  const qmp = async (execute: string, args?: object) => qmpOn(await o.host.streamLocal(qmpSock), execute, args);
  let killing: Promise<void> | undefined;
  const handle: VmHandle = {
    get pid() {
      return helperFacts(stderr).pid ?? -1;
    },
    sshPort,
    accel,
    startedAt,
    exited,
    ...serialWaits({ serialLog: o.localSerialLog, hasExited: () => done, exited, output: () => stderr }),
    qmp,
    kill: () => {
      // The end of stdin tells the helper to stop QEMU's group and remove the run dir.
      killing ??= (async () => {
        if (done) return;
        ch.end();
        const gone = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
        if (gone || o.host.closed()) return;
        await o.host.exec(['bash', o.script, 'cleanup', o.spec.runDir], { timeoutMs: 10_000 }).catch(() => undefined);
        ch.close();
        await exited;
      })();
      return killing;
    },
  };
  const waitUp = async (): Promise<'up' | 'exited' | 'timeout' | 'aborted'> => {
    const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (o.signal?.aborted) return 'aborted';
      if (done) return 'exited';
      try {
        await qmpOn(await o.host.streamLocal(qmpSock), 'query-status', undefined, 2_000);
        return 'up';
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    return done ? 'exited' : 'timeout';
  };
  return { handle, waitUp, stderr: () => stderr };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
