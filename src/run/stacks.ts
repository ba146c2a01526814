// Task stacks of a stuck guest: sysrq w (blocked tasks) then t (all tasks), sent as key presses
// through QMP (works while the guest kernel still handles interrupts, with no ssh needed), or
// through /proc/sysrq-trigger over ssh when the key presses showed nothing.
import { readSerial } from '../vm/serial.js';

/** Ways to reach the guest's sysrq handler. */
export interface StackSources {
  serialLog: string;
  /** Press alt-sysrq-<key> on the VM's keyboard (QMP). */
  sendKey(key: string): Promise<unknown>;
  /** Write the keys to /proc/sysrq-trigger over ssh, when the connection still works. */
  viaShell?(keys: string[]): Promise<unknown>;
}

const KEYS = ['w', 't'];

// Wait until the serial log stops growing (quietMs without growth) or maxMs passed.
async function settle(file: string, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let size = readSerial(file).length;
  let still = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const now = readSerial(file).length;
    if (now !== size) {
      size = now;
      still = Date.now();
    } else if (Date.now() - still >= quietMs) return;
  }
}

/** Pure: the lines of the serial log written after byte offset `from`, without carriage returns. */
export function linesAfter(text: string, from: number): string[] {
  return text.slice(from).replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
}

/** Trigger sysrq w and t and return what the guest printed (empty when it printed nothing). */
export async function collectStacks(s: StackSources): Promise<string[]> {
  const from = readSerial(s.serialLog).length;
  for (const key of KEYS) await s.sendKey(key).catch(() => undefined);
  await settle(s.serialLog, 750, 6_000);
  let lines = linesAfter(readSerial(s.serialLog), from);
  if (!lines.some((l) => /sysrq: /i.test(l)) && s.viaShell) {
    await s.viaShell(KEYS).catch(() => undefined);
    await settle(s.serialLog, 750, 6_000);
    lines = linesAfter(readSerial(s.serialLog), from);
  }
  return lines;
}
