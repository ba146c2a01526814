// A machine behind the VmHandle that attachGuest logs in through: its "serial console" is its
// kernel log, followed over SSH (dmesg -w) into the local results; there is no QEMU to stop or to
// ask for sysrq keys (stacks are asked for through the shell), and it never "exits".
import { createWriteStream } from 'node:fs';
import { lastLines, readSerial, watchSerial } from '../../vm/serial.js';
import type { VmExit, VmHandle } from '../../vm/types.js';
import type { RemoteHost } from './ssh-host.js';

/** Follow the machine's kernel log into localLog; startedAt is when the machine started its boot. */
export async function machineHandle(host: RemoteHost, script: string, localLog: string, startedAt: number): Promise<VmHandle> {
  const log = createWriteStream(localLog, { flags: 'a', mode: 0o644 });
  const ch = await host.spawn(['bash', script, 'dmesg']);
  ch.on('data', (d: Buffer) => log.write(d));
  ch.on('close', () => log.end());
  const never = new Promise<VmExit>(() => undefined);
  return {
    pid: -1,
    sshPort: host.spec.port,
    accel: 'none',
    startedAt,
    exited: never,
    serialTail: (n) => lastLines(readSerial(localLog), n),
    // The line may have left the ring buffer of a machine that ran a while: a short look only.
    waitForSerial: async (re, timeoutMs) => {
      const r = await watchSerial(localLog, re, { timeoutMs: Math.min(timeoutMs, 3_000), isExited: () => false });
      if (r.kind === 'match') return r.match;
      throw new Error(`${re} is not in the machine's kernel log`);
    },
    waitReady: async () => undefined,
    qmp: () => Promise.reject(new Error('a machine has no QEMU monitor')),
    kill: async () => {
      ch.close();
    },
  };
}
