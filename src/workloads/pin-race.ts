// The "pin-race" workload: change a DAX file's size or layout (truncate, hole
// punch, O_TRUNC, zero/collapse/insert range, reflink clone/dedupe) while one of
// its pages is pinned by an in-flight O_DIRECT I/O, and check that the kernel waited.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { caseFilePath, enumParam, intParam } from './params.js';
import {
  afterPinMs, indexProblem, judgeWait, lateStart, leadMs, pinIo, PIN_IO_FIELDS, pinProblem, TOLERANCE_MS, watchdogFailure, waitFacts,
  type WaitOutcome,
} from './pin-checks.js';
import { parseWaitEvidence } from './wait-evidence.js';
import { PIN_INFO, PIN_RACE_PARAMS as PARAMS, RACE_INFO, type PinName, type RaceName } from './pin-race-params.js';
import type { GuestEnv, GuestOutput, Workload } from './types.js';
import { unsupportedReason, waitRule } from './wait-table.js';

/** The timing constants, still importable from here (they now live in pin-checks.ts). */
export { leadMs, MIN_PIN_FRACTION, TOLERANCE_MS } from './pin-checks.js';

const FIELDS = [
  ...PIN_IO_FIELDS,
  'race_start_ns', 'race_end_ns', 'race_ret', 'race_errno', 'size_after',
] as const;

/** A case's pin-race params, checked against their definitions. */
function caseParams(tc: TestCase): { pin: PinName; race: RaceName; index: number; pages: number } {
  return {
    pin: enumParam(tc, 'pin', PARAMS.pin!) as PinName,
    race: enumParam(tc, 'race', PARAMS.race!) as RaceName,
    index: intParam(tc, 'index', PARAMS.index!),
    pages: intParam(tc, 'pages', PARAMS.pages!),
  };
}

function command(tc: TestCase, env: GuestEnv): string[] {
  const p = caseParams(tc);
  return [
    `${env.binDir}/pinrace`,
    '--file', caseFilePath(env.mountPoint, 'pinrace', tc.id),
    '--pages', String(p.pages),
    '--index', String(p.index),
    '--pin', p.pin,
    '--race', p.race,
    '--dev', env.delayDevice,
    '--lead-ms', String(leadMs(env.pinMs)),
  ];
}

/** Whether the pinned page lies in the range the operation changes (only a collapse can miss it). */
function pinInChangedRange(race: RaceName, index: number, pages: number): boolean {
  return race !== 'collapse' || index < Math.floor(pages / 2);
}

