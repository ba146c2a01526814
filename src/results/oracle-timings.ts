// Which recorded timing is each workload's timing oracle: when the racing call returned relative to
// the pinned I/O's completion (negative = while the pin was still held). The plots, the history
// trend and KCIDB's test number use it.
import type { CaseResult } from './types.js';

/**
 * Every pin workload now records `returnAfterPinMs`, the judged call's return against the device
 * completion (judgeWait in src/workloads/pin-checks.ts). Results written before that field existed
 * carry these per-workload names instead; pin-reuse, pin-signal and fio-race then recorded only the
 * time against the pinning read's own end stamp (`AfterReadMs`), which may lag by a few ms.
 */
export const ORACLE_TIMINGS: Readonly<Record<string, string>> = {
  'pin-race': 'raceAfterPinMs',
  'pin-munmap': 'raceAfterPinMs',
  'pin-unlink': 'umountAfterPinMs',
  'pin-reuse': 'truncAfterReadMs',
  'pin-signal': 'truncAfterReadMs',
  'fio-race': 'truncAfterReadMs',
};

/** The timing every pin workload records for its judged call (see judgeWait). */
export const ORACLE_TIMING = 'returnAfterPinMs';

/** The name of a result's oracle timing when it recorded one. */
export function oracleTimingName(r: Pick<CaseResult, 'workload' | 'timings'>): string | undefined {
  if (Number.isFinite(r.timings[ORACLE_TIMING])) return ORACLE_TIMING;
  const name = ORACLE_TIMINGS[r.workload];
  return name !== undefined && Number.isFinite(r.timings[name]) ? name : undefined;
}

/** A result's oracle timing value in ms, when it recorded one. */
export function oracleTiming(r: Pick<CaseResult, 'workload' | 'timings'>): number | undefined {
  const name = oracleTimingName(r);
  return name === undefined ? undefined : r.timings[name];
}
