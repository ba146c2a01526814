// Moving a machine between kernels over SSH: kexec into an image (or reboot), let go of the
// connection, wait until it answers again with the same host key, and prove which kernel runs.
import { DaxlabError } from '../../errors.js';
import { lastLines, readSerial } from '../../vm/serial.js';
import type { MachineSpec } from '../target-spec.js';
import { HostKeyRefused, RemoteHost } from './ssh-host.js';

/** Which boot of which kernel a machine is in. */
export interface MachineIdentity {
  bootId: string;
  cmdline: string;
  release: string;
  version: string;
}

/** The machine did not answer SSH in time after a kexec, a reboot or a lost connection. */
export class MachineGone extends DaxlabError {}

/** The kernel command-line word that marks a boot daxlab made. */
export const BOOT_MARK = 'daxlab.boot=';

/** Pure: the command line for a kexec: the machine's own words without an earlier mark, the extra words, then the mark. */
export function kexecCmdline(original: string, extra: readonly string[], mark?: string): string {
  const own = original.trim().split(/\s+/).filter((w) => w !== '' && !w.startsWith(BOOT_MARK));
  return [...own, ...extra, ...(mark ? [`${BOOT_MARK}${mark}`] : [])].join(' ');
}

/** Read the machine's boot id, command line, release and version. */
export async function identify(host: RemoteHost, timeoutMs = 30_000): Promise<MachineIdentity> {
  const r = await host.exec(['sh', '-c', 'cat /proc/sys/kernel/random/boot_id /proc/cmdline; uname -r; cat /proc/version'], { timeoutMs });
  const [bootId, cmdline, release, version] = r.stdout.split('\n');
  if (r.code !== 0 || !bootId || !release) throw new DaxlabError('TARGET_FAILED', `target ${host.spec.name}: cannot read which kernel runs: ${r.stderr.trim()}`);
  return { bootId, cmdline: cmdline ?? '', release, version: version ?? '' };
}

/** The last lines of the machine's console file, if the target names one. */
function consoleTail(spec: MachineSpec): string[] {
  if (!spec.consoleLog) return ['no console log is configured for this target (consoleLog)'];
  const lines = lastLines(readSerial(spec.consoleLog), 30);
  return lines.length > 0 ? [`last lines of ${spec.consoleLog}:`, ...lines] : [`${spec.consoleLog} is empty`];
}

/** Wait for the machine to answer SSH in a new boot (not `oldBootId`; null: any); TARGET_FAILED with its console tail when it does not in time. */
export async function waitForNewBoot(spec: MachineSpec, oldBootId: string | null, what: string, signal?: AbortSignal): Promise<{ host: RemoteHost; id: MachineIdentity }> {
  const deadline = Date.now() + spec.bootTimeoutSec * 1000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new DaxlabError('INTERRUPTED', `interrupted while waiting for ${spec.name} after ${what}`);
    try {
      // Short attempts: while the machine boots, a forward or a half-up network accepts the TCP
      // connection but nothing answers, and each attempt would wait out its whole timeout.
      const host = await RemoteHost.connect({ ...spec, connectTimeoutSec: Math.min(spec.connectTimeoutSec, 5) });
      // Short too: a connection made to the old boot just as it kexecs hangs rather than closes.
      const id = await identify(host, 5_000).catch((e: Error) => {
        host.close();
        throw e;
      });
      if (id.bootId !== oldBootId) return { host, id };
      host.close();
      last = 'still in the old boot';
    } catch (err) {
      if (err instanceof HostKeyRefused) throw err;
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new MachineGone('TARGET_FAILED', `target ${spec.name}: the machine did not come back within ${spec.bootTimeoutSec} s (bootTimeoutSec) after ${what}; last: ${last}`, consoleTail(spec));
}

/** kexec the machine into image with cmdline, or reboot it (image undefined); returns the new connection and identity. */
export async function moveMachine(
  host: RemoteHost,
  script: string,
  to: { image?: string; cmdline?: string; what: string },
  signal?: AbortSignal,
): Promise<{ host: RemoteHost; id: MachineIdentity; ms: number }> {
  const spec = host.spec as MachineSpec;
  const before = await identify(host);
  const t0 = performance.now();
  const argv = to.image ? ['bash', script, 'kexec', to.image, to.cmdline ?? ''] : ['bash', script, 'reboot'];
  const r = await host.exec(argv, { timeoutMs: 60_000 });
  if (r.code !== 0 || !/armed/.test(r.stdout)) throw new DaxlabError('TARGET_FAILED', `target ${spec.name}: ${to.what} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  host.close();
  // The helper starts the kexec a second after it returned; do not catch the old boot going down.
  await new Promise((r) => setTimeout(r, 2_000));
  const back = await waitForNewBoot(spec, before.bootId, to.what, signal);
  return { ...back, ms: performance.now() - t0 };
}
