// The "multi-pin" workload: two pages of a DAX file held for a chosen time and released one after
// the other, in a chosen order, while a truncate or hole punch waits. The layout-break wait must
// rescan after every wakeup and wait for each busy page for as long as it is held.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { caseFilePath, enumParam, intParam } from './params.js';
import { watchdogFailure } from './pin-checks.js';
import { describeWait, layoutWait, notBlockedReason, parseWaitEvidence } from './wait-evidence.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PARAMS: Record<string, ParamDef> = {
  race: {
    values: ['truncate', 'punch', 'reclaim'],
    default: ['truncate'],
    description:
      'The waiting call: ftruncate(0), PUNCH_HOLE|KEEP_SIZE over the file, or reclaim: the file is closed and unmapped ' +
      '(still linked) and the call writes 2 to /proc/sys/vm/drop_caches (the kernel log is the oracle: an inode evicted ' +
      'while its page is referenced warns in dax_disassociate_entry).',
  },
  order: {
    values: ['forward', 'reverse'],
    default: ['forward', 'reverse'],
    description: 'forward: the lower page (the one the scan finds first) is released first, so the wait must rescan and wait again; reverse: the higher page first.',
  },
  index: { default: [3], description: 'Page index of the first held page.' },
  index2: { default: [11], description: 'Page index of the second held page; above index and below pages, or 0: only page index is held.' },
  pages: { default: [16], description: 'File size in 4 KiB pages (1 to 65536).' },
  hold: { default: [300], description: 'Milliseconds from the call to the first release, and from the first release to the second (1 to 60000).' },
};

const INTS = [
  'race_start_ns', 'race_end_ns', 'race_ret', 'race_errno', 'release1_start_ns', 'release1_end_ns',
  'release2_start_ns', 'release2_end_ns', 'size_after', 'size_expected', 'race_watchdog_ms',
] as const;

function command(tc: TestCase, env: GuestEnv): string[] {
  const index2 = intParam(tc, 'index2', PARAMS.index2!);
  return [
    `${env.binDir}/multipin`,
    '--file', caseFilePath(env.mountPoint, 'multipin', tc.id),
    '--pages', String(intParam(tc, 'pages', PARAMS.pages!)),
    '--index', String(intParam(tc, 'index', PARAMS.index!)),
    ...(index2 === 0 ? [] : ['--index2', String(index2)]),
    '--race', enumParam(tc, 'race', PARAMS.race!),
    '--hold-ms', String(intParam(tc, 'hold', PARAMS.hold!)),
    '--order', enumParam(tc, 'order', PARAMS.order!),
  ];
}

function judge(tc: TestCase, out: GuestOutput): Verdict {
  const race = enumParam(tc, 'race', PARAMS.race!);
  const order = enumParam(tc, 'order', PARAMS.order!);
  const [index, index2] = [intParam(tc, 'index', PARAMS.index!), intParam(tc, 'index2', PARAMS.index2!)];
  const pages = intParam(tc, 'pages', PARAMS.pages!);
  if (!(index < pages && (index2 === 0 || (index < index2 && index2 < pages)))) {
    return errorVerdict(`index ${index} and index2 ${index2} must be increasing pages of the ${pages}-page file (index2 0: one page)`, out);
  }
  const checked = checkResult('multipin', out);
  if ('verdict' in checked) return checked.verdict;
  const fields = requireFields('multipin', checked.line, INTS, out, ['data_ok']);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const call = race === 'truncate' ? 'ftruncate' : race === 'punch' ? 'fallocate(PUNCH_HOLE)' : 'drop_caches';
  const [firstPage, lastPage] = index2 === 0 ? [index, index] : order === 'forward' ? [index, index2] : [index2, index];
  const timings = {
    returnAfterLastReleaseMs: nsToMs(v.race_end_ns - v.release2_start_ns),
    returnAfterFirstReleaseMs: nsToMs(v.race_end_ns - v.release1_start_ns),
    callMs: nsToMs(v.race_end_ns - v.race_start_ns),
  };
  const details: Record<string, string | number> = { order, firstReleased: firstPage, lastReleased: lastPage };
  if (v.race_start_ns >= v.release1_start_ns) return { ...inconclusiveVerdict(`${call} started only after the first release`, out, timings), details };
  const hung = watchdogFailure(call, v.race_watchdog_ms, 'the last reference was dropped');
  if (hung) return { status: 'fail', reason: hung, timings, details };
  if (v.race_ret !== 0) return { status: 'fail', reason: `${call} failed with ${errnoName(v.race_errno)}`, timings, details };
  if (race === 'reclaim') return judgeReclaim(v, checked.line.race_wait, timings, details);
  if (v.race_end_ns < v.release2_start_ns) {
    const when = v.race_end_ns < v.release1_start_ns
      ? 'while both pages were still referenced'
      : `after page ${firstPage} was released but while page ${lastPage} was still referenced`;
    return { status: 'fail', reason: `${call} returned ${nsToMs(v.release2_start_ns - v.race_end_ns)} ms before the last reference was dropped, ${when}`, timings, details };
  }
  const evidence = parseWaitEvidence(checked.line.race_wait);
  const unproven = notBlockedReason(call, evidence);
  if (unproven || !evidence) return { ...inconclusiveVerdict(unproven ?? 'no wait samples', out, timings), details };
  const w = layoutWait(evidence);
  details.wait = describeWait(evidence);
  if (w.lastNs < v.release1_end_ns) {
    return { ...errorVerdict(`${call} returned after both releases but was last seen in the layout-break wait before the first one, so its wait for page ${lastPage} is unproven`, out, timings), details };
  }
  if (v.size_after !== v.size_expected || checked.line.data_ok !== true) {
    return { status: 'fail', reason: `${call} left size ${v.size_after} (expected ${v.size_expected})${checked.line.data_ok === true ? '' : ' and wrong data'}`, timings, details };
  }
  return {
    status: 'pass',
    reason: `${call} waited for both pages (released ${order === 'forward' ? 'lower first' : 'higher first'}), returning ${timings.returnAfterLastReleaseMs} ms after the last release; seen asleep in the layout-break wait until after the first release`,
    timings,
    details,
  };
}

