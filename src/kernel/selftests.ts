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
  /** Sources, relative to the kernel tree. */
  sources: string[];
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
    sources: ['tools/testing/selftests/mm/gup_test.c', 'tools/testing/selftests/mm/vm_util.c'],
  },
];

/** Pure: the programs a final .config calls for. */
export function selftestsFor(config: string): SelftestProgram[] {
  return SELFTEST_PROGRAMS.filter((p) => new RegExp(`^${p.needs}=y$`, 'm').test(config));
}

/** Pure: gcc's argv for one program, as tools/testing/selftests/mm/Makefile builds it. */
export function selftestGccArgs(p: SelftestProgram, src: string, headers: string, out: string): string[] {
  return [
    '-Wall', '-O2', '-D_GNU_SOURCE=', '-U_FORTIFY_SOURCE', '-pthread',
    '-isystem', headers,
    '-I', src,
    '-I', join(src, 'tools/testing/selftests'),
    '-o', out,
    ...p.sources.map((s) => join(src, s)),
  ];
}

/**
 * Install the tree's uapi headers into obj/usr/include (make headers) and compile the
 * programs the config calls for into outDir. A program whose sources this tree lacks (an older
 * layout) is skipped, and its workload then reports a skip.
 */
export async function buildSelftests(
  src: string,
  obj: string,
  config: string,
  outDir: string,
  say: (m: string) => void = () => undefined,
): Promise<SelftestBuild> {
  const skipped: SelftestBuild['skipped'] = [];
  const wanted = selftestsFor(config).filter((p) => {
    const missing = p.sources.find((f) => !existsSync(join(src, f)));
    if (missing) skipped.push({ name: p.name, why: `${missing} is not in this tree` });
    return !missing;
  });
  for (const s of skipped) say(`selftests: not building ${s.name}: ${s.why}`);
  if (wanted.length === 0) return { built: [], skipped };
  say(`selftests: ${wanted.map((p) => p.name).join(', ')} (make headers, gcc)`);
  await run('make', ['-C', src, `O=${obj}`, 'ARCH=x86_64', 'headers'], { errorCode: 'BUILD_FAILED', what: 'install the kernel uapi headers (make headers)' });
  const headers = join(obj, 'usr/include');
  if (!existsSync(headers)) throw new DaxlabError('BUILD_FAILED', `make headers left no ${headers}`);
  await mkdir(outDir, { recursive: true });
  for (const p of wanted) {
    await run('gcc', selftestGccArgs(p, src, headers, join(outDir, p.name)), {
      errorCode: 'BUILD_FAILED',
      what: `compile selftest ${p.name} from ${p.sources.join(' ')}`,
    });
  }
  return { built: wanted.map((p) => p.name), skipped };
}
