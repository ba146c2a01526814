import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../temp-dirs.js';
import { kconfigPaths, markConfig, reusableConfig, touchesKconfig } from '../../../src/kernel/config-reuse.js';

const tempDir = tempDirs('daxlab-cfg-');

describe('touchesKconfig', () => {
  it('sees a patch to any Kconfig file, the kconfig tool or the x86 defconfigs', () => {
    expect(touchesKconfig(['--- a/fs/Kconfig\n+++ b/fs/Kconfig\n'])).toBe(true);
    expect(touchesKconfig(['+++ b/drivers/dax/Kconfig.debug\n'])).toBe(true);
    expect(touchesKconfig([Buffer.from('--- a/scripts/kconfig/conf.c\n')])).toBe(true);
    expect(touchesKconfig(['+++ b/arch/x86/configs/tiny.config\n'])).toBe(true);
    expect(touchesKconfig(['--- a/kernel/configs/tiny-base.config\n+++ b/kernel/configs/tiny-base.config\n'])).toBe(true);
  });

  it('ignores patches to code only, including one mentioning Kconfig in its message', () => {
    expect(touchesKconfig(['Subject: fix Kconfig wording later\n--- a/fs/dax.c\n+++ b/fs/dax.c\n'])).toBe(false);
    expect(touchesKconfig([])).toBe(false);
  });
});

describe('kconfigPaths', () => {
  it('sees Kconfig files anywhere, the kconfig tool, and the tinyconfig inputs', () => {
    expect(kconfigPaths(['fs/dax.c', 'mm/gup.c'])).toBe(false);
    for (const p of ['Kconfig', 'fs/Kconfig', 'drivers/dax/Kconfig.debug', 'scripts/kconfig/conf.c', 'arch/x86/configs/tiny.config', 'kernel/configs/tiny-base.config']) {
      expect(kconfigPaths(['fs/dax.c', p]), p).toBe(true);
    }
  });
});

describe('reusableConfig', () => {
  const s1 = { merged: 'm1', base: 'c1' };

  it('returns the .config only for the fragments it was marked with, and forgets it when unmarked', async () => {
    const obj = tempDir();
    expect(await reusableConfig(obj, s1)).toBeNull();
    writeFileSync(join(obj, '.config'), 'CONFIG_X=y\n');
    expect(await reusableConfig(obj, s1)).toBeNull();
    await markConfig(obj, s1);
    expect(await reusableConfig(obj, s1)).toBe('CONFIG_X=y\n');
    expect(await reusableConfig(obj, { ...s1, merged: 'm2' }, async () => false)).toBeNull();
    await markConfig(obj, null);
    expect(await reusableConfig(obj, s1)).toBeNull();
  });

  it('holds across commits whose changes touch no Kconfig input, and only those', async () => {
    const obj = tempDir();
    writeFileSync(join(obj, '.config'), 'CONFIG_X=y\n');
    await markConfig(obj, s1);
    const asked: string[] = [];
    expect(await reusableConfig(obj, { ...s1, base: 'c2' }, async (from) => (asked.push(from), false))).toBe('CONFIG_X=y\n');
    expect(await reusableConfig(obj, { ...s1, base: 'c2' }, async () => true)).toBeNull();
    expect(await reusableConfig(obj, { ...s1, base: 'c2' })).toBeNull();
    expect(asked).toEqual(['c1']);
  });

  it('ignores a stamp of an older daxlab (plain text)', async () => {
    const obj = tempDir();
    writeFileSync(join(obj, '.config'), 'CONFIG_X=y\n');
    writeFileSync(join(obj, '.daxlab-config-stamp'), '0123456789abcdef');
    expect(await reusableConfig(obj, s1, async () => false)).toBeNull();
  });
});