// Reclaim need not wait: an inode that is not evicted has nothing to wait for (the icache shrinker
// skips a mapping whose xarray holds a node, mapping_shrinkable()). One that is evicted must wait,
// or dax_disassociate_entry() warns; the kernel log, scanned for every case, decides.
function judgeReclaim(
  v: Record<(typeof INTS)[number], number>,
  samples: unknown,
  timings: Record<string, number>,
  details: Record<string, string | number>,
): Verdict {
  if (v.size_after !== v.size_expected) return { status: 'fail', reason: `drop_caches changed the file's size to ${v.size_after} (expected ${v.size_expected})`, timings, details };
  const evidence = parseWaitEvidence(samples);
  const waited = evidence !== null && notBlockedReason('drop_caches', evidence) === null;
  if (evidence) details.wait = describeWait(evidence);
  const how = v.race_end_ns >= v.release2_start_ns
    ? `returned ${timings.returnAfterLastReleaseMs} ms after the last release${waited ? ', seen asleep in the layout-break wait' : ''}`
    : `returned ${-timings.returnAfterLastReleaseMs!} ms before the last release (the inode was kept, or evicted without waiting: the kernel log tells)`;
  return { status: 'pass', reason: `drop_caches with the closed file's pages referenced ${how}; the kernel-log scan fails the case if the inode was evicted while its page was referenced`, timings, details };
}

/** Two held pages, released in order: the layout-break wait must rescan and wait for each. */
export const multiPin: Workload = {
  name: 'multi-pin',
  description:
    'Maps a file on the DAX filesystem and holds references on two of its pages (index, index2) with vmsplice() ' +
    'into two pipes (GUP page references, like block O_DIRECT pins, dropped when a pipe is closed, at a time ' +
    'the program picks). A second thread runs ftruncate(0) or a hole punch; `hold` ms later the program drops ' +
    'one reference, and `hold` ms after that the other, lower page first (forward) or higher first (reverse). ' +
    'ext4_break_layouts and xfs_break_dax_layouts wait for the first busy page the scan finds, then must scan ' +
    'again and wait for the next: a wait that returns after one wakeup, times out, or misses a page fails. ' +
    'Oracle (causal, no delay device): the call must not return before the last reference is dropped, and must ' +
    'have been seen asleep in the layout-break wait after the first release; then size and data are checked. ' +
    'race=reclaim closes and unmaps the file (written back, still linked) and drops dentries and inodes instead: ' +
    'the inode may be kept or must wait, and the kernel-log scan fails an inode evicted with a page referenced.',
  params: PARAMS,
  command,
  judge,
  // drop_caches reclaims every unused inode of the guest: no other case may run meanwhile.
  exclusive: (tc) => (enumParam(tc, 'race', PARAMS.race!) === 'reclaim' ? 'guest' : undefined),
};
