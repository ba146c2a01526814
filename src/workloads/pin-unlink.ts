// The "pin-unlink" workload: unlink, close and munmap a DAX file while one of its
// pages is pinned by an in-flight O_DIRECT read; the kernel log is the main oracle.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errnoName, errorVerdict, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { caseFilePath, enumParam, intParam } from './params.js';
import { indexProblem, judgeWait, lateStart, leadMs, pinIo, PIN_IO_FIELDS, pinProblem, waitFacts, type PinIo } from './pin-checks.js';
import { parseWaitEvidence } from './wait-evidence.js';
import { PAGE } from './pin-race-params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PARAMS: Record<string, ParamDef> = {
  index: {
    default: [5],
    description: 'Page index of the file mapping that the read targets; must be below pages.',
  },
  pages: {
    default: [16],
    description: 'File size in 4 KiB pages (1 to 65536); must be larger than index.',
  },
  umount: {
    values: ['no', 'yes'],
    default: ['no', 'yes'],
    description: 'yes: after munmap, still during the read, unmount the filesystem (then mount it again).',
  },
};

const FIELDS = [
  ...PIN_IO_FIELDS,
  'unlink_start_ns', 'unlink_end_ns', 'unlink_ret', 'unlink_errno',
  'close_end_ns', 'close_ret', 'close_errno', 'munmap_end_ns', 'munmap_ret', 'munmap_errno',
] as const;

const UMOUNT_FIELDS = ['umount_start_ns', 'umount_end_ns', 'umount_ret', 'umount_errno', 'remount_ret', 'remount_errno'] as const;

function command(tc: TestCase, env: GuestEnv): string[] {
  return [
    `${env.binDir}/pinunlink`,
    '--file', caseFilePath(env.mountPoint, 'pinunlink', tc.id),
    '--pages', String(intParam(tc, 'pages', PARAMS.pages!)),
    '--index', String(intParam(tc, 'index', PARAMS.index!)),
    '--dev', env.delayDevice,
    '--lead-ms', String(leadMs(env.pinMs)),
    ...(enumParam(tc, 'umount', PARAMS.umount!) === 'yes' ? ['--umount'] : []),
  ];
}

function judge(tc: TestCase, out: GuestOutput, env: GuestEnv): Verdict {
  const index = intParam(tc, 'index', PARAMS.index!);
  const pages = intParam(tc, 'pages', PARAMS.pages!);
  const outside = indexProblem(index, pages);
  if (outside) return errorVerdict(outside, out);
  const checked = checkResult('pinunlink', out);
  if ('verdict' in checked) return checked.verdict;
  const fields = requireFields('pinunlink', checked.line, FIELDS, out);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const timings = {
    pinMs: env.pinMs,
    readMs: nsToMs(v.read_end_ns - v.read_start_ns),
    unlinkMs: nsToMs(v.unlink_end_ns - v.unlink_start_ns),
    munmapAfterReadMs: nsToMs(v.munmap_end_ns - v.read_end_ns),
    unlinkStartBeforeReadEndMs: nsToMs(v.read_end_ns - v.unlink_start_ns),
  };
  const details = { index, pages, readRet: v.read_ret, readErrno: v.read_errno };
  const io = pinIo(v);
  if (v.read_ret !== PAGE) {
    const why = v.read_ret < 0 ? errnoName(v.read_errno) : `${v.read_ret} bytes of ${PAGE}`;
    return { status: 'fail', reason: `the pinned read failed after unlink/close/munmap: ${why}`, timings, details };
  }
  const invalid = pinProblem(io, env.pinMs) ?? lateStart('unlink', v.unlink_start_ns, io);
  if (invalid) return { ...inconclusiveVerdict(invalid, out, timings), details };
  const steps: Array<[string, number, number]> = [
    ['unlink', v.unlink_ret, v.unlink_errno],
    ['close', v.close_ret, v.close_errno],
    ['munmap', v.munmap_ret, v.munmap_errno],
  ];
  const failed = steps.filter(([, ret]) => ret !== 0).map(([n, , e]) => `${n} failed with ${errnoName(e)}`);
  if (failed.length > 0) return { status: 'fail', reason: failed.join('; '), timings, details };
  if (enumParam(tc, 'umount', PARAMS.umount!) === 'yes') return judgeUmount(checked.line, out, env, io, timings, details);
  return {
    status: 'pass',
    reason:
      `the pinned read completed (${PAGE} bytes) after unlink, close and munmap of the file; ` +
      'the kernel log scan decides the rest',
    timings,
    details,
  };
}

