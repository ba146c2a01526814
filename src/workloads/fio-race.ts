// The "fio-race" workload: fio's O_DIRECT reads into an mmapshared buffer on a DAX file,
// and a truncate of that file while a read is in flight; the truncate must wait for it.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { fioSection, parseFioJob, parseLatLog } from './fio-output.js';
import { checkResult, errnoName, errorVerdict, inconclusiveVerdict, nsToMs, requireFields, type ResultLine } from './guest-json.js';
import { join } from 'node:path';
import { caseFilePath, intParam } from './params.js';
import { judgeWait, lateStart, leadMs, pinProblem, TOLERANCE_MS, watchdogFailure, waitFacts, type PinIo } from './pin-checks.js';
import { parseWaitEvidence } from './wait-evidence.js';
import { PAGE } from './pin-race-params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

/** EFAULT: what fio's reads issued after the truncate get (its buffer page lies beyond EOF). */
export const EFAULT = 14;

const PARAMS: Record<string, ParamDef> = {
  index: {
    default: [0, 5],
    description: 'Page of the DAX file that holds fio\'s buffer (iomem_align = index * 4096).',
  },
  reads: { default: [4], description: '4 KiB reads fio does from the delay device (each held the pin time).' },
};

const TRUNC_FIELDS = ['inflight_seen_ns', 'trunc_start_ns', 'trunc_end_ns', 'trunc_ret', 'trunc_errno', 'size_after'] as const;

function command(tc: TestCase, env: GuestEnv): string[] {
  return [
    join(env.binDir, 'fio-race.sh'),
    env.binDir,
    env.delayDevice,
    caseFilePath(env.mountPoint, 'fiorace', tc.id),
    String(intParam(tc, 'index', PARAMS.index!)),
    String(intParam(tc, 'reads', PARAMS.reads!)),
    String(leadMs(env.pinMs)),
  ];
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const index = intParam(tc, 'index', PARAMS.index!);
  const checked = checkResult('fio-race.sh', out);
  if ('verdict' in checked) return checked.verdict;
  const t = checked.line.trunc;
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return errorVerdict('fiotrunc printed no result', out);
  const trunc = t as ResultLine;
  if (typeof trunc.error === 'string') return errorVerdict(`fiotrunc: ${trunc.error}`, out);
  if (trunc.dax === false) return errorVerdict('file is not DAX', out);
  const fields = requireFields('fiotrunc', trunc, TRUNC_FIELDS, out);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const job = parseFioJob(fioSection(out.stdout, 'JSON', 'race'));
  if (!job) return errorVerdict('fio printed no JSON report', out);
  const ios = parseLatLog(fioSection(out.stdout, 'LAT', 'race'));
  if (!ios) return errorVerdict("fio's latency log is missing or does not parse", out);
  const details = { index, fioReads: job.reads, fioError: job.error, sizeAfter: v.size_after };
  if (job.error !== 0 && job.error !== EFAULT) {
    return { ...errorVerdict(`fio failed with ${errnoName(job.error)}`, out), details };
  }
  const truncStartMs = v.trunc_start_ns / 1e6;
  const read = ios.find((r) => r.startMs <= truncStartMs && truncStartMs < r.endMs + 1);
  if (!read) {
    return { ...errorVerdict(`no fio read was in flight when the truncate started (${ios.length} reads logged)`, out), details };
  }
  const truncAfterReadMs = nsToMs(v.trunc_end_ns - read.endMs * 1e6);
  const io: PinIo = {
    io: 'read', ret: read.bytes, errno: 0, expectedBytes: PAGE,
    startNs: Math.round(read.startMs * 1e6), endNs: read.endMs * 1e6,
  };
  // Judged against the device's completion (submission + delay), as every pin workload is: fio's own
  // end stamp has 1 ms resolution and lags while the host is loaded.
  const w = judgeWait({ call: 'truncate', startNs: v.trunc_start_ns, endNs: v.trunc_end_ns, evidence: parseWaitEvidence(trunc.trunc_wait) }, io, env.pinMs);
  const seen = waitFacts(w);
  const timings = {
    pinMs: env.pinMs,
    clatMeanMs: job.clatMeanMs,
    clatMaxMs: job.clatMaxMs,
    readMs: read.latMs,
    truncMs: nsToMs(v.trunc_end_ns - v.trunc_start_ns),
    pinRemainingMs: nsToMs(read.endMs * 1e6 - v.trunc_start_ns),
    truncAfterReadMs,
    ...seen.timings,
  };
  const invalid = pinProblem(io, env.pinMs) ?? lateStart('truncate', v.trunc_start_ns, io);
  if (invalid) return { ...inconclusiveVerdict(invalid, out, timings), details: { ...details, readOffset: read.offset } };
  const d = { ...details, readOffset: read.offset, ...seen.details, ...(typeof trunc.trunc_watchdog_ms === 'number' ? { watchdogMs: trunc.trunc_watchdog_ms } : {}) };
  const stuck = watchdogFailure('truncate', trunc.trunc_watchdog_ms, "fio's reads completed");
  if (stuck) return { status: 'fail', reason: stuck, timings, details: d };
  if (v.trunc_ret !== 0) {
    return { status: 'fail', reason: `truncate failed with ${errnoName(v.trunc_errno)}`, timings, details: d };
  }
  if (w.kind === 'early') {
    return {
      status: 'fail',
      reason:
        `truncate returned ${-w.afterPinMs} ms before fio's pinned read completed ` +
        `(${timings.pinRemainingMs} ms of the pin remained when it started; fio buffer at page ${index})`,
      timings,
      details: d,
    };
  }
  if (w.kind !== 'waited') return { ...inconclusiveVerdict(w.reason, out, timings), details: d };
  return {
    status: 'pass',
    reason: `${w.reason.replace('truncate waited for the pin', "truncate waited for fio's pinned read")}; ${timings.pinRemainingMs} ms of the pin remained when it started`,
    timings,
    details: d,
  };
}

/** fio psync O_DIRECT reads into a DAX-file buffer, raced by a truncate of that file. */
export const fioRace: Workload = {
  name: 'fio-race',
  description:
    'guest-scripts/fio-race.sh starts fio in the background: ioengine=psync, direct=1, rw=read, bs=4k, ' +
    '`reads` reads from the delay device into iomem=mmapshared:<file on the DAX filesystem>, with ' +
    'iomem_align = index * 4096 so the buffer is page `index` of that file; each read pins it for the ' +
    'pin time. fiotrunc waits until the device\'s sysfs inflight counter shows a read, sleeps 100 ms and ' +
    'truncates the file to 0, timing it with CLOCK_MONOTONIC. fio writes a per-read latency log stamped ' +
    'with CLOCK_MONOTONIC ms (log_alternate_epoch_clock_id=1), so the read in flight when the truncate ' +
    'started is known with its end (to 1 ms). What is measured: the truncate\'s start and end, that ' +
    'read\'s start and end, and fio\'s clat mean/max from its JSON report. Oracle: the truncate must ' +
    `not return more than ${TOLERANCE_MS} ms before that read completed, i.e. it must take at least the ` +
    'pin time that remained. Reads issued after the truncate fail with EFAULT (the buffer lies beyond ' +
    'EOF), which is expected. A read not held for the pin time, no read in flight at the truncate, or ' +
    'another fio error is an error.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
};
