// Waiting on a VM's serial log for boot markers, the same for a QEMU here and one on a remote host
// (whose log is streamed into a local file): a panic, QEMU's exit or the deadline is a BOOT_FAILED.
import { DaxlabError } from '../errors.js';
import { lastLines, readSerial, watchSerial } from './serial.js';
import type { VmExit, VmHandle } from './types.js';

/** Lines of serial log put into BOOT_FAILED errors. */
export const SERIAL_TAIL_LINES = 30;

/** What the waits need of the QEMU process: whether and how it ended, and what it printed. */
export interface WatchedQemu {
  serialLog: string;
  hasExited(): boolean;
  exited: Promise<VmExit>;
  /** QEMU's own output (stderr), for errors. */
  output(): string;
}

/** serialTail, waitForSerial and waitReady of a VmHandle over its serial log. */
export function serialWaits(p: WatchedQemu): Pick<VmHandle, 'serialTail' | 'waitForSerial' | 'waitReady'> {
  const tail = (n: number) => lastLines(readSerial(p.serialLog), n);
  const bootFailed = async (msg: string) => {
    // Give a dying kernel a moment to finish its trace before taking the tail.
    await Promise.race([p.exited, sleepUnref(1_000)]);
    const qemuLines = p.hasExited() ? lastLines(p.output(), 5).map((l) => `qemu: ${l}`) : [];
    return new DaxlabError('BOOT_FAILED', msg, [...qemuLines, ...tail(SERIAL_TAIL_LINES)]);
  };
  const wait = async (re: RegExp, timeoutMs: number, failOn?: RegExp, what = `${re}`) => {
    const r = await watchSerial(p.serialLog, re, { timeoutMs, failOn, isExited: () => p.hasExited() });
    if (r.kind === 'match') return r.match;
    if (r.kind === 'fail') throw await bootFailed(`guest init failed: ${r.match[1] ?? r.match[0]}`);
    if (r.kind === 'panic') throw await bootFailed('kernel panic in the guest');
    if (r.kind === 'exited') {
      const e = await p.exited;
      throw await bootFailed(`QEMU exited (code ${e.code}, signal ${e.signal}) before ${re} appeared on the serial console`);
    }
    throw await bootFailed(`${what} did not appear on the serial console within ${timeoutMs / 1000} s (plan timeouts.boot)`);
  };
  return {
    serialTail: tail,
    waitForSerial: (re, timeoutMs) => wait(re, timeoutMs),
    waitReady: async (timeoutMs) => {
      await wait(/DAXLAB-READY/, timeoutMs, /DAXLAB-INIT-FAILED ?([^\r\n]*)/, 'the guest never got ready: DAXLAB-READY (sshd started by init)');
    },
  };
}

// A pause raced against something else, which must not keep daxlab alive once done.
function sleepUnref(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
