// The "window-reclaim" workload (virtiofs backend only): virtio-fs maps a file into its DAX
// window in 2 MiB ranges, and when the window is full it reclaims a range (fs/fuse/dax.c) after
// fuse_dax_break_layouts(inode, start, start + 2 MiB - 1) has waited for pinned pages in that
// range alone: the finite-range use of dax_layout_busy_page_range() the seed's review was about.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errorVerdict, inconclusiveVerdict, nsToMs, requireFields } from './guest-json.js';
import { caseFilePath, enumParam, intParam } from './params.js';
import { leadMs } from './pin-checks.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PARAMS: Record<string, ParamDef> = {
  index: { default: [5], description: 'Page of the first 2 MiB range that is pinned (0-511).' },
  ranges: {
    default: [600],
    description:
      'File size in 2 MiB ranges, each read once while the page is pinned; must exceed the DAX window ' +
      "(vm.pmem MiB / 2 slots; 512 with the default) so that the window runs out and reclaims.",
  },
  pin: {
    values: ['iopoll', 'pread'],
    default: ['iopoll'],
    description:
      "How the page is pinned: iopoll (an io_uring READ polled only after the pin time, so the copy into the page lands late, as a device's DMA would) or pread (the copy is at submission: a control that cannot show misplaced data).",
  },
};

const FIELDS = [
  'read_start_ns', 'read_end_ns', 'read_ret', 'read_errno', 'touch_start_ns', 'touch_end_ns',
  'slowest_touch_ns', 'slowest_range', 'mapped_after', 'misplaced_range',
] as const;

function command(tc: TestCase, env: GuestEnv): string[] {
  return [
    `${env.binDir}/windowreclaim`,
    '--file', caseFilePath(env.mountPoint, 'windowreclaim', tc.id),
    '--ranges', String(intParam(tc, 'ranges', PARAMS.ranges!)),
    '--index', String(intParam(tc, 'index', PARAMS.index!)),
    '--dev', env.delayDevice,
    '--pin', enumParam(tc, 'pin', PARAMS.pin!),
    '--hold-ms', String(env.pinMs),
    '--lead-ms', String(leadMs(env.pinMs)),
  ];
}

function judge(tc: TestCase, out: GuestOutput): Verdict {
  const index = intParam(tc, 'index', PARAMS.index!);
  const ranges = intParam(tc, 'ranges', PARAMS.ranges!);
  if (index > 511 || ranges < 2) return errorVerdict('index must be 0-511 and ranges at least 2', out);
  const checked = checkResult('windowreclaim', out);
  if ('verdict' in checked) return checked.verdict;
  const fields = requireFields('windowreclaim', checked.line, FIELDS, out, ['dev_ok', 'landed']);
  if ('verdict' in fields) return fields.verdict;
  const v = fields.values;
  const timings = { readMs: nsToMs(v.read_end_ns - v.read_start_ns), slowestTouchMs: nsToMs(v.slowest_touch_ns), touchesMs: nsToMs(v.touch_end_ns - v.touch_start_ns) };
  const details = { index, ranges, slowestRange: v.slowest_range, mappedAfter: v.mapped_after, misplacedRange: v.misplaced_range };
  if (checked.line.dev_ok !== true) return errorVerdict('the delay device did not read back the pattern written to it', out, timings);
  if (v.read_ret !== 4096) return errorVerdict(`the pinning read failed (returned ${v.read_ret}, errno ${v.read_errno})`, out, timings);
  if (v.touch_start_ns >= v.read_end_ns) return { ...inconclusiveVerdict('the ranges were read only after the pinning read had completed: nothing raced', out, timings), details };
  if (v.misplaced_range >= 0) {
    const off = v.misplaced_range * 2 * 1024 * 1024 + index * 4096;
    return {
      status: 'fail',
      reason: `the pinned read's data landed at file offset ${off} (range ${v.misplaced_range}, page ${index}), not in page ${index} of range 0: range 0's DAX window slot was reclaimed and given to range ${v.misplaced_range} while the page was pinned (fuse_dax_break_layouts did not wait for it)`,
      timings,
      details,
    };
  }
  if (checked.line.landed !== true) return { status: 'fail', reason: `page ${index} does not hold the pinned read's data after the read completed`, timings, details };
  if (v.mapped_after !== 0) {
    const why = v.mapped_after === 1
      ? `range 0 was never reclaimed (page ${index} is still mapped after ${ranges} ranges were read): the DAX window holds them all; use more ranges than vm.pmem / 2`
      : 'could not read /proc/self/pagemap to see whether range 0 was reclaimed';
    return { ...inconclusiveVerdict(why, out, timings), details };
  }
  return {
    status: 'pass',
    reason: `range 0 was reclaimed from the DAX window while page ${index} was pinned, and the read's data landed in page ${index} only (slowest range read: range ${v.slowest_range}, ${timings.slowestTouchMs} ms)`,
    timings,
    details,
  };
}

/** virtio-fs DAX window reclaim racing a pinned page of the range it reclaims. */
export const windowReclaim: Workload = {
  name: 'window-reclaim',
  description:
    'virtiofs backend only. Maps a sparse file of `ranges` 2 MiB ranges on the virtio-fs DAX mount, writes page `index` ' +
    'of range 0, pins it with a read from the delay device whose copy lands late (iopoll), and while the read is held ' +
    'reads one byte of every other range: more ranges than the DAX window holds, so virtio-fs reclaims window ranges, ' +
    'range 0 among them, and must first wait for its pinned page (fuse_dax_break_layouts with that 2 MiB range). ' +
    "Oracle: after the read, its data is in page `index` and at no other range's same offset (where it lands when range " +
    "0's slot went to another range under the pin); range 0 must have been reclaimed (the page unmapped), else the case " +
    'proves nothing and is an error.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
  // It takes the whole DAX window: other cases on the share would lose their ranges meanwhile.
  exclusive: () => 'fs',
  notRunnable: (tc) => (tc.fs === 'virtiofs' ? undefined : 'the DAX window and its reclaim exist on the virtiofs backend only'),
};
