import { describe, expect, it } from 'vitest';
import { selftestGccArgs, selftestsFor, SELFTEST_PROGRAMS } from '../../../src/kernel/selftests.js';

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
});
