import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { findKconfigDeps } from '../../../src/kernel/kconfig-deps.js';
import { makeFakeTree, writeFiles } from './fake-tree.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('findKconfigDeps', () => {
  it('walks Kconfig* files of a tree, skipping Documentation, tools and dot dirs', async () => {
    const tree = makeFakeTree('kdeps');
    cleanup.push(tree);
    writeFiles(tree, {
      'drivers/dax/Kconfig': 'menuconfig DAX\n\ttristate "DAX"\n\nif DAX\n\nconfig DEV_DAX\n\ttristate "dev"\n\tdepends on TRANSPARENT_HUGEPAGE\n\nendif\n',
      'mm/Kconfig.debug': 'config DEBUG_VM\n\tbool\n\tdepends on DEBUG_KERNEL\n',
      'Documentation/Kconfig': 'config DEV_DAX\n\tdepends on FROM_DOCS\n',
      'tools/Kconfig': 'config DEV_DAX\n\tdepends on FROM_TOOLS\n',
      '.hidden/Kconfig': 'config DEV_DAX\n\tdepends on FROM_HIDDEN\n',
    });
    const deps = await findKconfigDeps(tree, ['DEV_DAX', 'FS_DAX', 'DEBUG_VM', 'UNKNOWN']);
    expect(deps).toEqual(
      new Map([
        ['DEV_DAX', ['DAX', 'TRANSPARENT_HUGEPAGE']],
        ['FS_DAX', ['ZONE_DEVICE']],
        ['DEBUG_VM', ['DEBUG_KERNEL']],
        ['UNKNOWN', []],
      ]),
    );
  });
});
