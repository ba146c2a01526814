// The identity of the kernel a run tested, kept in results.json for reports (KCIDB checkouts and builds).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { BuildResult } from '../kernel/build.js';
import type { KernelSpec, SourceSpec } from '../plan/types.js';
import type { KernelInfo } from '../results/types.js';

/** Pure: a source spec in words, for when nothing was built (the identity is then not resolved). */
export function describeSource(s: SourceSpec): string {
  switch (s.kind) {
    case 'debian':
      return `debian ${s.package}`;
    case 'dir':
      return `dir ${s.path}`;
    case 'git':
      return `git ${s.repo} ${s.ref}`;
  }
}

// sha256 of a patch file; undefined when it cannot be read (the run already applied it, so rarely).
function fileSha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The kernel's label, source identity, patches (with their sha256), fragments and, once built, its build. */
export function kernelInfo(spec: KernelSpec, built?: BuildResult): KernelInfo {
  const hashes = spec.patches.map(fileSha256);
  return {
    label: spec.label,
    source: built?.artifact.meta.source ?? describeSource(spec.source),
    patches: spec.patches.map((p) => basename(p)),
    ...(hashes.every((h): h is string => h !== undefined) ? { patchSha256: hashes } : {}),
    configs: spec.configs.map((c) => basename(c).replace(/\.config$/, '')),
    ...(built ? { buildSeconds: Number(built.seconds.toFixed(1)), cacheKey: built.artifact.key, cached: built.cached } : {}),
  };
}
