// A KCIDB I/O v5.3 document (KernelCI's common results database, schema kernelci/kcidb-io
// kcidb_io/schema/v05_03.py) from one or more runs: one checkout and one build per kernel, one test
// per case run. Pure. The status mapping is in README ("KCIDB").
import { createHash } from 'node:crypto';
import { targetOf } from './case-groups.js';
import { oracleTiming } from './oracle-timings.js';
import type { CaseResult, CaseStatus, KernelInfo, RunSummary } from './types.js';

/** The schema version written. */
export const KCIDB_VERSION = { major: 5, minor: 3 } as const;
/** An origin name as KCIDB allows it. */
export const ORIGIN_PATTERN = /^[a-z0-9_]+$/;
/** KCIDB's limit on log_excerpt. */
export const MAX_EXCERPT = 16384;

type KcidbStatus = 'FAIL' | 'ERROR' | 'MISS' | 'PASS' | 'DONE' | 'SKIP';
type Json = Record<string, unknown>;

/** The document: version, checkouts, builds, tests. */
export interface KcidbDocument {
  version: { major: number; minor: number };
  checkouts: Json[];
  builds: Json[];
  tests: Json[];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A KCIDB test-path node from any text: characters outside [a-zA-Z0-9_-] become '_'. */
export function pathNode(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_') || '_';
}

/** The test path of a case: daxlab.<workload>.<fs>.<param-value_...>, e.g. daxlab.pin_race.ext4.index-5_pages-16_pin-pread_race-truncate. */
export function testPath(r: Pick<CaseResult, 'workload' | 'fs' | 'params'>): string {
  const params = Object.entries(r.params).map(([k, v]) => `${k}-${v}`).join('_');
  return ['daxlab', pathNode(r.workload.replace(/-/g, '_')), pathNode(r.fs), ...(params ? [pathNode(params)] : [])].join('.');
}

/** KCIDB status of a result: harness errors are MISS, the workload's own errors ERROR; flaky is PASS (see misc.flaky). */
export function kcidbStatus(r: Pick<CaseResult, 'status' | 'harnessError'>): KcidbStatus {
  const map: Record<CaseStatus, KcidbStatus> = {
    pass: 'PASS', fail: 'FAIL', xfail: 'FAIL', xpass: 'PASS', flaky: 'PASS', skip: 'SKIP', error: r.harnessError ? 'MISS' : 'ERROR',
  };
  return map[r.status];
}

// Numbers that JSON can carry (NaN and Infinity would turn into null, which KCIDB forbids).
function finite<T extends string | number | boolean>(o: Record<string, T> | undefined): Record<string, T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => typeof v !== 'number' || Number.isFinite(v)));
}

function excerpt(r: CaseResult): string {
  const lines = [r.reason, ...r.klogMatches];
  if (r.attempts) lines.push(...r.attempts.map((a, i) => `attempt ${i + 1}: ${a.status}: ${a.reason}`));
  const text = lines.join('\n').replace(/\0/g, '');
  return text.length <= MAX_EXCERPT ? text : `${text.slice(0, MAX_EXCERPT - 20)}\n... (truncated)`;
}

function kernelOf(summary: RunSummary, label: string): KernelInfo {
  return summary.kernels?.find((k) => k.label === label) ?? { label, source: `unknown (${label})`, patches: [], configs: [] };
}

