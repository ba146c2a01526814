// Which recorded timing is each workload's timing oracle: when the racing call returned relative to
// the pinned I/O's completion (negative = while the pin was still held). The plots, the history
// trend and KCIDB's test number use it.
import type { CaseResult } from './types.js';

/**
 * The oracle timing per workload, as its judge records it (src/workloads/*.ts). pin-race and
 * pin-munmap, and pin-unlink's umount mode, record the call's end against the device completion
 * (`afterPinMs`, what they judge); pin-reuse, pin-signal and fio-race record it against the
 * pinning read's own end stamp (`AfterReadMs`; their judges use the device completion, which they
 * do not store), so those plots show the reader's view, which may lag the device by a few ms.
 */
export const ORACLE_TIMINGS: Readonly<Record<string, string>> = {
  'pin-race': 'raceAfterPinMs',
  'pin-munmap': 'raceAfterPinMs',
  'pin-unlink': 'umountAfterPinMs',
  'pin-reuse': 'truncAfterReadMs',
  'pin-signal': 'truncAfterReadMs',
  'fio-race': 'truncAfterReadMs',
};

/** The name of a result's oracle timing when it recorded one. */
export function oracleTimingName(r: Pick<CaseResult, 'workload' | 'timings'>): string | undefined {
  const name = ORACLE_TIMINGS[r.workload];
  return name !== undefined && Number.isFinite(r.timings[name]) ? name : undefined;
}

/** A result's oracle timing value in ms, when it recorded one. */
export function oracleTiming(r: Pick<CaseResult, 'workload' | 'timings'>): number | undefined {
  const name = oracleTimingName(r);
  return name === undefined ? undefined : r.timings[name];
}
