// The "busy-range" workload: the seed's own API, asked directly. daxlab's module (kmod/) calls
// the kernel's dax_layout_busy_page_range() over byte ranges around one page of a DAX file, and
// dax_layout_busy_page() over the whole file, while user space holds a reference on that page
// (vmsplice into a pipe), and before and after it does.
import type { TestCase } from '../plan/types.js';
import type { Verdict } from '../results/types.js';
import { readBusyrange } from './busyrange-output.js';
import { errorVerdict, type ResultLine } from './guest-json.js';
import { busyRanges, entryPagesFrom, expectBusy, rangeArg, rangeText, scannedPages, type ByteRange } from './busy-range-queries.js';
import { caseFilePath, intParam } from './params.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PARAMS: Record<string, ParamDef> = {
  index: { default: [5], description: 'Page index of the referenced page; must be below pages.' },
  pages: { default: [1024], description: 'File size in 4 KiB pages (1 to 65536); must be larger than index.' },
};

/** One answer: [found, pfn, page index, mapped, unmapped page runs]. */
type Answer = [found: number, pfn: number, index: number, mapped: number, unmapped: Array<[number, number]>];
// In the order the failures are reported: a wrong answer with the page referenced matters most.
const PHASES = ['pinned', 'before', 'released'] as const;

function command(tc: TestCase, env: GuestEnv): string[] {
  const index = intParam(tc, 'index', PARAMS.index!);
  const pages = intParam(tc, 'pages', PARAMS.pages!);
  return [
    `${env.binDir}/busyrange`,
    '--file', caseFilePath(env.mountPoint, 'busyrange', tc.id),
    '--pages', String(pages),
    '--index', String(index),
    '--module', `${env.binDir}/daxlab_busy.ko`,
    ...busyRanges(index, pages).flatMap((r) => ['--range', rangeArg(r)]),
  ];
}

function isAnswer(a: unknown): a is Answer {
  return Array.isArray(a) && a.length === 5 && a.slice(0, 4).every((n) => Number.isInteger(n)) && Array.isArray(a[4]);
}

function answersOf(line: ResultLine, n: number): Record<(typeof PHASES)[number], Answer[]> | string {
  const out = {} as Record<(typeof PHASES)[number], Answer[]>;
  for (const p of PHASES) {
    const a = line[p];
    if (!Array.isArray(a) || a.length !== n || !a.every(isAnswer)) return `busyrange result has no ${n} answers for phase "${p}"`;
    out[p] = a;
  }
  return out;
}

function isUnmapped(runs: Array<[number, number]>, page: number): boolean {
  return runs.some(([a, b]) => a <= page && page <= b);
}

/** Pure: what is wrong with one answer; null when it is what a correct kernel gives. */
export function answerProblem(
  a: Answer,
  r: ByteRange | 'whole',
  phase: (typeof PHASES)[number],
  f: { index: number; pages: number; entryPages: number; pinPfn: number },
): string | null {
  const [found, pfn, , , unmapped] = a;
  const name = r === 'whole' ? 'dax_layout_busy_page() (whole file)' : `range ${rangeText(r)}`;
  const busy = phase === 'pinned' && (r === 'whole' || expectBusy(r, f.index, f.pages, f.entryPages));
  if (found === 1 && !busy) {
    const when = phase === 'pinned' ? `the referenced page ${f.index} is outside it` : phase === 'before' ? 'no page is referenced yet' : 'the reference was dropped';
    return `${name} reported a busy page (pfn ${pfn}) though ${when}`;
  }
  if (found !== 1 && busy) return `${name} found no busy page though page ${f.index} is referenced inside it`;
  if (found === 1 && pfn !== f.pinPfn) return `${name} returned pfn ${pfn}, not the referenced page's pfn ${f.pinPfn}`;
  const scan = r === 'whole' ? ([0, f.pages - 1] as [number, number]) : scannedPages(r, f.pages, f.entryPages);
  if (scan) {
    let left: number | undefined;
    for (let p = scan[0]; p <= scan[1] && left === undefined; p++) if (!isUnmapped(unmapped, p)) left = p;
    if (left !== undefined) return `${name} left page ${left} mapped in user page tables (the scan must unmap what it scans, or GUP-fast takes new references behind it)`;
  }
  return null;
}

function judge(tc: TestCase, out: GuestOutput): Verdict {
  const read = readBusyrange(tc, out, PARAMS);
  if ('verdict' in read) return read.verdict;
  const { index, pages } = read;
  const ranges: Array<ByteRange | 'whole'> = [...busyRanges(index, pages), 'whole'];
  const answers = answersOf(read.line, ranges.length);
  if (typeof answers === 'string') return errorVerdict(answers, out);
  const entryPages = entryPagesFrom(read.mapFaults, pages);
  const facts = { index, pages, entryPages, pinPfn: read.pinPfn };
  const details = { index, pages, entry: entryPages === 1 ? '4 KiB (PTE)' : '2 MiB (PMD)', queries: ranges.length * PHASES.length, mapFaults: read.mapFaults };
  if (PHASES.some((p) => answers[p].some((a) => a[3] !== 1))) {
    return { ...errorVerdict('the file was not mapped during a query (mapping_mapped() false): the scan was never exercised', out), details };
  }
  const problems = PHASES.flatMap((p) =>
    ranges.map((r, k) => answerProblem(answers[p][k]!, r, p, facts)).filter((x): x is string => x !== null).map((x) => `${p}: ${x}`));
  if (problems.length > 0) {
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    return { status: 'fail', reason: problems.slice(0, 3).join('; ') + more, timings: {}, details };
  }
  return {
    status: 'pass',
    reason: `dax_layout_busy_page_range() found page ${index} busy in exactly those of ${ranges.length - 1} ranges that reach its ${details.entry} entry, unmapped each range, and found nothing before the reference or after it was dropped`,
    timings: {},
    details,
  };
}

/** dax_layout_busy_page_range() and dax_layout_busy_page() asked directly, range by range. */
export const busyRange: Workload = {
  name: 'busy-range',
  description:
    "Tests the seed's API directly. daxlab's module daxlab_busy.ko (guest-scripts/kmod, built against the kernel " +
    'under test) calls dax_layout_busy_page_range() with the locks ext4 and xfs hold, over every boundary around ' +
    'one page of a DAX file (the page alone, its first and last byte, ranges ending just before it or starting ' +
    'just after it, open ranges to LLONG_MAX, its 2 MiB window and the neighbouring ones), and ' +
    'dax_layout_busy_page() over the whole file, while the program busyrange holds a reference on that page ' +
    '(vmsplice into a pipe: a GUP reference like an O_DIRECT pin, with no timing). Oracle: the page is reported busy ' +
    'exactly when the range reaches its entry (4 KiB, or 2 MiB when PMD-mapped), with its own pfn; every scanned ' +
    'page is unmapped from user page tables; nothing is busy before the reference or after the pipe drops it.',
  params: PARAMS,
  command,
  judge,
};
