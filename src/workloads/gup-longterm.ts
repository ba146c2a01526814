// The "gup-longterm" workload: the kernel's own mm selftest gup_test, built from the tree under
// test, must see FOLL_LONGTERM pins of an fsdax mapping refused while the controls succeed.
import { join } from 'node:path';
import type { TestCase } from '../plan/types.js';
import { ktapProblem, parseKtap, type KtapDocument } from '../results/ktap.js';
import type { Verdict } from '../results/types.js';
import { checkResult, errorVerdict, requireFields } from './guest-json.js';
import { caseFilePath, intParam } from './params.js';
import { sectionBetween } from './sections.js';
import type { GuestEnv, GuestOutput, ParamDef, Workload } from './types.js';

const PARAMS: Record<string, ParamDef> = {
  mib: { default: [2], description: 'Size of the DAX mapping gup_test pins, in MiB.' },
};

/** What one gup_test run reported: its KTAP (or plain lines), the bytes it pinned and its timing line. */
export interface GupRun {
  doc: KtapDocument;
  /** 'ktap' since 6.3; 'plain' from older gup_test (tools/testing/selftests/vm), which printed bare lines. */
  format: 'ktap' | 'plain';
  /** Bytes pinned: the "truncated (size: N)" figure, else the requested size. */
  pinnedBytes: number;
  getUs?: number;
  putUs?: number;
}

/**
 * Pure: read one run's section; requested is the size gup_test was asked to pin. Since 6.3 gup_test
 * prints KTAP with its results as "# " diagnostics; before (6.1, 6.2) it printed the same text as
 * bare lines ("PIN_LONGTERM_BENCHMARK: Time: get:N put:N us, truncated (size: 0)") and no KTAP.
 */
export function readGupRun(text: string, requested: number): GupRun {
  const doc = parseKtap(text);
  const format = doc.version === null ? 'plain' : 'ktap';
  let pinnedBytes = requested;
  let getUs: number | undefined;
  let putUs: number | undefined;
  for (const d of format === 'ktap' ? doc.diagnostics : doc.other) {
    const t = /truncated \(size: (\d+)\)/i.exec(d);
    if (t) pinnedBytes = Number(t[1]);
    const time = /Time: get:(\d+) put:(\d+) us/.exec(d);
    if (time) {
      getUs = Number(time[1]);
      putUs = Number(time[2]);
    }
  }
  return { doc, format, pinnedBytes, getUs, putUs };
}

// A plain (pre-KTAP) run's result line: "<COMMAND>: Time: ..." for benchmarks, "<COMMAND>: done" for tests.
const PLAIN_RESULT_RE = /^[A-Z_]+: (Time: get:\d+ put:\d+ us|done)/;

/** Why a run's output cannot be judged, or null: a complete KTAP document, or a plain result line. */
function runProblem(run: GupRun): string | null {
  if (run.format === 'ktap') return ktapProblem(run.doc);
  if (run.doc.other.some((l) => PLAIN_RESULT_RE.test(l))) return null;
  return `printed neither KTAP nor a result line: ${run.doc.other.slice(-3).join(' | ') || 'nothing'}`;
}

function command(tc: TestCase, env: GuestEnv): string[] {
  return [
    join(env.binDir, 'gup-longterm.sh'),
    env.binDir,
    caseFilePath(env.mountPoint, 'guplt', tc.id),
    String(intParam(tc, 'mib', PARAMS.mib!)),
  ];
}

/** One run's output section read once, or why it cannot be judged. */
function readRun(name: string, stdout: string, section: string, exit: number, bytes: number): GupRun | string {
  const ktap = sectionBetween(stdout, 'KTAP', section);
  if (ktap === null) return `gup_test ${name} printed no output section`;
  const run = readGupRun(ktap, bytes);
  const problem = runProblem(run);
  if (problem) return `gup_test ${name}: ${problem}`;
  if (exit !== 0) return `gup_test ${name} exited with ${exit}`;
  return run;
}

