// Kernel intake and build, cached by content: source identity + patch bytes + merged fragments +
// compiler. A hit runs no make at all; a miss reuses the per-source tree and object directory so a
// new patch costs what make's incremental build costs.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { DaxlabError } from '../errors.js';
import type { KernelSpec } from '../plan/types.js';
import { lookupArtifact, markUsed, storeArtifact, type KernelArtifact } from './artifact-cache.js';
import { treePaths } from './cache-dir.js';
import { cacheIoError, isFsError } from './cache-io.js';
import { resultsIoError } from '../results/ioerror.js';
import { badFragmentLines, mergeFragments, renderConfig } from './config-fragments.js';
import { run } from './exec.js';
import { sha256, shortKey } from './hash.js';
import { makeConfig } from './kconfig.js';
import { kconfigPaths, markConfig, reusableConfig, touchesKconfig } from './config-reuse.js';
import { withPrivateFile } from './private-file.js';
import { acquireLock, describeHolder } from './lock.js';
import { makeBzImage } from './make.js';
import { applyPatches } from './patches.js';
import { releaseFromObjDir } from './release.js';
import { buildProbeModules, probeSourcesKey } from './probe-modules.js';
import { buildSelftests, selftestsFor } from './selftests.js';
import { ensureTree, resetTree, resolveSource } from './source.js';

export interface BuildOptions {
  cacheRoot: string;
  jobs?: number;
  timeoutMs?: number;
  /** Where this run's build log goes (copied into the cache entry on success). */
  logDir: string;
  onProgress?: (step: string) => void;
  signal?: AbortSignal;
}

export interface BuildResult {
  artifact: KernelArtifact;
  cached: boolean;
  seconds: number;
}

async function compilerId(): Promise<string> {
  const { stdout } = await run('gcc', ['--version'], { errorCode: 'HOST_MISSING', what: 'identify the compiler' });
  return stdout.split('\n')[0] ?? '';
}

async function readFragments(configs: string[]) {
  const fragments = [];
  for (const file of configs) {
    const text = await readFile(file, 'utf8').catch(() => {
      throw new DaxlabError('PLAN_INVALID', `config fragment ${file} cannot be read`);
    });
    const bad = badFragmentLines(text);
    if (bad.length > 0) {
      throw new DaxlabError('PLAN_INVALID', `config fragment ${file}:${bad[0]!.line}: not a CONFIG_ line: ${bad[0]!.text.trim()}`);
    }
    fragments.push({ file, text });
  }
  return mergeFragments(fragments);
}

/** Pure: a file system error of a build as RESULTS_IO (in the build log's dir) or CACHE_IO (in the cache); others unchanged. */
export function classifyBuildError(err: unknown, logDir: string, cacheRoot: string): unknown {
  if (!isFsError(err)) return err;
  const where = (err as { dest?: string }).dest ?? err.path;
  const action = err.syscall ?? 'use';
  const under = (dir: string) => where === dir || where.startsWith(`${dir}/`);
  if (under(logDir)) return resultsIoError(action, where, err);
  return under(cacheRoot) ? cacheIoError(action, where, err) : err;
}