function checkoutAndBuild(origin: string, k: KernelInfo, startedAt: string): { checkout: Json; build: Json } {
  const patchHashes = k.patchSha256 ?? [];
  const checkoutId = `${origin}:checkout-${sha256([k.source, ...patchHashes, ...(patchHashes.length ? [] : k.patches)].join('\n')).slice(0, 16)}`;
  const commit = /^git ([0-9a-f]{40})\b/.exec(k.source)?.[1];
  const checkout: Json = {
    id: checkoutId,
    origin,
    comment: `${k.label}: ${k.source}${k.patches.length ? ` + ${k.patches.join(', ')}` : ''}`,
    start_time: startedAt,
    ...(commit ? { git_commit_hash: commit } : {}),
    // sha256 over the newline-terminated sha256 of each patch, in order; "" without patches.
    ...(k.patches.length === 0 ? { patchset_hash: '' } : patchHashes.length === k.patches.length ? { patchset_hash: sha256(patchHashes.map((h) => `${h}\n`).join('')) } : {}),
    ...(k.buildSeconds !== undefined ? { valid: true } : {}),
    misc: { label: k.label, source: k.source, patches: k.patches },
  };
  const build: Json = {
    id: `${origin}:build-${k.cacheKey ?? sha256(`${checkoutId}\n${k.configs.join(' ')}`).slice(0, 16)}`,
    checkout_id: checkoutId,
    origin,
    comment: k.label,
    start_time: startedAt,
    architecture: 'x86_64',
    config_name: k.configs.join('+'),
    ...(k.buildSeconds !== undefined ? { duration: k.buildSeconds, status: 'PASS' } : {}),
    misc: { configs: k.configs, ...(k.cacheKey ? { cache_key: k.cacheKey } : {}), ...(k.cached !== undefined ? { cached: k.cached } : {}) },
  };
  return { checkout, build };
}

function test(origin: string, buildId: string, summary: RunSummary, r: CaseResult): Json {
  const status = kcidbStatus(r);
  const timing = oracleTiming(r);
  const misc: Json = {
    daxlab_status: r.status,
    case: r.id,
    repeat: r.repeat,
    plan: summary.plan,
    fs: r.fs,
    workload: r.workload,
    params: finite(r.params),
    timings_ms: finite(r.timings),
    ...(r.details ? { details: finite(r.details) } : {}),
    ...(r.known ? { known_issue: r.known } : {}),
    ...(r.status === 'xpass' ? { unexpected_pass: true } : {}),
    ...(r.status === 'flaky' ? { flaky: true } : {}),
    ...(r.attempts ? { attempts: r.attempts.map((a) => ({ status: a.status, reason: a.reason, duration_ms: a.durationMs })) } : {}),
    ...(r.status === 'error' ? { harness_error: Boolean(r.harnessError) } : {}),
  };
  return {
    id: `${origin}:${summary.startedAt}/${r.kernel}/${r.id}`,
    build_id: buildId,
    origin,
    path: testPath(r),
    status,
    comment: r.id,
    start_time: r.startedAt,
    ...(Number.isFinite(r.durationMs) ? { duration: r.durationMs / 1000 } : {}),
    log_excerpt: excerpt(r),
    environment: { comment: `QEMU (${summary.accel.toUpperCase()}), ${r.backend}, ${targetOf(r)}`, misc: { target: targetOf(r), backend: r.backend, accel: summary.accel } },
    ...(timing !== undefined && (status === 'PASS' || status === 'FAIL') ? { number: { value: timing, unit: 'ms' } } : {}),
    misc,
  };
}

/** The KCIDB document of the runs; checkouts and builds shared by runs of the same kernel appear once. */
export function toKcidb(runs: ReadonlyArray<{ summary: RunSummary; results: CaseResult[] }>, origin: string): KcidbDocument {
  if (!ORIGIN_PATTERN.test(origin)) throw new RangeError(`KCIDB origin must match ${ORIGIN_PATTERN.source}: ${origin}`);
  const checkouts = new Map<string, Json>();
  const builds = new Map<string, Json>();
  const tests: Json[] = [];
  for (const run of runs) {
    const labels = [...new Set([...run.results.map((r) => r.kernel), ...(run.summary.kernels ?? []).map((k) => k.label)])];
    const buildOf = new Map<string, string>();
    for (const label of labels) {
      const { checkout, build } = checkoutAndBuild(origin, kernelOf(run.summary, label), run.summary.startedAt);
      if (!checkouts.has(checkout.id as string)) checkouts.set(checkout.id as string, checkout);
      if (!builds.has(build.id as string)) builds.set(build.id as string, build);
      buildOf.set(label, build.id as string);
    }
    for (const r of run.results) tests.push(test(origin, buildOf.get(r.kernel)!, run.summary, r));
  }
  return { version: { ...KCIDB_VERSION }, checkouts: [...checkouts.values()], builds: [...builds.values()], tests };
}
