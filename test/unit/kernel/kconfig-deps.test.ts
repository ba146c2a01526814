import { describe, expect, it } from 'vitest';
import { dependsOnIn } from '../../../src/kernel/kconfig-deps.js';

// Shaped like drivers/dax/Kconfig: a menuconfig, an `if` block, help texts, several depends lines.
const DAX_KCONFIG = `# SPDX-License-Identifier: GPL-2.0-only
menuconfig DAX
\ttristate "DAX: direct access"
\tdefault m if NVDIMM_DAX

if DAX

config DEV_DAX
\ttristate "Device DAX: mmap-able character device"
\tdepends on TRANSPARENT_HUGEPAGE
\thelp
\t  Raw access to memory through a /dev/daxX.Y device.

\t  if you say Y here, the device appears at boot.
\t  depends on nothing: this line is help text.

config DEV_DAX_PMEM
\ttristate "PMEM DAX"
\tdepends on LIBNVDIMM && NVDIMM_DAX && DEV_DAX
\tdefault DEV_DAX
\thelp
\t  Say M if unsure

config DEV_DAX_KMEM
\ttristate "KMEM DAX"
\tdepends on DEV_DAX && \\
\t\t   MEMORY_HOTPLUG
\tdepends on NUMA
\tdefault DEV_DAX

endif
`;

const FS_KCONFIG = `menu "File systems"
\tdepends on BLOCK

config FS_DAX
\tbool "File system based Direct Access (DAX) support"
\tdepends on MMU
\tdepends on ZONE_DEVICE || FS_DAX_LIMITED
\tselect FS_IOMAP
\thelp
\t  Direct Access.

endmenu

config FS_DAX_PMD
\tbool
\tdefault FS_DAX
\tdepends on FS_DAX
`;

describe('dependsOnIn', () => {
  it('finds a plain depends on line', () => {
    expect(dependsOnIn('config ZONE_DEVICE\n\tbool\n\tdepends on MEMORY_HOTPLUG\n', 'ZONE_DEVICE')).toEqual(['MEMORY_HOTPLUG']);
  });

  it('includes the enclosing if block (DEV_DAX needs DAX)', () => {
    expect(dependsOnIn(DAX_KCONFIG, 'DEV_DAX')).toEqual(['DAX', 'TRANSPARENT_HUGEPAGE']);
  });

  it('keeps expressions whole and ignores help text', () => {
    expect(dependsOnIn(DAX_KCONFIG, 'DEV_DAX_PMEM')).toEqual(['DAX', 'LIBNVDIMM && NVDIMM_DAX && DEV_DAX']);
  });

  it('joins backslash-continued lines and collects several depends lines', () => {
    expect(dependsOnIn(DAX_KCONFIG, 'DEV_DAX_KMEM')).toEqual(['DAX', 'DEV_DAX && MEMORY_HOTPLUG', 'NUMA']);
  });

  it('includes the depends of an enclosing menu, and not after endmenu', () => {
    expect(dependsOnIn(FS_KCONFIG, 'FS_DAX')).toEqual(['BLOCK', 'MMU', 'ZONE_DEVICE || FS_DAX_LIMITED']);
    expect(dependsOnIn(FS_KCONFIG, 'FS_DAX_PMD')).toEqual(['FS_DAX']);
  });

  it('matches the whole symbol name only', () => {
    expect(dependsOnIn(DAX_KCONFIG, 'DEV')).toEqual([]);
    expect(dependsOnIn(DAX_KCONFIG, 'DEV_DAX_PMEM_X')).toEqual([]);
  });

  it('returns nothing for a symbol without dependencies or not defined here', () => {
    expect(dependsOnIn(DAX_KCONFIG, 'DAX')).toEqual([]);
    expect(dependsOnIn(DAX_KCONFIG, 'TRANSPARENT_HUGEPAGE')).toEqual([]);
  });

  it('does not treat "if" inside help text as a block', () => {
    const text = 'config A\n\tbool\n\thelp\n\t  if unsure, say N.\n\nconfig B\n\tbool\n\tdepends on C\n';
    expect(dependsOnIn(text, 'B')).toEqual(['C']);
  });
});
