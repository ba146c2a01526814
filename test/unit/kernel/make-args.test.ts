import { describe, expect, it } from 'vitest';
import { kernelMakeArgs } from '../../../src/kernel/make.js';

describe('kernelMakeArgs', () => {
  const base = { src: '/c/src', obj: '/c/obj-1', jobs: 2, ccache: false };
  it('makes bzImage out of tree, adding modules and headers only when asked', () => {
    expect(kernelMakeArgs(base)).toEqual(['-C', '/c/src', 'O=/c/obj-1', 'ARCH=x86_64', '-j2', 'bzImage']);
    expect(kernelMakeArgs({ ...base, modules: true, headers: true })).toEqual(['-C', '/c/src', 'O=/c/obj-1', 'ARCH=x86_64', '-j2', 'bzImage', 'modules', 'headers']);
  });
  it('names ccache as the compiler only with ccache on (another CC rebuilds every object)', () => {
    expect(kernelMakeArgs({ ...base, ccache: true }).at(-1)).toBe('CC=ccache gcc');
    expect(kernelMakeArgs(base).some((a) => a.startsWith('CC='))).toBe(false);
  });
});
