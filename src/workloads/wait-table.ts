// Which racing operations must wait for a pinned DAX page, per filesystem, as
// read in the 6.12 source (linux-source-6.12, 6.12.117). The pin-race judge
// applies the timing oracle to 'waits' and skips 'unsupported'.
//
// Every 'waits' entry ends in dax_layout_busy_page(mapping), which is
// dax_layout_busy_page_range(mapping, 0, LLONG_MAX) (fs/dax.c): it scans the
// whole file, so the call waits even when the pinned page lies outside the
// range it changes (wholeFile: true). Both waits are ___wait_var_event(...,
// TASK_INTERRUPTIBLE, ...): a signal ends them with -ERESTARTSYS (see pin-signal).
import type { FsName } from '../plan/types.js';
import type { RaceName } from './pin-race-params.js';

/** 'waits': the call must not return before the pin is released; 'unsupported': the fs refuses it. */
export type WaitRule = 'waits' | 'unsupported';

/** One table cell: the rule, its scope, and the kernel path it was read from. */
export interface WaitEntry {
  rule: WaitRule;
  /** True when a pin anywhere in the file is waited for, not only one in the changed range. */
  wholeFile: boolean;
  /** The 6.12 call chain that decides the rule. */
  via: string;
}

const EXT4_FALLOCATE =
  'ext4_fallocate (fs/ext4/extents.c) -> ext4_break_layouts (fs/ext4/inode.c) under the invalidate lock, before the mode dispatch';
const XFS_FALLOCATE =
  'xfs_file_fallocate (fs/xfs/xfs_file.c) -> xfs_break_layouts(BREAK_UNMAP) -> xfs_break_dax_layouts (fs/xfs/xfs_inode.c), before the mode switch';
const XFS_SETATTR =
  'xfs_vn_setattr (fs/xfs/xfs_iops.c), ATTR_SIZE -> xfs_break_layouts(BREAK_UNMAP) -> xfs_break_dax_layouts';
const XFS_REMAP =
  'xfs_file_remap_range -> xfs_reflink_remap_prep (fs/xfs/xfs_reflink.c) -> xfs_ilock2_io_mmap -> ' +
  'xfs_mmaplock_two_inodes_and_break_dax_layout (fs/xfs/xfs_inode.c): xfs_break_dax_layouts on the ' +
  'lower-numbered inode; the other is polled with dax_layout_busy_page and the locks retried (a busy ' +
  'retry, not a sleep, and not interruptible). Needs a reflink=1 filesystem, else EOPNOTSUPP';

const waits = (via: string): WaitEntry => ({ rule: 'waits', wholeFile: true, via });
const unsupported = (via: string): WaitEntry => ({ rule: 'unsupported', wholeFile: false, via });

/** Filesystem -> racing operation -> what the 6.12 kernel does with a pinned page. */
export const WAIT_TABLE: Record<FsName, Record<RaceName, WaitEntry>> = {
  ext4: {
    // ftruncate -> do_truncate -> notify_change -> ext4_setattr: any ATTR_SIZE change calls ext4_break_layouts.
    truncate: waits('ext4_setattr (fs/ext4/inode.c), ATTR_SIZE -> ext4_break_layouts'),
    // ext4_fallocate breaks layouts before calling ext4_punch_hole.
    punch: waits(EXT4_FALLOCATE),
    // open(O_TRUNC): do_open -> handle_truncate (fs/namei.c) -> do_truncate -> notify_change -> ext4_setattr.
    otrunc: waits('handle_truncate (fs/namei.c) -> do_truncate -> notify_change -> ext4_setattr -> ext4_break_layouts'),
    // ext4_fallocate breaks layouts before calling ext4_zero_range.
    zero: waits(EXT4_FALLOCATE),
    // ext4_fallocate breaks layouts before calling ext4_collapse_range.
    collapse: waits(EXT4_FALLOCATE),
    // ext4_fallocate breaks layouts before calling ext4_insert_range.
    insert: waits(EXT4_FALLOCATE),
    // ext4_file_operations has no .remap_file_range: do_clone_file_range (fs/remap_range.c) returns -EOPNOTSUPP.
    clone: unsupported('FICLONERANGE -> vfs_clone_file_range -> do_clone_file_range: no ->remap_file_range on ext4, -EOPNOTSUPP'),
    // vfs_dedupe_file_range (fs/remap_range.c) returns -EOPNOTSUPP when the source has no .remap_file_range.
    dedupe: unsupported('FIDEDUPERANGE -> vfs_dedupe_file_range: no ->remap_file_range on ext4, -EOPNOTSUPP'),
  },
  xfs: {
    // ftruncate -> do_truncate -> notify_change -> xfs_vn_setattr.
    truncate: waits(XFS_SETATTR),
    // xfs_file_fallocate breaks layouts before xfs_free_file_space.
    punch: waits(XFS_FALLOCATE),
    // open(O_TRUNC): handle_truncate -> do_truncate -> notify_change -> xfs_vn_setattr.
    otrunc: waits(`handle_truncate (fs/namei.c) -> do_truncate -> notify_change -> ${XFS_SETATTR}`),
    // xfs_file_fallocate breaks layouts before xfs_falloc_zero_range.
    zero: waits(XFS_FALLOCATE),
    // xfs_file_fallocate breaks layouts before xfs_falloc_collapse_range.
    collapse: waits(XFS_FALLOCATE),
    // xfs_file_fallocate breaks layouts before xfs_falloc_insert_range.
    insert: waits(XFS_FALLOCATE),
    // FICLONERANGE -> vfs_clone_file_range -> xfs_file_remap_range (fs/xfs/xfs_file.c).
    clone: waits(XFS_REMAP),
    // FIDEDUPERANGE -> vfs_dedupe_file_range_one -> xfs_file_remap_range(REMAP_FILE_DEDUP).
    dedupe: waits(XFS_REMAP),
  },
};

const IOCTL_NAMES: Partial<Record<RaceName, string>> = { clone: 'FICLONERANGE', dedupe: 'FIDEDUPERANGE' };

/** The table cell for fs and race. */
export function waitRule(fs: FsName, race: RaceName): WaitEntry {
  return WAIT_TABLE[fs][race];
}

/** The skip reason for an unsupported cell, e.g. "FICLONERANGE is not supported on ext4". */
export function unsupportedReason(fs: FsName, race: RaceName): string {
  return `${IOCTL_NAMES[race] ?? race} is not supported on ${fs}`;
}
