import { describe, expect, it } from 'vitest';
import { classifyBuildError } from '../../../src/kernel/build.js';

describe('classifyBuildError', () => {
  const fsErr = (path: string, extra: Record<string, string> = {}) => Object.assign(new Error('x'), { code: 'ENOSPC', syscall: 'write', path, ...extra });
  it('names the build log dir as RESULTS_IO, the cache as CACHE_IO, and leaves other paths alone', () => {
    expect((classifyBuildError(fsErr('/r/build/build.log'), '/r/build', '/c') as { code: string }).code).toBe('RESULTS_IO');
    const cache = classifyBuildError(fsErr('/c/trees/k/src/x', { dest: '/c/kernels/k.tmp-1/bzImage' }), '/r/build', '/c') as { code: string; message: string };
    expect(cache.code).toBe('CACHE_IO');
    expect(cache.message).toBe('cannot write /c/kernels/k.tmp-1/bzImage: ENOSPC');
    const other = fsErr('/home/me/0001.patch');
    expect(classifyBuildError(other, '/r/build', '/c')).toBe(other);
    const sibling = fsErr('/c2/x'); // shares the prefix, not the directory
    expect(classifyBuildError(sibling, '/r/build', '/c')).toBe(sibling);
  });
});
