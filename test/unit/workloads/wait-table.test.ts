import { describe, expect, it } from 'vitest';
import { RACES } from '../../../src/workloads/pin-race-params.js';
import { CHECKED_SERIES, unsupportedReason, WAIT_TABLE, waitRule } from '../../../src/workloads/wait-table.js';

describe('wait table', () => {
  it('has a cell for every filesystem and racing operation, each citing its kernel path', () => {
    for (const fs of ['ext4', 'xfs'] as const) {
      expect(Object.keys(WAIT_TABLE[fs]).sort()).toEqual([...RACES].sort());
      for (const race of RACES) {
        const e = waitRule(fs, race);
        expect(e.via, `${fs}/${race}`).toMatch(/\(fs\/|->/);
        expect(e.wholeFile).toBe(e.rule === 'waits');
        expect(Object.keys(e.chains)).toEqual([...CHECKED_SERIES]);
        expect(e.chains['6.12']).toBe(e.via);
        for (const s of CHECKED_SERIES) expect(e.chains[s], `${fs}/${race} on ${s}`).toMatch(/\(fs\/|->/);
      }
    }
  });

  it('virtiofs: read in 6.12 only; truncate, punch, O_TRUNC and zero wait in fuse_dax_break_layouts, the rest is refused', () => {
    expect(Object.keys(WAIT_TABLE.virtiofs).sort()).toEqual([...RACES].sort());
    const rules = Object.fromEntries(RACES.map((r) => [r, waitRule('virtiofs', r).rule]));
    expect(rules).toEqual({
      truncate: 'waits', punch: 'waits', otrunc: 'waits', zero: 'waits',
      collapse: 'unsupported', insert: 'unsupported', clone: 'unsupported', dedupe: 'unsupported', scrub: 'unsupported', unshare: 'unsupported', unshare: 'unsupported',
    });
    for (const race of RACES) {
      const e = waitRule('virtiofs', race);
      expect(Object.keys(e.chains), race).toEqual(['6.12']);
      expect(e.chains['6.12']).toBe(e.via);
      expect(e.via, race).toMatch(/\(fs\/fuse\//);
      expect(e.wholeFile).toBe(e.rule === 'waits');
      if (e.rule === 'waits') expect(e.via, race).toContain('fuse_dax_break_layouts(inode, 0, -1)');
    }
    expect(unsupportedReason('virtiofs', 'clone')).toBe('FICLONERANGE is not supported on virtiofs');
  });

  it('says ext4 cannot clone, dedupe, scrub or unshare, xfs scrub need not wait, and everything else waits', () => {
    const rules = (fs: 'ext4' | 'xfs') => Object.fromEntries(RACES.map((r) => [r, waitRule(fs, r).rule]));
    expect(rules('ext4')).toEqual({
      truncate: 'waits', punch: 'waits', otrunc: 'waits', zero: 'waits', collapse: 'waits', insert: 'waits',
      clone: 'unsupported', dedupe: 'unsupported', scrub: 'unsupported', unshare: 'unsupported',
    });
    expect(Object.entries(rules('xfs')).every(([race, r]) => r === (race === 'scrub' ? 'no-wait' : 'waits'))).toBe(true);
    // Online repair breaks pNFS leases only (BREAK_WRITE); 6.1 breaks nothing there at all.
    expect(waitRule('xfs', 'scrub').via).toMatch(/BREAK_WRITE\) breaks pNFS leases only/);
    expect(waitRule('xfs', 'scrub').chains['6.1']).toMatch(/no layout break/);
    expect(waitRule('ext4', 'truncate').via).toContain('ext4_setattr');
    expect(waitRule('xfs', 'collapse').via).toContain('xfs_file_fallocate');
    expect(waitRule('xfs', 'clone').via).toContain('xfs_ilock2_io_mmap');
    expect(waitRule('xfs', 'otrunc').via).toContain('handle_truncate');
    expect(waitRule('xfs', 'unshare').via).toContain('xfs_file_fallocate');
  });

  it('cites where 6.1 differs: ext4 fallocate breaks layouts in each mode helper, xfs_break_dax_layouts lives in xfs_file.c', () => {
    expect(waitRule('ext4', 'punch').chains['6.1']).toContain('ext4_punch_hole');
    expect(waitRule('ext4', 'collapse').chains['6.1']).toContain('ext4_collapse_range');
    expect(waitRule('ext4', 'insert').chains['6.1']).toContain('ext4_insert_range');
    expect(waitRule('ext4', 'zero').chains['6.1']).toMatch(/ext4_zero_range .*whole blocks/);
    expect(waitRule('ext4', 'punch').chains['6.12']).toContain('before the mode dispatch');
    expect(waitRule('xfs', 'truncate').chains['6.1']).toContain('xfs_break_dax_layouts (fs/xfs/xfs_file.c)');
    expect(waitRule('xfs', 'truncate').chains['6.12']).toContain('xfs_break_dax_layouts (fs/xfs/xfs_inode.c)');
    expect(waitRule('ext4', 'truncate').chains['6.1']).toBe(waitRule('ext4', 'truncate').chains['6.12']);
  });

  it('names the ioctl in the skip reason', () => {
    expect(unsupportedReason('ext4', 'clone')).toBe('FICLONERANGE is not supported on ext4');
    expect(unsupportedReason('ext4', 'dedupe')).toBe('FIDEDUPERANGE is not supported on ext4');
    expect(unsupportedReason('ext4', 'scrub')).toBe('XFS_IOC_SCRUB_METADATA is not supported on ext4');
  });
});
