// Userspace selftests built from the same tree as the kernel image (so their uapi headers and
// ioctl numbers match it), stored in the cache entry's selftests/ and copied into the guest.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DaxlabError } from '../errors.js';
import { run } from './exec.js';

/** A selftest program daxlab builds when the kernel config enables what it drives. */
export interface SelftestProgram {
  name: string;
  /** The option without which the program has nothing to talk to. */
  needs: string;
  /** Alternative source sets, relative to the kernel tree, newest tree layout first: the first set whose files all exist is built. */
  layouts: string[][];
}

/** What buildSelftests did: the programs built, and those skipped with the reason. */
export interface SelftestBuild {
  built: string[];
  skipped: Array<{ name: string; why: string }>;
}

export const SELFTEST_PROGRAMS: readonly SelftestProgram[] = [
  {
    name: 'gup_test',
    needs: 'CONFIG_GUP_TEST',
    layouts: [
      // 6.3 and later: selftests/mm, with the shared helpers in vm_util.c.
      ['tools/testing/selftests/mm/gup_test.c', 'tools/testing/selftests/mm/vm_util.c'],
      // Up to 6.2 the directory was selftests/vm, and gup_test.c needed only its util.h (header-only).
      ['tools/testing/selftests/vm/gup_test.c'],
    ],
  },
];

/** Pure: the programs a final .config calls for. */
export function selftestsFor(config: string): SelftestProgram[] {
  return SELFTEST_PROGRAMS.filter((p) => new RegExp(`^${p.needs}=y$`, 'm').test(config));
}

/** Pure: the first of p's source layouts whose files all exist (per `exists`), or null when the tree has none. */
export function sourcesIn(p: SelftestProgram, exists: (relPath: string) => boolean): string[] | null {
  return p.layouts.find((files) => files.every(exists)) ?? null;
}

/** Pure: gcc's argv for one program from its sources, as tools/testing/selftests/mm (vm) Makefile builds it. */
export function selftestGccArgs(sources: readonly string[], src: string, headers: string, out: string): string[] {
  return [
    '-Wall', '-O2', '-D_GNU_SOURCE=', '-U_FORTIFY_SOURCE', '-pthread',
    '-isystem', headers,
    '-I', src,
    '-I', join(src, 'tools/testing/selftests'),
    '-o', out,
    ...sources.map((s) => join(src, s)),
  ];
}

/**
 * Compile the programs the config calls for into outDir, against the uapi headers the kernel's own
 * make installed in obj/usr/include (makeBzImage's `headers`), from the first source layout the tree has (mm/ since
 * 6.3, vm/ before). A program none of whose layouts this tree has is skipped, and its workload then
 * reports a skip.
 */
export async function buildSelftests(
  src: string,
  obj: string,
  config: string,
  outDir: string,
  say: (m: string) => void = () => undefined,
): Promise<SelftestBuild> {
  const skipped: SelftestBuild['skipped'] = [];
  const wanted: Array<{ p: SelftestProgram; sources: string[] }> = [];
  for (const p of selftestsFor(config)) {
    const sources = sourcesIn(p, (f) => existsSync(join(src, f)));
    if (sources) wanted.push({ p, sources });
    else skipped.push({ name: p.name, why: `none of ${p.layouts.map((l) => l[0]).join(', ')} is in this tree` });
  }
  for (const s of skipped) say(`selftests: not building ${s.name}: ${s.why}`);
  if (wanted.length === 0) return { built: [], skipped };
  say(`selftests: ${wanted.map((w) => w.p.name).join(', ')} (gcc)`);
  const headers = join(obj, 'usr/include');
  if (!existsSync(headers)) throw new DaxlabError('BUILD_FAILED', `the kernel's make left no ${headers} (its headers target installs them when selftestsFor(config) is not empty)`);
  await mkdir(outDir, { recursive: true });
  for (const { p, sources } of wanted) {
    await run('gcc', selftestGccArgs(sources, src, headers, join(outDir, p.name)), {
      errorCode: 'BUILD_FAILED',
      what: `compile selftest ${p.name} from ${sources.join(' ')}`,
    });
  }
  return { built: wanted.map((w) => w.p.name), skipped };
}
