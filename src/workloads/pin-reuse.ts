// The "pin-reuse" workload: truncate a DAX file while a read pins one of its pages, let
// another file take the freed blocks, and check that the read's data did not land in it.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { caseFilePath, enumParam, intParam } from './params.js';
import { indexProblem, judgeWait, lateStart, leadMs, pinIo, PIN_IO_FIELDS, pinProblem, TOLERANCE_MS, watchdogFailure, waitFacts } from './pin-checks.js';
import { parseWaitEvidence } from './wait-evidence.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PARAMS: Record<string, ParamDef> = {
  pin: {
    values: ['iopoll', 'pread'],
    default: ['iopoll'],
    description:
      'How the page is pinned: iopoll (io_uring READ on an IOPOLL ring, polled after the pin time: ' +
      'null_blk copies the data only when polled, so it lands late like a real DMA) or pread (the ' +
      'timer-delayed pread: null_blk copies at submission, so only the timing oracle can fail).',
  },
  index: { default: [0, 5], description: 'Page index of the file that the read targets; must be below pages.' },
  pages: { default: [16], description: 'File size in 4 KiB pages (1 to 65536); must be larger than index.' },
};

const FIELDS = [
  ...PIN_IO_FIELDS, 'trunc_start_ns', 'trunc_end_ns',
  'trunc_ret', 'trunc_errno', 'g_done_ns', 'g_pages', 'g_errno', 'reused_page', 'corrupt_page',
] as const;

function caseParams(tc: TestCase): { pin: string; index: number; pages: number } {
  return {
    pin: enumParam(tc, 'pin', PARAMS.pin!),
    index: intParam(tc, 'index', PARAMS.index!),
    pages: intParam(tc, 'pages', PARAMS.pages!),
  };
}

