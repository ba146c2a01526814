import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markConfig, reusableConfig, touchesKconfig } from '../../../src/kernel/config-reuse.js';

describe('touchesKconfig', () => {
  it('sees a patch to any Kconfig file, the kconfig tool or the x86 defconfigs', () => {
    expect(touchesKconfig(['--- a/fs/Kconfig\n+++ b/fs/Kconfig\n'])).toBe(true);
    expect(touchesKconfig(['+++ b/drivers/dax/Kconfig.debug\n'])).toBe(true);
    expect(touchesKconfig([Buffer.from('--- a/scripts/kconfig/conf.c\n')])).toBe(true);
    expect(touchesKconfig(['+++ b/arch/x86/configs/tiny.config\n'])).toBe(true);
  });

  it('ignores patches to code only, including one mentioning Kconfig in its message', () => {
    expect(touchesKconfig(['Subject: fix Kconfig wording later\n--- a/fs/dax.c\n+++ b/fs/dax.c\n'])).toBe(false);
    expect(touchesKconfig([])).toBe(false);
  });
});

describe('reusableConfig', () => {
  it('returns the .config only for the stamp it was marked with, and forgets it when unmarked', async () => {
    const obj = mkdtempSync(join(tmpdir(), 'daxlab-cfg-'));
    expect(await reusableConfig(obj, 's1')).toBeNull();
    writeFileSync(join(obj, '.config'), 'CONFIG_X=y\n');
    expect(await reusableConfig(obj, 's1')).toBeNull();
    await markConfig(obj, 's1');
    expect(await reusableConfig(obj, 's1')).toBe('CONFIG_X=y\n');
    expect(await reusableConfig(obj, 's2')).toBeNull();
    await markConfig(obj, null);
    expect(await reusableConfig(obj, 's1')).toBeNull();
  });
});
