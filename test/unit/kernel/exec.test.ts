import { describe, expect, it } from 'vitest';
import { tail } from '../../../src/kernel/exec.js';

describe('tail', () => {
  it('returns the last n non-blank lines', () => {
    expect(tail('a\n\nb\n  \nc\nd\n', 2)).toEqual(['c', 'd']);
    expect(tail('a\nb', 5)).toEqual(['a', 'b']);
    expect(tail('', 3)).toEqual([]);
  });
});
