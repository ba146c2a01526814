// The "pin-munmap" workload: pin-race with the file's mapping removed while the pin is held.
// The GUP pin outlives the munmap, so the racing call must still wait for it.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { pinRace } from './pin-race.js';
import { PIN_RACE_PARAMS } from './pin-race-params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

/** pin-race's parameters with smaller defaults: the pread pin at page 5, truncate and punch. */
const PARAMS: Record<string, ParamDef> = {
  pin: { ...PIN_RACE_PARAMS.pin!, default: ['pread'] },
  race: { ...PIN_RACE_PARAMS.race!, default: ['truncate', 'punch'] },
  index: { ...PIN_RACE_PARAMS.index!, default: [5] },
  pages: { ...PIN_RACE_PARAMS.pages! },
};

function command(tc: TestCase, env: GuestEnv): string[] {
  return [...pinRace.command(tc, env), '--unmap'];
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const v = pinRace.judge(tc, out, env);
  if (v.status !== 'pass' && v.status !== 'fail') return v;
  return { ...v, reason: `${v.reason} (mapping removed with munmap while the pin was held)` };
}

/** A pinned DAX page whose mapping is gone must still be waited for by truncate and friends. */
export const pinMunmap: Workload = {
  name: 'pin-munmap',
  description:
    'As pin-race, but after the O_DIRECT I/O that pins a page of the DAX file mapping is submitted, ' +
    'the program munmaps the whole mapping, and only then runs the racing call. The pin (FOLL_PIN, ' +
    'taken by the block layer when the I/O was set up) keeps its page reference after munmap, so the ' +
    'DMA still targets the file\'s block. In 6.12, dax_layout_busy_page_range (fs/dax.c) returns at once ' +
    'when !mapping_mapped(mapping), so ext4_break_layouts and xfs_break_dax_layouts find no busy page ' +
    'and the racing call does not wait. Oracle: the same timing oracle and wait table as pin-race (the ' +
    'racing call must not return before the pinned I/O completes), plus the size and data checks.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
};
