// Shared fixtures for the workload tests: a guest env, cases, and pinrace output.
import type { FsName, TestCase } from '../../../src/plan/types.js';
import { PIN_INFO, RACE_INFO, type PinName, type RaceName } from '../../../src/workloads/pin-race-params.js';
import type { GuestEnv, GuestOutput } from '../../../src/workloads/types.js';

/** A guest env like the runner's, with a 500 ms pin. */
export const ENV: GuestEnv = {
  binDir: '/var/cache/daxlab/bin/0123456789abcdef',
  mountPoint: '/mnt/dax',
  delayDevice: '/dev/nullb0',
  pinMs: 500,
};

/** A test case for workload with params (on ext4 unless fs is given). */
export function testCase(
  workload: string,
  params: Record<string, string | number>,
  id?: string,
  fs: FsName = 'ext4',
): TestCase {
  const p = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',');
  return { id: id ?? `${fs}/${workload}/${p}#0`, fs, workload, params, repeat: 0, timeoutSec: 60 };
}

/** Guest output with stdout = the JSON of line, exit 0. */
export function output(line: Record<string, unknown> | string, extra: Partial<GuestOutput> = {}): GuestOutput {
  const stdout = typeof line === 'string' ? line : `${JSON.stringify(line)}\n`;
  return { exitCode: 0, stdout, stderr: '', ...extra };
}

const MS = 1_000_000;

/**
 * What wait-sampler.h prints for a call that ran from startNs to endNs: asleep in `wchan` for all of
 * it but the first and last 2 ms (state R there), sampled every 2 ms.
 */
export function waitSamples(startNs: number, endNs: number, wchan = 'ext4_break_layouts', state = 'S'): Record<string, unknown> {
  const sleep = Math.max(0, Math.floor((endNs - startNs) / (2 * MS)) - 2);
  return {
    interval_ms: 2,
    samples: sleep + 2,
    unreadable: 0,
    overflow: 0,
    chans: [
      { state: 'R', wchan: '0', n: 2, first_ns: startNs, last_ns: endNs },
      ...(sleep > 0 ? [{ state, wchan, n: sleep, first_ns: startNs + 2 * MS, last_ns: endNs - 2 * MS }] : []),
    ],
  };
}

/**
 * A pinrace result line with times in ms: the read starts at 12.3 ms and takes
 * readMs; the race starts leadMs after the read and ends raceAfterReadMs after
 * the read ends (negative: before). Size and byte count follow race and pin.
 */
export function pinraceLine(opts: {
  race?: RaceName;
  pin?: PinName;
  index?: number;
  pages?: number;
  readMs?: number;
  leadMs?: number;
  raceAfterReadMs?: number;
  over?: Record<string, unknown>;
} = {}): Record<string, unknown> {
  const race = opts.race ?? 'truncate';
  const pin = opts.pin ?? 'pread';
  const pages = opts.pages ?? 16;
  const readStart = 12.3 * MS;
  const readEnd = readStart + (opts.readMs ?? 502.4) * MS;
  const raceStart = readStart + (opts.leadMs ?? 100.2) * MS;
  const raceEnd = readEnd + (opts.raceAfterReadMs ?? 3.1) * MS;
  const sizeAfter = RACE_INFO[race].sizeAfter(pages);
  return {
    pin, race, index: opts.index ?? 5, pages, lead_ms: 100,
    read_start_ns: Math.round(readStart), read_end_ns: Math.round(readEnd),
    read_ret: PIN_INFO[pin].bytes, read_errno: 0,
    race_start_ns: Math.round(raceStart), race_end_ns: Math.round(raceEnd),
    race_ret: 0, race_errno: 0,
    size_before: pages * 4096, size_after: sizeAfter, size_expected: sizeAfter,
    data_ok: true, dax: true,
    race_wait: waitSamples(Math.round(raceStart), Math.round(raceEnd)),
    ...opts.over,
  };
}
