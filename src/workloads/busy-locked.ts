// The "busy-locked" workload: the busy-page scan asked while the referenced page's DAX entry is
// locked, as a fault, its writeback or memory-failure handling locks it. daxlab's module (kmod/)
// locks the entry, asks from a kernel thread, and reports whether the scan waited for the lock.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { lockedAnswersOf, lockedProblems } from './busy-locked-answers.js';
import { entryPagesFrom } from './busy-range-queries.js';
import { readBusyrange } from './busyrange-output.js';
import { errorVerdict } from './guest-json.js';
import { caseFilePath, intParam } from './params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PARAMS: Record<string, ParamDef> = {
  index: { default: [5], description: 'Page index of the referenced page whose entry is locked; must be below pages.' },
  pages: { default: [1024], description: 'File size in 4 KiB pages (1 to 65536); must be larger than index.' },
};

function command(tc: TestCase, env: GuestEnv): string[] {
  return [
    `${env.binDir}/busyrange`,
    '--file', caseFilePath(env.mountPoint, 'busylocked', tc.id),
    '--pages', String(intParam(tc, 'pages', PARAMS.pages!)),
    '--index', String(intParam(tc, 'index', PARAMS.index!)),
    '--module', `${env.binDir}/daxlab_busy.ko`,
    '--locked',
  ];
}

function judge(tc: TestCase, out: GuestOutput): Verdict {
  const read = readBusyrange(tc, out, PARAMS);
  if ('verdict' in read) return read.verdict;
  const { index, pages, mapFaults, pinPfn } = read;
  const answers = lockedAnswersOf(read.line);
  if (typeof answers === 'string') return errorVerdict(answers, out);
  const entryPages = entryPagesFrom(mapFaults, pages);
  const details = { index, pages, entry: entryPages === 1 ? '4 KiB (PTE)' : '2 MiB (PMD)', mapFaults };
  const held = lockedProblems(answers, { index, pinPfn });
  const timings: Record<string, number> = held.maxWaitMs >= 0 ? { lockedWaitMaxMs: held.maxWaitMs } : {};
  if (held.fails.length > 0) {
    const more = held.fails.length > 2 ? `; and ${held.fails.length - 2} more` : '';
    return { status: 'fail', reason: held.fails.slice(0, 2).join('; ') + more, timings, details };
  }
  if (held.inconclusive.length > 0) return { ...errorVerdict(held.inconclusive.join('; '), out, timings), details };
  return {
    status: 'pass',
    reason: `dax_layout_busy_page_range() slept on page ${index}'s locked ${details.entry} DAX entry until it was unlocked (returned ${held.maxWaitMs} ms or less after), then found the page busy exactly while it was referenced`,
    timings,
    details,
  };
}

/** The busy-page scan with the referenced page's DAX entry locked: it must wait, not skip. */
export const busyLocked: Workload = {
  name: 'busy-locked',
  description:
    "Tests that the busy-page scan waits for a locked DAX entry. daxlab's module daxlab_busy.ko (guest-scripts/kmod, " +
    "built against the kernel under test) locks the DAX entry of one page of a file (the entry's lock bit, as " +
    'dax_lock_entry() sets it for a fault, writeback or memory-failure handling in progress) while the program ' +
    'busyrange holds a reference on that page (vmsplice into a pipe), and asks dax_layout_busy_page_range() over ' +
    "the page's own range, and dax_layout_busy_page() over the whole file, from a kernel thread with the locks " +
    'ext4 and xfs hold. Then it asks again after the reference is dropped. Oracle: 300 ms later the scan must be ' +
    'asleep, not returned (get_unlocked_entry()); after the unlock it must report the page busy, with its pfn, ' +
    'exactly while the page is referenced. A scan that returned while the entry was locked skipped it: a pinned ' +
    'page whose entry is locked at that moment would be missed, and its blocks freed under DMA.',
  params: PARAMS,
  command,
  judge,
  inDefaultPlan: false,
};
