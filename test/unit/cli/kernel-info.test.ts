import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSource, kernelInfo } from '../../../src/cli/kernel-info.js';

const PATCH = resolve(import.meta.dirname, '..', '..', 'patches', 'seed-busy-page-range-end-0.patch');

describe('kernelInfo', () => {
  it('names the source, the patches with their sha256 and the fragments; the build once there is one', () => {
    const spec = { source: { kind: 'debian' as const, package: 'linux-source-6.12' }, patches: [PATCH], configs: ['/x/kernel-configs/base.config', '/x/pmem.config'], label: 'seed' };
    const sha = createHash('sha256').update(readFileSync(PATCH)).digest('hex');
    expect(kernelInfo(spec)).toEqual({
      label: 'seed', source: 'debian linux-source-6.12', patches: ['seed-busy-page-range-end-0.patch'], patchSha256: [sha], configs: ['base', 'pmem'],
    });
    const built = { cached: true, seconds: 0.291, artifact: { key: 'k123', meta: { source: 'debian linux-source-6.12 6.12.57-1' } } };
    expect(kernelInfo(spec, built as never)).toMatchObject({ source: 'debian linux-source-6.12 6.12.57-1', buildSeconds: 0.3, cacheKey: 'k123', cached: true });
  });

  it('leaves the hashes out when a patch cannot be read', () => {
    const spec = { source: { kind: 'git' as const, repo: '/src/linux', ref: 'v6.12' }, patches: [join('/nonexistent', 'a.patch')], configs: [], label: 'x' };
    expect(kernelInfo(spec)).toEqual({ label: 'x', source: 'git /src/linux v6.12', patches: ['a.patch'], configs: [] });
    expect(describeSource({ kind: 'dir', path: '/l' })).toBe('dir /l');
  });
});
