import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactDir, cacheRoot, treePaths } from '../../../src/kernel/cache-dir.js';

describe('cacheRoot', () => {
  it('prefers DAXLAB_CACHE over XDG_CACHE_HOME', () => {
    expect(cacheRoot({ DAXLAB_CACHE: '/x/daxlab-cache', XDG_CACHE_HOME: '/xdg' })).toBe('/x/daxlab-cache');
  });

  it('uses XDG_CACHE_HOME/daxlab next', () => {
    expect(cacheRoot({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/daxlab');
  });

  it('falls back to ~/.cache/daxlab, treating empty variables as unset', () => {
    expect(cacheRoot({})).toBe(join(homedir(), '.cache', 'daxlab'));
    expect(cacheRoot({ DAXLAB_CACHE: '', XDG_CACHE_HOME: '' })).toBe(join(homedir(), '.cache', 'daxlab'));
  });
});

describe('layout', () => {
  it('puts trees and kernels under the root', () => {
    const t = treePaths('/c', 'abcd');
    expect(t).toMatchObject({ base: '/c/trees/abcd', src: '/c/trees/abcd/src', lock: '/c/trees/abcd/build.lock' });
    expect(t.obj('1234')).toBe('/c/trees/abcd/obj-1234');
    expect(t.kconfigScratch).toBe('/c/trees/abcd/kconfig-scratch');
    expect(artifactDir('/c', 'ffff')).toBe('/c/kernels/ffff');
  });
});