// The tree's build lock. `cache gc` may remove an unused tree (lock file and all) while we wait for
// it; then the directory is made again and the lock taken anew.
async function lockTree(paths: ReturnType<typeof treePaths>, o: BuildOptions, say: (m: string) => void) {
  for (let attempt = 1; ; attempt++) {
    await mkdir(paths.base, { recursive: true });
    try {
      return await acquireLock(paths.lock, {
        what: 'the build lock of this tree',
        timeoutMs: o.timeoutMs ?? 3_600_000,
        signal: o.signal,
        onWait: (h) => say(`waiting for ${describeHolder(h)}, which is building this tree`),
      });
    } catch (err) {
      if (attempt >= 3 || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

// The patches in order, after the uncommitted diff of a --source tree (a private temp file, removed after).
async function applySeries(tree: string, patches: string[], workingDiff: Buffer, say: (m: string) => void): Promise<void> {
  const series = patches.map((p) => ({ path: p, label: p }));
  const n = series.length + (workingDiff.length > 0 ? 1 : 0);
  if (n > 0) say(`applying ${n} patch${n > 1 ? 'es' : ''}`);
  if (workingDiff.length === 0) return applyPatches(tree, series);
  await withPrivateFile('working.diff', workingDiff, (diff) =>
    applyPatches(tree, [{ path: diff, label: 'uncommitted changes of the source tree' }, ...series]));
}

// Whether the tree's Kconfig inputs differ between two commits (an unknown commit counts as a change).
async function kconfigChanged(tree: string, from: string, to: string): Promise<boolean> {
  const r = await run('git', ['-C', tree, 'diff', '--name-only', from, to]).catch(() => null);
  return r === null || kconfigPaths(r.stdout.split('\n').filter(Boolean));
}

/** Build (or fetch from the cache) the kernel a spec describes; a file system error exits 69 naming its path. */
export async function buildKernel(spec: KernelSpec, o: BuildOptions): Promise<BuildResult> {
  try {
    return await buildOrFetch(spec, o);
  } catch (err) {
    throw classifyBuildError(err, o.logDir, o.cacheRoot);
  }
}

async function buildOrFetch(spec: KernelSpec, o: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const say = (m: string) => o.onProgress?.(m);
  const source = await resolveSource(spec.source);
  const { values } = await readFragments(spec.configs);
  const mergedText = renderConfig(values);
  const patchBytes = await Promise.all(spec.patches.map((p) => readFile(p)));
  const key = shortKey(
    'daxlab-kernel-v1',
    source.key,
    sha256(source.workingDiff),
    ...patchBytes.map((b) => sha256(b)),
    mergedText,
    await compilerId(),
    await probeSourcesKey(),
    'x86_64 bzImage',
  );
  const hit = await lookupArtifact(o.cacheRoot, key, say);
  if (hit) return { artifact: hit, cached: true, seconds: (Date.now() - started) / 1000 };

  const paths = treePaths(o.cacheRoot, source.treeKey);
  const release = await lockTree(paths, o, say);
  try {
    const again = await lookupArtifact(o.cacheRoot, key, say);
    if (again) return { artifact: again, cached: true, seconds: (Date.now() - started) / 1000 };
    say(`preparing source tree (${source.identity})`);
    await markUsed(paths.base);
    const base = await ensureTree(source, paths.src);
    await resetTree(paths.src, base);
    await applySeries(paths.src, spec.patches, source.workingDiff, say);
    const obj = paths.obj(shortKey(mergedText));
    await mkdir(obj, { recursive: true });
    const kconfigTouched = touchesKconfig([source.workingDiff, ...patchBytes]);
    const stamp = { merged: shortKey('config-v2', mergedText), base };
    let finalConfig = kconfigTouched ? null : await reusableConfig(obj, stamp, (from) => kconfigChanged(paths.src, from, base));
    if (finalConfig !== null) {
      say('configuration unchanged: same fragments, no Kconfig change in the tree or the patches (verified when generated)');
    } else {
      say('configuring (tinyconfig + fragments + olddefconfig, then verifying)');
      await markConfig(obj, null);
      finalConfig = await makeConfig(paths.src, paths.kconfigScratch, values);
    }
    const objConfig = join(obj, '.config');
    const current = existsSync(objConfig) ? await readFile(objConfig, 'utf8') : '';
    if (current !== finalConfig) await writeFile(objConfig, finalConfig);
    await markConfig(obj, kconfigTouched ? null : stamp);
    await mkdir(o.logDir, { recursive: true });
    const logFile = join(o.logDir, 'build.log');
    const jobs = o.jobs ?? availableParallelism();
    say(`compiling (make -j${jobs}, log ${logFile})`);
    // ccache only when asked (DAXLAB_CCACHE=1): with a cold cache it made the first build 30% more
    // CPU (1700 vs 1307 CPU-s here), and object dirs are reused across commits, so it rarely hits.
    const haveCcache = process.env.DAXLAB_CCACHE === '1' && (await run('ccache', ['--version']).then(() => true, () => false));
    const image = await makeBzImage({
      src: paths.src,
      obj,
      jobs,
      logFile,
      ccache: haveCcache,
      ccacheBase: paths.base,
      timeoutMs: o.timeoutMs ?? 3_600_000,
      modules: /^CONFIG_MODULES=y$/m.test(finalConfig),
      // make headers alone took 30 s after the compile here (24 s with -j2); within it, it overlaps.
      headers: selftestsFor(finalConfig).length > 0,
      onProgress: (step) => say(`compiling: ${step}`),
      signal: o.signal,
    });
    const selftestDir = join(obj, 'daxlab-selftests');
    const selftests = await buildSelftests(paths.src, obj, finalConfig, selftestDir, say);
    const probes = await buildProbeModules(paths.src, obj, finalConfig, selftestDir, jobs, say);
    const kernelRelease = (await releaseFromObjDir(obj)) ?? undefined;
    const seconds = (Date.now() - started) / 1000;
    const files = { image, config: objConfig, log: logFile, selftests: { dir: selftestDir, names: [...selftests.built, ...probes.built] } };
    const artifact = await storeArtifact(o.cacheRoot, key, files, {
      label: spec.label,
      source: source.identity,
      patches: spec.patches.map((p) => basename(p)),
      buildSeconds: seconds,
      ...(kernelRelease ? { kernelRelease } : {}),
    });
    return { artifact, cached: false, seconds };
  } finally {
    await release();
  }
}
