import { describe, expect, it } from 'vitest';
import { crashHeadline, extractPanic, PANIC_RE } from '../../../src/vm/crash.js';

describe('extractPanic', () => {
  it('returns null for a clean console', () => {
    expect(extractPanic(['[    0.1] Linux version 6.12', 'DAXLAB-READY'])).toBeNull();
  });

  it('returns the crash block from the first crash line', () => {
    const lines = ['boot', '[ 9.1] BUG: unable to handle page fault for address: 0000', '[ 9.1] #PF: supervisor read', 'x'];
    expect(extractPanic(lines)).toBe(lines.slice(1).join('\n'));
  });
});

describe('crashHeadline', () => {
  it('names the first panic, Oops or BUG line and ignores DEBUG and clean lines', () => {
    expect(crashHeadline(['[ 0.1] CONFIG_DEBUG_VM on', '[ 9.1] kernel BUG at fs/dax.c:1', '[ 9.2] Oops: 0000'])).toBe('[ 9.1] kernel BUG at fs/dax.c:1');
    expect(crashHeadline(['sysrq: Trigger a crash', 'Kernel panic - not syncing: sysrq triggered crash'])).toBe('Kernel panic - not syncing: sysrq triggered crash');
    expect(crashHeadline(['[ 1.0] DEBUG message', 'ready'])).toBeUndefined();
  });

  it('PANIC_RE matches the panic line only', () => {
    expect(PANIC_RE.test('Kernel panic - not syncing: Fatal exception')).toBe(true);
    expect(PANIC_RE.test('Oops: 0000 [#1]')).toBe(false);
  });
});