/** The umount step: it must succeed and must not return before the pinned read completed. */
function judgeUmount(
  line: Record<string, unknown>,
  out: GuestOutput,
  env: GuestEnv,
  io: PinIo,
  timings: Record<string, number>,
  details: Record<string, number>,
): Verdict {
  const fields = requireFields('pinunlink', line, UMOUNT_FIELDS, out);
  if ('verdict' in fields) return fields.verdict;
  const u = fields.values;
  const w = judgeWait(
    { call: 'umount', startNs: u.umount_start_ns, endNs: u.umount_end_ns, evidence: parseWaitEvidence(line.umount_wait) },
    io,
    env.pinMs,
  );
  const seen = waitFacts(w);
  const t = { ...timings, umountMs: nsToMs(u.umount_end_ns - u.umount_start_ns), umountAfterPinMs: w.afterPinMs, ...seen.timings };
  const d = { ...details, ...seen.details };
  if (u.umount_ret !== 0) return { ...errorVerdict(`umount failed with ${errnoName(u.umount_errno)}`, out, t), details: d };
  if (u.remount_ret !== 0) {
    return { ...errorVerdict(`mounting the filesystem again failed with ${errnoName(u.remount_errno)}`, out, t), details: d };
  }
  switch (w.kind) {
    case 'early':
      return {
        status: 'fail',
        reason: `${w.reason}: the filesystem went away while DMA into its unlinked file was in flight`,
        timings: t,
        details: d,
      };
    case 'unproven':
      return { ...inconclusiveVerdict(w.reason, out, t), details: d };
    case 'after':
      return {
        status: 'pass',
        reason: `${w.reason}: the pin was waited for earlier (the munmap that evicted the file); the kernel log scan decides the rest`,
        timings: t,
        details: d,
      };
    case 'waited':
      return { status: 'pass', reason: `${w.reason}; the kernel log scan decides the rest`, timings: t, details: d };
  }
}

/** Unlink + close + munmap of a DAX file during an in-flight pin; judged mostly by the kernel log. */
export const pinUnlink: Workload = {
  name: 'pin-unlink',
  description:
    'Maps a file on the DAX filesystem and pins page `index` with an O_DIRECT pread from the ' +
    'delayed null_blk device. While the read is in flight the main thread unlinks the file, closes ' +
    'its fd and munmaps the mapping (legal: the pin holds page references). The munmap drops the ' +
    'last file reference, so the inode is evicted (ext4_evict_inode / xfs eviction -> ' +
    'truncate_inode_pages_final -> dax_delete_mapping_entry) while the page is still pinned; 6.12 ' +
    'does not break layouts on eviction, so dax_disassociate_entry may meet a page with an elevated ' +
    'refcount. The kernel log scan that the runner does for every case is the main oracle here: a ' +
    'WARN in dax_disassociate_entry or a "Bad page state" fails the case. The workload itself ' +
    'passes when the read completed with all its bytes and the program exited 0, fails when the ' +
    'read (or unlink, close, munmap) failed, and is an error when the pin was not held or the ' +
    'unlink started too late. With umount=yes the program then unmounts the filesystem, still while ' +
    'the read is in flight, and mounts it again after the read: umount must not return before the ' +
    'pin is released (timing oracle, same tolerance and proof of blocking as pin-race; an umount that ' +
    'only starts after the pin was released, because an earlier step waited, passes), and must print no warning.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
  // umount=yes takes the filesystem away while the pin is held.
  exclusive: (tc) => (enumParam(tc, 'umount', PARAMS.umount!) === 'yes' ? 'fs' : undefined),
};
