import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSelftests, selftestGccArgs, selftestsFor, SELFTEST_PROGRAMS } from '../../../src/kernel/selftests.js';

describe('selftests', () => {
  it('builds gup_test only when the final config has CONFIG_GUP_TEST=y', () => {
    expect(selftestsFor('CONFIG_DEBUG_FS=y\nCONFIG_GUP_TEST=y\n').map((p) => p.name)).toEqual(['gup_test']);
    expect(selftestsFor('CONFIG_DEBUG_FS=y\n# CONFIG_GUP_TEST is not set\n')).toEqual([]);
    expect(selftestsFor('CONFIG_GUP_TEST_X=y\n')).toEqual([]);
  });

  it('compiles from the tree with its installed uapi headers, as the mm selftest Makefile does', () => {
    const args = selftestGccArgs(SELFTEST_PROGRAMS[0]!, '/t/src', '/t/obj/usr/include', '/out/gup_test');
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

  it('skips, without running make, a program whose sources the tree lacks, and says why', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'daxlab-selftests-'));
    try {
      const said: string[] = [];
      const r = await buildSelftests(tree, join(tree, 'obj'), 'CONFIG_GUP_TEST=y\n', join(tree, 'out'), (m) => said.push(m));
      expect(r).toEqual({ built: [], skipped: [{ name: 'gup_test', why: 'tools/testing/selftests/mm/gup_test.c is not in this tree' }] });
      expect(said).toEqual(['selftests: not building gup_test: tools/testing/selftests/mm/gup_test.c is not in this tree']);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
