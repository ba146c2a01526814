import { describe, expect, it } from 'vitest';
import { badTaint, describeTaint, newBadTaint, taintLetters } from '../../../src/results/taint.js';

describe('taint', () => {
  it('decodes the bits as the kernel names them', () => {
    expect(describeTaint(0)).toBe('none');
    expect(describeTaint((1 << 9) | (1 << 5))).toBe('B (bad page referenced or unexpected page flags), W (kernel issued a warning)');
    expect(taintLetters((1 << 7) | (1 << 9) | (1 << 14))).toBe('DWL');
    expect(describeTaint(1 << 30)).toBe('unknown bits 0x40000000');
  });

  it('leaves out what daxlab causes (O, E, N) and what was set before', () => {
    expect(badTaint((1 << 12) | (1 << 13) | (1 << 18))).toBe(0);
    expect(newBadTaint(1 << 9, (1 << 9) | (1 << 7))).toBe(1 << 7);
    expect(newBadTaint(-1, 1 << 9)).toBe(1 << 9);
    expect(badTaint(-1)).toBe(0);
  });
});
