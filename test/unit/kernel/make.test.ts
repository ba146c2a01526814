import { describe, expect, it } from 'vitest';
import { buildErrorLines, progressOf } from '../../../src/kernel/make.js';

// The tail of a failed kbuild run (GCC 12, make -j2).
const FAILED_LOG = `  CC      fs/inode.o
  CC      fs/dax.o
  CC      lib/error-inject.o
fs/dax.c: In function 'dax_iomap_pte_fault':
fs/dax.c:1712:9: error: 'entry' undeclared (first use in this function)
 1712 |         entry = grab_mapping_entry(&xas, mapping, 0);
      |         ^~~~~
fs/dax.c:1712:9: note: each undeclared identifier is reported only once for each function it appears in
fs/dax.c:1700:13: warning: unused variable 'x' [-Wunused-variable]
make[3]: *** [scripts/Makefile.build:229: fs/dax.o] Error 1
make[2]: *** [scripts/Makefile.build:478: fs] Error 2
  LD      vmlinux.o
ld: vmlinux.o: in function \`foo': undefined reference to \`bar'
make[1]: *** [/src/Makefile:1936: .] Error 2
make: *** [Makefile:224: __sub-make] Error 2
`;

describe('buildErrorLines', () => {
  it('keeps compiler errors, make *** lines and link errors, not progress or warnings', () => {
    expect(buildErrorLines(FAILED_LOG)).toEqual([
      "fs/dax.c:1712:9: error: 'entry' undeclared (first use in this function)",
      'make[3]: *** [scripts/Makefile.build:229: fs/dax.o] Error 1',
      'make[2]: *** [scripts/Makefile.build:478: fs] Error 2',
      "ld: vmlinux.o: in function `foo': undefined reference to `bar'",
      'make[1]: *** [/src/Makefile:1936: .] Error 2',
      'make: *** [Makefile:224: __sub-make] Error 2',
    ]);
  });

  it('caps the number of lines', () => {
    const log = Array.from({ length: 50 }, (_, i) => `f.c:${i}:1: error: bad`).join('\n');
    expect(buildErrorLines(log)).toHaveLength(20);
    expect(buildErrorLines(log, 3)).toEqual(['f.c:0:1: error: bad', 'f.c:1:1: error: bad', 'f.c:2:1: error: bad']);
  });

  it('returns nothing for a clean log', () => {
    expect(buildErrorLines('  CC      fs/dax.o\n  LD      vmlinux\nKernel: arch/x86/boot/bzImage is ready  (#1)\n')).toEqual([]);
  });
});

describe('progressOf', () => {
  it('labels kbuild quiet lines', () => {
    expect(progressOf('  CC      fs/dax.o')).toBe('CC fs/dax.o');
    expect(progressOf('  HOSTCC  scripts/basic/fixdep')).toBe('HOSTCC scripts/basic/fixdep');
    expect(progressOf('  LD      vmlinux.o')).toBe('LD vmlinux.o');
    expect(progressOf('  SYSHDR  arch/x86/include/generated/uapi/asm/unistd_64.h')).toBe(
      'SYSHDR arch/x86/include/generated/uapi/asm/unistd_64.h',
    );
  });

  it('ignores everything else', () => {
    expect(progressOf("fs/dax.c:1:1: error: x")).toBeNull();
    expect(progressOf('make[1]: Entering directory')).toBeNull();
    expect(progressOf('Kernel: arch/x86/boot/bzImage is ready  (#1)')).toBeNull();
    expect(progressOf('')).toBeNull();
  });
});
