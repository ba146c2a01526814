import { describe, expect, it } from 'vitest';
import { extractPanic } from '../../../src/run/panic.js';

describe('extractPanic', () => {
  it('returns null for a clean console', () => {
    expect(extractPanic(['[    0.1] Linux version 6.12', 'DAXLAB-READY'])).toBeNull();
  });

  it('returns the crash block from the first crash line', () => {
    const lines = ['boot', '[ 9.1] BUG: unable to handle page fault for address: 0000', '[ 9.1] #PF: supervisor read', 'x'];
    expect(extractPanic(lines)).toBe(lines.slice(1).join('\n'));
  });
});
