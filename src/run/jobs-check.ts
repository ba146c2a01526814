// Pure: whether guests run at once (--jobs, a lab worker's --slots) fit this host's cores. Timing
// oracles need each guest's racer to get CPU on time: more guests than cores is refused; more
// vCPUs than cores is allowed with a warning (measured: 2 guests of 2 vCPUs on 2 TCG cores turned
// 6 of 1400 catalogue cases, all xfs pin-race, into errors: "race started too late", "not seen waiting").
import { DaxlabError } from '../errors.js';

/** Throws USAGE when `guests` exceed the cores; returns a warning when their vCPUs do, else null. */
export function checkGuestsFitCores(flag: string, guests: number, vcpus: number, cores: number): string | null {
  if (guests > cores) {
    throw new DaxlabError('USAGE', `${flag} ${guests}: more guests at once than this host's ${cores} cores; timing oracles would end in errors`, [
      `fix: ${flag} ${cores} or fewer`,
    ]);
  }
  if (guests > 1 && guests * vcpus > cores) {
    return `${guests} guests of ${vcpus} vCPUs on ${cores} cores: some timed cases may end in error ("race started too late", "not seen waiting"), never in a false pass or fail`;
  }
  return null;
}
