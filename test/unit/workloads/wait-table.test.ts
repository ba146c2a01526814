import { describe, expect, it } from 'vitest';
import { RACES } from '../../../src/workloads/pin-race-params.js';
import { unsupportedReason, WAIT_TABLE, waitRule } from '../../../src/workloads/wait-table.js';

describe('wait table', () => {
  it('has a cell for every filesystem and racing operation, each citing its kernel path', () => {
    for (const fs of ['ext4', 'xfs'] as const) {
      expect(Object.keys(WAIT_TABLE[fs]).sort()).toEqual([...RACES].sort());
      for (const race of RACES) {
        const e = waitRule(fs, race);
        expect(e.via, `${fs}/${race}`).toMatch(/\(fs\/|->/);
        expect(e.wholeFile).toBe(e.rule === 'waits');
      }
    }
  });

  it('says ext4 cannot clone or dedupe and everything else waits', () => {
    const rules = (fs: 'ext4' | 'xfs') => Object.fromEntries(RACES.map((r) => [r, waitRule(fs, r).rule]));
    expect(rules('ext4')).toEqual({
      truncate: 'waits', punch: 'waits', otrunc: 'waits', zero: 'waits', collapse: 'waits', insert: 'waits',
      clone: 'unsupported', dedupe: 'unsupported',
    });
    expect(Object.values(rules('xfs')).every((r) => r === 'waits')).toBe(true);
    expect(waitRule('ext4', 'truncate').via).toContain('ext4_setattr');
    expect(waitRule('xfs', 'collapse').via).toContain('xfs_file_fallocate');
    expect(waitRule('xfs', 'clone').via).toContain('xfs_ilock2_io_mmap');
    expect(waitRule('xfs', 'otrunc').via).toContain('handle_truncate');
  });

  it('names the ioctl in the skip reason', () => {
    expect(unsupportedReason('ext4', 'clone')).toBe('FICLONERANGE is not supported on ext4');
    expect(unsupportedReason('ext4', 'dedupe')).toBe('FIDEDUPERANGE is not supported on ext4');
  });
});
