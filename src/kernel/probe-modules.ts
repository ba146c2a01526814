// daxlab's own kernel-side probe (guest-scripts/kmod/daxlab_busy.c): an out-of-tree module built
// against the object directory of the kernel under test, right after its image, and stored with
// the selftests in the cache entry (so the guest loads a module whose vermagic and symbol CRCs are
// that kernel's). Its sources are part of the kernel's cache key (probeSourcesKey).
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GUEST_SCRIPTS_DIR } from '../cli/paths.js';
import { DaxlabError } from '../errors.js';
import { run } from './exec.js';
import { sha256 } from './hash.js';
import type { SelftestBuild } from './selftests.js';

/** The module's sources: kmod/ and the ioctl header it shares with the guest program busyrange. */
export const PROBE_SOURCES = { dir: join(GUEST_SCRIPTS_DIR, 'kmod'), header: join(GUEST_SCRIPTS_DIR, 'daxlab-busy.h') };
/** The module file the guest loads (in the entry's selftests/, copied beside the guest programs). */
export const PROBE_MODULE = 'daxlab_busy.ko';

/** Pure: why a kernel of this final .config gets no probe module, or null when it gets one. */
export function probeSkipReason(config: string, treeHasRangeScan: boolean): string | null {
  if (!/^CONFIG_MODULES=y$/m.test(config)) return 'CONFIG_MODULES is off';
  if (!/^CONFIG_FS_DAX=y$/m.test(config)) return 'CONFIG_FS_DAX is off';
  if (!treeHasRangeScan) return 'the tree has no dax_layout_busy_page_range() (added in v5.10)';
  return null;
}

/** A hash of the module's sources, for the kernel cache key: a changed module means a new entry. */
export async function probeSourcesKey(): Promise<string> {
  const names = (await readdir(PROBE_SOURCES.dir)).sort();
  const parts = await Promise.all(names.map(async (n) => `${n}\0${sha256(await readFile(join(PROBE_SOURCES.dir, n)))}`));
  return sha256(Buffer.from([...parts, sha256(await readFile(PROBE_SOURCES.header))].join('\n')));
}

/**
 * Build kmod/ in obj/daxlab-kmod with M= against the Module.symvers the kernel's own make wrote
 * (`make bzImage modules`; made here when it is missing), and copy the .ko into outDir. A kernel that cannot have it is
 * skipped with the reason, and the busy-range workload then reports a skip.
 */
export async function buildProbeModules(
  src: string,
  obj: string,
  config: string,
  outDir: string,
  jobs: number,
  say: (m: string) => void = () => undefined,
): Promise<SelftestBuild> {
  await rm(join(outDir, PROBE_MODULE), { force: true });
  const daxC = await readFile(join(src, 'fs/dax.c'), 'utf8').catch(() => '');
  const why = probeSkipReason(config, daxC.includes('dax_layout_busy_page_range('));
  if (why) {
    say(`probe module: not building ${PROBE_MODULE}: ${why}`);
    return { built: [], skipped: [{ name: PROBE_MODULE, why }] };
  }
  say(`probe module: ${PROBE_MODULE} (M=)`);
  const make = (args: string[], what: string) =>
    run('make', ['-C', src, `O=${obj}`, 'ARCH=x86_64', ...args], { errorCode: 'BUILD_FAILED', what });
  if (!existsSync(join(obj, 'Module.symvers'))) await make([`-j${jobs}`, 'modules'], 'make modules (Module.symvers for the probe module)');
  const dir = join(obj, 'daxlab-kmod');
  await rm(dir, { recursive: true, force: true });
  await cp(PROBE_SOURCES.dir, dir, { recursive: true });
  await copyFile(PROBE_SOURCES.header, join(dir, 'daxlab-busy.h'));
  await make([`M=${dir}`, 'modules'], `build the probe module ${PROBE_MODULE} against the kernel under test`);
  const ko = join(dir, PROBE_MODULE);
  if (!existsSync(ko)) throw new DaxlabError('BUILD_FAILED', `the probe module build left no ${ko}`);
  await mkdir(outDir, { recursive: true });
  await copyFile(ko, join(outDir, PROBE_MODULE));
  return { built: [PROBE_MODULE], skipped: [] };
}