function command(tc: TestCase, env: GuestEnv): string[] {
  const p = caseParams(tc);
  return [
    `${env.binDir}/pinreuse`,
    '--file', caseFilePath(env.mountPoint, 'pinreuse', tc.id),
    '--pages', String(p.pages),
    '--index', String(p.index),
    '--dev', env.delayDevice,
    '--pin', p.pin,
    '--hold-ms', String(env.pinMs),
    '--lead-ms', String(leadMs(env.pinMs)),
  ];
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const { pin, index, pages } = caseParams(tc);
  const outside = indexProblem(index, pages);
  if (outside) return errorVerdict(outside, out);
  const checked = checkResult('pinreuse', out);
  if ('verdict' in checked) return checked.verdict;
  const line = checked.line;
  const fields = requireFields('pinreuse', line, FIELDS, out, ['dev_ok', 'corrupt_stale']);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const truncAfterReadMs = nsToMs(v.trunc_end_ns - v.read_end_ns);
  const timings = {
    pinMs: env.pinMs,
    readMs: nsToMs(v.read_end_ns - v.read_start_ns),
    truncMs: nsToMs(v.trunc_end_ns - v.trunc_start_ns),
    truncAfterReadMs,
    truncStartBeforeReadEndMs: nsToMs(v.read_end_ns - v.trunc_start_ns),
    secondFileDoneBeforeReadEndMs: nsToMs(v.read_end_ns - v.g_done_ns),
  };
  const details = {
    pin, index, pages, secondFilePages: v.g_pages, reusedPage: v.reused_page,
    corruptPage: v.corrupt_page, corruptStale: line.corrupt_stale === true,
    ...(typeof line.trunc_watchdog_ms === 'number' ? { watchdogMs: line.trunc_watchdog_ms } : {}),
  };
  if (line.dev_ok !== true) {
    return { ...errorVerdict('the delay device did not read back what was written to it (memory_backed=1 not set?)', out, timings), details };
  }
  const io = pinIo(v);
  const invalid = pinProblem(io, env.pinMs) ?? lateStart('ftruncate', v.trunc_start_ns, io);
  if (invalid) return { ...inconclusiveVerdict(invalid, out, timings), details };
  const stuck = watchdogFailure('ftruncate', line.trunc_watchdog_ms, 'the pinned read completed');
  if (stuck) return { status: 'fail', reason: stuck, timings, details };
  if (v.trunc_ret !== 0) {
    return { status: 'fail', reason: `ftruncate failed with ${errnoName(v.trunc_errno)}`, timings, details };
  }
  if (v.g_pages < pages) {
    const why = v.g_pages < 0 ? errnoName(v.g_errno) : `only ${v.g_pages} pages fit`;
    return { ...errorVerdict(`could not write the second file over ${pages} pages: ${why}`, out, timings), details };
  }

  const fails: string[] = [];
  if (v.corrupt_page >= 0) {
    fails.push(
      line.corrupt_stale === true
        ? `stale DMA from the pinned read overwrote page ${v.corrupt_page} of another file (block reused after truncate)`
        : `page ${v.corrupt_page} of another file, written after the truncate, lost its data (it holds neither its own nor the device's)`,
    );
  }
  const w = judgeWait(
    { call: 'ftruncate', startNs: v.trunc_start_ns, endNs: v.trunc_end_ns, evidence: parseWaitEvidence(line.trunc_wait) },
    io,
    env.pinMs,
  );
  const seen = waitFacts(w);
  const t = { ...timings, ...seen.timings };
  const d = { ...details, ...seen.details };
  if (w.kind === 'early') {
    const notSeen = v.corrupt_page >= 0 ? ''
      : v.reused_page < 0 ? '; the pinned block was not reused by the new file, so no stale data could show'
        : pin === 'pread' ? '; pread copies at submission, so no stale data could show' : '';
    fails.push(`${w.reason} (pin at page ${index})${notSeen}`);
  }
  if (fails.length > 0) return { status: 'fail', reason: fails.join('; '), timings: t, details: d };
  if (w.kind !== 'waited') return { ...inconclusiveVerdict(w.reason, out, t), details: d };
  const reuse = v.reused_page >= 0
    ? `the new file reused the pinned block (its page ${v.reused_page}) and kept its data`
    : 'the pinned block was not reused by the new file (data check inconclusive)';
  return {
    status: 'pass',
    reason: `${w.reason}; ${reuse}`,
    timings: t,
    details: d,
  };
}

/** Truncate during a pinned read, then reuse of the freed blocks: no stale DMA may land in another file. */
export const pinReuse: Workload = {
  name: 'pin-reuse',
  description:
    'Data integrity against stale DMA. Writes a pattern to the memory-backed null_blk device, fills ' +
    'the DAX filesystem with fallocate (its reserve zeroed) but for a little room, maps file F there ' +
    'and pins page `index` with an O_DIRECT read from the device. While the read is in flight it ' +
    'truncates F to 0, syncs the filesystem so the freed blocks can be handed out again, and writes a ' +
    'second file G with another pattern until the filesystem is full, so G gets F\'s blocks (FIEMAP ' +
    'shows which G page got the pinned one). After the read completes, G is read back. Oracle: every ' +
    'G page still holds its pattern (a page holding the device\'s data is stale DMA into another ' +
    `file's block: fail), and ftruncate did not return more than ${TOLERANCE_MS} ms before the read ` +
    'completed (fail). With pin=iopoll the device copies the data when the read is polled, after the ' +
    'pin time, so a truncate that does not wait lets the copy land in G. A read not held for the pin ' +
    'time, a truncate too late to overlap it, or a G that could not be written is an error.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
  // It fills the filesystem so that the freed blocks are handed out again.
  exclusive: () => 'fs',
  // On virtiofs the blocks are the host's: filling the share fills the host file system under it.
  notRunnable: (tc) =>
    tc.fs === 'virtiofs'
      ? "pin-reuse fills the filesystem to get freed blocks handed out again; on virtiofs that would fill the host's file system under the share, whose blocks the guest does not allocate"
      : undefined,
};
