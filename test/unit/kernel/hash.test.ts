import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, shortKey } from '../../../src/kernel/hash.js';

describe('sha256', () => {
  it('is a 64-hex digest, deterministic', () => {
    expect(sha256('a', 'b')).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256('a', 'b')).toBe(sha256('a', 'b'));
  });

  it('separates parts: moving a boundary changes the hash', () => {
    expect(sha256('ab', 'c')).not.toBe(sha256('a', 'bc'));
    expect(sha256('abc')).not.toBe(sha256('ab', 'c'));
    expect(sha256('', 'a')).not.toBe(sha256('a', ''));
    expect(sha256('1:a')).not.toBe(sha256('a'));
  });

  it('is not the plain hash of the concatenation', () => {
    expect(sha256('abc')).not.toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('hashes a Buffer and the same string alike, multibyte included', () => {
    expect(sha256(Buffer.from('héllo'))).toBe(sha256('héllo'));
    expect(sha256('é', 'a')).not.toBe(sha256('éa'));
  });
});

describe('shortKey', () => {
  it('is the first 16 hex of sha256 of the same parts', () => {
    expect(shortKey('git', 'abc')).toBe(sha256('git', 'abc').slice(0, 16));
    expect(shortKey('git', 'abc')).toMatch(/^[0-9a-f]{16}$/);
    expect(shortKey('gi', 'tabc')).not.toBe(shortKey('git', 'abc'));
  });
});
