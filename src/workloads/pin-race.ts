// The "pin-race" workload: truncate or punch a DAX file while one of its pages is
// pinned by an in-flight O_DIRECT read, and check that the kernel waited.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, intFields, nsToMs } from './guest-json.js';
import { caseFilePath, enumParam, intParam } from './params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PAGE = 4096;

/**
 * How much earlier than the pinned read's completion the racing call may return
 * and still count as having waited. On stock 6.12 the racer returns 0-10 ms
 * after the read completes (80 of 80 runs, facts.md); the reader thread records
 * read_end only after it is scheduled again, so under TCG the racer can even
 * look a few ms early. With the seed bug it returns ~400 ms early with a 500 ms
 * pin (1-22 ms after it started). 50 ms sits well clear of both.
 */
export const TOLERANCE_MS = 50;

/** The read must last at least this fraction of the device delay to count as a pin. */
export const MIN_PIN_FRACTION = 0.8;

const PARAMS: Record<string, ParamDef> = {
  pin: {
    values: ['pread', 'io_uring'],
    default: ['pread', 'io_uring'],
    description: 'How the page is pinned: a blocking O_DIRECT pread, or an io_uring READ.',
  },
  race: {
    values: ['truncate', 'punch'],
    default: ['truncate', 'punch'],
    description: 'The racing call: ftruncate(fd, 0), or fallocate(PUNCH_HOLE|KEEP_SIZE) over the file.',
  },
  index: {
    default: [0, 5],
    description: 'Page index of the file mapping that the read targets (the seed bug only checked index 0).',
  },
  pages: {
    default: [16],
    description: 'File size in 4 KiB pages; must be larger than index.',
  },
};

const FIELDS = [
  'read_start_ns', 'read_end_ns', 'read_ret', 'read_errno',
  'race_start_ns', 'race_end_ns', 'race_ret', 'race_errno', 'size_after',
] as const;

/** How long pinrace sleeps after the read is submitted before racing: 100 ms, less for short pins. */
export function leadMs(pinMs: number): number {
  return Math.max(1, Math.min(100, Math.floor(pinMs / 5)));
}

function command(tc: TestCase, env: GuestEnv): string[] {
  const pages = intParam(tc, 'pages', PARAMS.pages!);
  const index = intParam(tc, 'index', PARAMS.index!);
  return [
    `${env.binDir}/pinrace`,
    '--file', caseFilePath(env.mountPoint, 'pinrace', tc.id),
    '--pages', String(pages),
    '--index', String(index),
    '--pin', enumParam(tc, 'pin', PARAMS.pin!),
    '--race', enumParam(tc, 'race', PARAMS.race!),
    '--dev', env.delayDevice,
    '--lead-ms', String(leadMs(env.pinMs)),
  ];
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const checked = checkResult('pinrace', out);
  if ('verdict' in checked) return checked.verdict;
  const line = checked.line;
  const { values: v, missing } = intFields(line, FIELDS);
  const dataOk = line.data_ok;
  const lacking: string[] = [...missing, ...(typeof dataOk === 'boolean' ? [] : ['data_ok'])];
  if (lacking.length > 0 || typeof dataOk !== 'boolean') {
    return errorVerdict(`pinrace result lacks ${lacking.join(', ')}`, out);
  }
  const race = enumParam(tc, 'race', PARAMS.race!);
  const index = intParam(tc, 'index', PARAMS.index!);
  const pages = intParam(tc, 'pages', PARAMS.pages!);
  const syscall = race === 'truncate' ? 'ftruncate' : 'fallocate(PUNCH_HOLE)';
  const readMs = nsToMs(v.read_end_ns - v.read_start_ns);
  const raceAfterReadMs = nsToMs(v.race_end_ns - v.read_end_ns);
  const timings = {
    pinMs: env.pinMs,
    readMs,
    raceMs: nsToMs(v.race_end_ns - v.race_start_ns),
    raceAfterReadMs,
    raceStartBeforeReadEndMs: nsToMs(v.read_end_ns - v.race_start_ns),
  };
  const details = {
    index, pages, pin: enumParam(tc, 'pin', PARAMS.pin!), race,
    readRet: v.read_ret, raceRet: v.race_ret, raceErrno: v.race_errno,
    sizeAfter: v.size_after, dataOk,
  };
  const error = (reason: string): Verdict => ({ ...errorVerdict(reason, out, timings), details });

  if (v.read_ret !== PAGE) {
    const why = v.read_ret < 0 ? errnoName(v.read_errno) : `${v.read_ret} bytes`;
    return error(`the pinned O_DIRECT read failed: ${why}`);
  }
  if (readMs < MIN_PIN_FRACTION * env.pinMs) {
    return error(`delay device did not hold the pin: read took ${readMs} ms, expected ~${env.pinMs} ms`);
  }
  if (v.race_start_ns >= v.read_end_ns - TOLERANCE_MS * 1e6) {
    return error(
      `race started too late: ${syscall} started ${timings.raceStartBeforeReadEndMs} ms before ` +
        `the read completed, need more than ${TOLERANCE_MS} ms`,
    );
  }

  const fails: string[] = [];
  if (v.race_ret !== 0) {
    fails.push(`${syscall} failed with ${errnoName(v.race_errno)}`);
  } else {
    if (raceAfterReadMs < -TOLERANCE_MS) {
      fails.push(`${syscall} returned ${-raceAfterReadMs} ms before the pinned read completed (pin at page ${index})`);
    }
    const expected = race === 'truncate' ? 0 : pages * PAGE;
    if (v.size_after !== expected) {
      fails.push(`file size after ${syscall} is ${v.size_after}, expected ${expected}`);
    }
    if (race === 'punch' && !dataOk) fails.push('punched range did not read back as zeros');
  }
  if (fails.length > 0) return { status: 'fail', reason: fails.join('; '), timings, details };
  return {
    status: 'pass',
    reason:
      raceAfterReadMs >= 0
        ? `${syscall} waited for the pin (returned ${raceAfterReadMs} ms after the read completed)`
        : `${syscall} waited for the pin (returned ${-raceAfterReadMs} ms before the read was seen ` +
          `to complete, within the ${TOLERANCE_MS} ms tolerance)`,
    timings,
    details,
  };
}

/** Truncate/punch racing a page pin held by a slow O_DIRECT read into a DAX mapping. */
export const pinRace: Workload = {
  name: 'pin-race',
  description:
    'Maps a file on the DAX filesystem, then pins one of its pages (page `index`) with an ' +
    'O_DIRECT read from a null_blk device whose completions are delayed by the pin time, issued ' +
    'with pread or io_uring. While that read is in flight it calls ftruncate(0) or ' +
    'fallocate(PUNCH_HOLE) on the file. This exercises the layout-break path ' +
    '(ext4_break_layouts / xfs_break_dax_layouts -> dax_layout_busy_page), which must find the ' +
    'pinned page and wait until the DMA finishes before freeing its blocks. Oracle: the racing ' +
    `call must not return more than ${TOLERANCE_MS} ms before the read completes, must succeed, ` +
    'and must leave the right size (punch: the range reads back as zeros). A read that was not ' +
    'held for the pin time, or a race that started too late, makes the case an error, not a pass.',
  params: PARAMS,
  command,
  judge,
};