/** Pure: what a failed racing call's errno most likely means, as a parenthesis, or ''. */
function raceErrorHint(fs: string, race: RaceName, errno: number): string {
  if (fs === 'xfs' && (race === 'clone' || race === 'dedupe') && errno === 95) return ' (is the filesystem formatted with reflink=1?)';
  if (race === 'scrub' && (errno === 95 || errno === 25)) return ' (does the kernel have CONFIG_XFS_ONLINE_SCRUB and CONFIG_XFS_ONLINE_REPAIR?)';
  return '';
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const { pin, race, index, pages } = caseParams(tc);
  const outside = indexProblem(index, pages);
  if (outside) return errorVerdict(outside, out);
  if (race === 'collapse' && pages < 2) return errorVerdict('collapse needs a file of at least 2 pages', out);
  const rule = waitRule(tc.fs, race);
  const { call, sizeAfter, dataFailure } = RACE_INFO[race];
  if (rule.rule === 'unsupported') {
    return { status: 'skip', reason: unsupportedReason(tc.fs, race), timings: {}, details: { race, fs: tc.fs } };
  }

  const checked = checkResult('pinrace', out);
  if ('verdict' in checked) return checked.verdict;
  const fields = requireFields('pinrace', checked.line, FIELDS, out, ['data_ok']);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const dataOk = checked.line.data_ok === true;
  const io = pinIo(v, PIN_INFO[pin].io, PIN_INFO[pin].bytes);
  const raceAfterReadMs = nsToMs(v.race_end_ns - v.read_end_ns);
  const raceAfterPinMs = afterPinMs(v.race_end_ns, io, env.pinMs);
  const timings = {
    pinMs: env.pinMs,
    readMs: nsToMs(v.read_end_ns - v.read_start_ns),
    raceMs: nsToMs(v.race_end_ns - v.race_start_ns),
    raceAfterReadMs,
    raceAfterPinMs,
    raceStartBeforeReadEndMs: nsToMs(v.read_end_ns - v.race_start_ns),
  };
  const inRange = pinInChangedRange(race, index, pages);
  const details = {
    index, pages, pin, race,
    readRet: v.read_ret, raceRet: v.race_ret, raceErrno: v.race_errno,
    sizeAfter: v.size_after, dataOk, pinInChangedRange: inRange,
    // Faults taken touching the mapping: ~2 per page with PTEs, ~2 per 2 MiB with PMDs.
    ...(typeof checked.line.map_faults === 'number' && checked.line.map_faults >= 0
      ? { mapFaults: checked.line.map_faults }
      : {}),
    ...(typeof checked.line.map_2m_aligned === 'boolean' ? { map2mAligned: checked.line.map_2m_aligned } : {}),
    ...(typeof checked.line.race_watchdog_ms === 'number' ? { watchdogMs: checked.line.race_watchdog_ms } : {}),
  };
  const invalid = pinProblem(io, env.pinMs) ?? lateStart(call, v.race_start_ns, io);
  if (invalid) return { ...inconclusiveVerdict(invalid, out, timings), details };
  const stuck = watchdogFailure(call, checked.line.race_watchdog_ms, `the pinned ${io.io} completed`);
  if (stuck) return { status: 'fail', reason: stuck, timings, details };

  const fails: string[] = [];
  let wait: WaitOutcome | null = null;
  if (v.race_ret !== 0) {
    const hint = raceErrorHint(tc.fs, race, v.race_errno);
    fails.push(`${call} failed with ${errnoName(v.race_errno)}${hint}`);
  } else if (rule.rule === 'no-wait') {
    const expected = sizeAfter(pages);
    if (v.size_after !== expected) fails.push(`file size after ${call} is ${v.size_after}, expected ${expected}`);
    if (!dataOk) fails.push(dataFailure);
    if (fails.length === 0) {
      const when = raceAfterPinMs < 0 ? `${-raceAfterPinMs} ms before the pin was released` : `${raceAfterPinMs} ms after the pin was released`;
      return {
        status: 'pass',
        reason: `${call} returned ${when}; it frees and moves no block, so it need not wait, and the file reads back intact with the pinned page holding what the I/O left`,
        timings,
        details,
      };
    }
  } else {
    wait = judgeWait(
      { call, startNs: v.race_start_ns, endNs: v.race_end_ns, evidence: parseWaitEvidence(checked.line.race_wait) },
      io,
      env.pinMs,
    );
    if (wait.kind === 'early') fails.push(`${wait.reason} (pin at page ${index})`);
    const expected = sizeAfter(pages);
    if (v.size_after !== expected) fails.push(`file size after ${call} is ${v.size_after}, expected ${expected}`);
    if (dataFailure && !dataOk) fails.push(dataFailure);
  }
  const seen = wait ? waitFacts(wait) : { timings: {}, details: {} };
  const t = { ...timings, ...seen.timings };
  const d = { ...details, ...seen.details };
  if (fails.length > 0) return { status: 'fail', reason: fails.join('; '), timings: t, details: d };
  if (!wait || wait.kind !== 'waited') return { ...inconclusiveVerdict(wait?.reason ?? `${call} was not judged`, out, t), details: d };
  const notInRange = inRange ? '' : '; the pin lay outside the changed range, and the whole file is waited for';
  return { status: 'pass', reason: wait.reason + notInRange, timings: t, details: d };
}

/** A size or layout change racing a page pin held by a slow O_DIRECT I/O on a DAX mapping. */
export const pinRace: Workload = {
  name: 'pin-race',
  description:
    'Maps a file on the DAX filesystem, then pins one of its pages (page `index`) with an ' +
    'O_DIRECT I/O on a null_blk device whose completions are delayed by the pin time (pread, ' +
    'io_uring READ, preadv, Linux AIO READ into the page; pwrite or io_uring WRITE from it). While ' +
    'that I/O is in flight it runs the racing call: ftruncate(0), open(O_TRUNC), fallocate ' +
    'PUNCH_HOLE / ZERO_RANGE / COLLAPSE_RANGE / INSERT_RANGE, or (xfs) FICLONERANGE / FIDEDUPERANGE, ' +
    'or an online repair of the data-fork mappings (XFS_IOC_SCRUB_METADATA). ' +
    'This exercises the layout-break path (ext4_break_layouts / xfs_break_dax_layouts -> ' +
    'dax_layout_busy_page), which must find the pinned page and wait until the DMA finishes before ' +
    'freeing or moving its blocks; wait-table.ts records, per filesystem, which calls must wait ' +
    '(all of them, for a pin anywhere in the file), which need not (scrub: it frees and moves no ' +
    'block, and is judged on data, size and the kernel log) and which are unsupported (skipped: clone, ' +
    `dedupe and scrub on ext4). Oracle: the racing call must not return more than ${TOLERANCE_MS} ms before the ` +
    'I/O completes, and when it returns later it must have been seen asleep in the layout-break wait ' +
    '(its wait channel, sampled every 2 ms: a call that was merely slow proves nothing and is an error); it ' +
    'must succeed (an EOPNOTSUPP/EINVAL from a supported call fails), and must leave ' +
    'the right size and content (zeros after punch/zero, the shifted file after collapse/insert, the ' +
    'source data after clone/dedupe). An I/O that was not held for the pin time, a race that started ' +
    'too late, or an index outside the file makes the case an error, not a pass.',
  params: PARAMS,
  command,
  judge,
};
