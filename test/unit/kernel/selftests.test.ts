import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSelftests, selftestGccArgs, selftestsFor, sourcesIn, SELFTEST_PROGRAMS } from '../../../src/kernel/selftests.js';

describe('selftests', () => {
  it('builds gup_test only when the final config has CONFIG_GUP_TEST=y', () => {
    expect(selftestsFor('CONFIG_DEBUG_FS=y\nCONFIG_GUP_TEST=y\n').map((p) => p.name)).toEqual(['gup_test']);
    expect(selftestsFor('CONFIG_DEBUG_FS=y\n# CONFIG_GUP_TEST is not set\n')).toEqual([]);
    expect(selftestsFor('CONFIG_GUP_TEST_X=y\n')).toEqual([]);
  });

  it('compiles from the tree with its installed uapi headers, as the mm selftest Makefile does', () => {
    const sources = sourcesIn(SELFTEST_PROGRAMS[0]!, () => true)!;
    const args = selftestGccArgs(sources, '/t/src', '/t/obj/usr/include', '/out/gup_test');
    expect(args).toEqual([
      '-Wall', '-O2', '-D_GNU_SOURCE=', '-U_FORTIFY_SOURCE', '-pthread',
      '-isystem', '/t/obj/usr/include',
      '-I', '/t/src',
      '-I', '/t/src/tools/testing/selftests',
      '-o', '/out/gup_test',
      '/t/src/tools/testing/selftests/mm/gup_test.c',
      '/t/src/tools/testing/selftests/mm/vm_util.c',
    ]);
  });

  it('takes the newest layout the tree has: selftests/mm (6.3+) first, else selftests/vm (6.1, 6.2)', () => {
    const gup = SELFTEST_PROGRAMS.find((p) => p.name === 'gup_test')!;
    const tree61 = new Set(['tools/testing/selftests/vm/gup_test.c', 'tools/testing/selftests/vm/util.h']);
    expect(sourcesIn(gup, (f) => tree61.has(f))).toEqual(['tools/testing/selftests/vm/gup_test.c']);
    const tree612 = new Set(['tools/testing/selftests/mm/gup_test.c', 'tools/testing/selftests/mm/vm_util.c']);
    expect(sourcesIn(gup, (f) => tree612.has(f))).toEqual([...tree612]);
    // An mm/ directory without vm_util.c is not a layout daxlab knows: the vm/ one is used if present.
    expect(sourcesIn(gup, (f) => f === 'tools/testing/selftests/mm/gup_test.c')).toBeNull();
  });

  it('skips, without running make, a program whose sources the tree lacks, and says why', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'daxlab-selftests-'));
    try {
      const said: string[] = [];
      const r = await buildSelftests(tree, join(tree, 'obj'), 'CONFIG_GUP_TEST=y\n', join(tree, 'out'), (m) => said.push(m));
      const why = 'none of tools/testing/selftests/mm/gup_test.c, tools/testing/selftests/vm/gup_test.c is in this tree';
      expect(r).toEqual({ built: [], skipped: [{ name: 'gup_test', why }] });
      expect(said).toEqual([`selftests: not building gup_test: ${why}`]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
