import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withPrivateFile } from '../../../src/kernel/private-file.js';

describe('withPrivateFile', () => {
  it('hands out a 0600 file in a fresh 0700 directory and removes both, also when the user fails', async () => {
    let seen = '';
    const r = await withPrivateFile('working.diff', Buffer.from('diff'), async (path) => {
      seen = path;
      expect(readFileSync(path, 'utf8')).toBe('diff');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
      return 7;
    });
    expect(r).toBe(7);
    expect(existsSync(dirname(seen))).toBe(false);
    let second = '';
    await expect(withPrivateFile('x', Buffer.alloc(0), async (path) => {
      second = path;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(second).not.toBe(seen);
    expect(existsSync(dirname(second))).toBe(false);
  });
});