function judge(_tc: TestCase, out: GuestOutput): Verdict {
  const checked = checkResult('gup-longterm.sh', out);
  if ('verdict' in checked) return checked.verdict;
  const f = requireFields('gup-longterm.sh', checked.line, ['anon_exit', 'basic_exit', 'longterm_exit', 'bytes'] as const, out);
  if ('verdict' in f) return f.verdict;
  const v = f.values;
  const anon = readRun('-L (anonymous)', out.stdout, 'anon-longterm', v.anon_exit, v.bytes);
  if (typeof anon === 'string') return errorVerdict(anon, out);
  const basic = readRun('-b (DAX)', out.stdout, 'dax-basic', v.basic_exit, v.bytes);
  if (typeof basic === 'string') return errorVerdict(basic, out);
  const longterm = readRun('-L (DAX)', out.stdout, 'dax-longterm', v.longterm_exit, v.bytes);
  if (typeof longterm === 'string') return errorVerdict(longterm, out);
  const timings: Record<string, number> = {};
  if (anon.getUs !== undefined) timings.anonLongtermGetMs = anon.getUs / 1000;
  if (longterm.getUs !== undefined) timings.daxLongtermGetMs = longterm.getUs / 1000;
  const details = { requestedBytes: v.bytes, anonPinnedBytes: anon.pinnedBytes, daxBasicPinnedBytes: basic.pinnedBytes, daxLongtermPinnedBytes: longterm.pinnedBytes };
  if (anon.pinnedBytes !== v.bytes) {
    return { ...errorVerdict(`control failed: PIN_LONGTERM of anonymous memory pinned ${anon.pinnedBytes} of ${v.bytes} bytes`, out, timings), details };
  }
  if (basic.pinnedBytes !== v.bytes) {
    return { ...errorVerdict(`control failed: PIN_BASIC (short-term) of the DAX mapping pinned ${basic.pinnedBytes} of ${v.bytes} bytes`, out, timings), details };
  }
  if (longterm.pinnedBytes === 0) {
    return { status: 'pass', reason: 'gup_test PIN_LONGTERM on an fsdax mapping pinned nothing (refused); short-term pins and anonymous long-term pins worked', timings, details };
  }
  return {
    status: 'fail',
    reason: `gup_test PIN_LONGTERM pinned ${longterm.pinnedBytes} of ${v.bytes} bytes of an fsdax mapping (FOLL_LONGTERM on fsdax must be refused)`,
    timings,
    details,
  };
}

/** The mm selftest gup_test: FOLL_LONGTERM on fsdax refused, with anonymous and short-term controls. */
export const gupLongterm: Workload = {
  name: 'gup-longterm',
  description:
    "Runs the kernel's own mm selftest gup_test (tools/testing/selftests/mm; selftests/vm before 6.3), " +
    'compiled from the same tree as the kernel under test (CONFIG_GUP_TEST, /sys/kernel/debug/gup_test), ' +
    'and parses its KTAP output (plain result lines before 6.3). PIN_LONGTERM_BENCHMARK calls pin_user_pages(FOLL_LONGTERM) over a MAP_SHARED mapping of a ' +
    'file on the DAX filesystem; check_vma_flags() in mm/gup.c must refuse it (vma_is_fsdax), so nothing ' +
    'is pinned. The pin is read-only (-W) so that the fsdax check is the only thing that can refuse it ' +
    '(long-term write pins of shared file mappings are refused anyway, with EFAULT). Controls: the same long-term pin of anonymous memory pins every page, and a short-term ' +
    'PIN_BASIC_TEST of the DAX mapping pins every page (a failed control is an error, not a pass). ' +
    'Oracle: zero bytes pinned long-term on fsdax. Records the pin times gup_test reports.',
  params: PARAMS,
  command,
  judge,
};
