// Which racing operations must wait for a pinned DAX page, per filesystem, as read in the kernel
// source of each series daxlab runs: Debian's linux-source-6.12 (6.12.117/118) and
// linux-source-6.1 (6.1.192). The pin-race judge applies the timing oracle to 'waits' and skips
// 'unsupported'. The rules are the same in both series; the call chains differ (ext4_fallocate
// breaks layouts once before its mode dispatch in 6.12, in each mode's helper in 6.1), so each
// cell cites both. Kernels outside CHECKED_SERIES are judged by the same rules without that check.
// The virtiofs row (FUSE with DAX, fs/fuse/) was read in 6.12 only: its cells cite that series.
//
// Every 'waits' entry ends in dax_layout_busy_page(mapping), which is
// dax_layout_busy_page_range(mapping, 0, LLONG_MAX) (fs/dax.c, the same in 6.1 and 6.12): it
// scans the whole file, so the call waits even when the pinned page lies outside the range it
// changes (wholeFile: true), provided the file is still mapped (!mapping_mapped() returns at once:
// see the pin-munmap known issue). Both waits are ___wait_var_event(&page->_refcount, refcount
// == 1, TASK_INTERRUPTIBLE, ...): a signal ends them with -ERESTARTSYS (see pin-signal).
import type { FsName } from '../plan/types.js';
import type { RaceName } from './pin-race-params.js';

/** The kernel series whose source every cell was checked against. */
export const CHECKED_SERIES = ['6.1', '6.12'] as const;
/** One checked series. */
export type Series = (typeof CHECKED_SERIES)[number];

/**
 * 'waits': the call must not return before the pin is released; 'no-wait': it frees and moves no
 * block, so it need not wait, and is judged on data, size and the kernel log; 'unsupported': the
 * fs refuses it.
 */
export type WaitRule = 'waits' | 'no-wait' | 'unsupported';

/** One table cell: the rule, its scope, and the kernel path it was read from in each series. */
export interface WaitEntry {
  rule: WaitRule;
  /** True when a pin anywhere in the file is waited for, not only one in the changed range. */
  wholeFile: boolean;
  /** The 6.12 call chain that decides the rule. */
  via: string;
  /** The call chain per series whose source was read (via is the 6.12 one; virtiofs: 6.12 only). */
  chains: Partial<Record<Series, string>>;
}

// ext4_fallocate (fs/ext4/extents.c). 6.12 (Debian has the fallocate rework backported): one
// ext4_break_layouts under the invalidate lock before the mode dispatch. 6.1: each mode's helper
// takes the invalidate lock and breaks layouts itself, after inode_dio_wait.
const EXT4_FALLOCATE_612 =
  'ext4_fallocate (fs/ext4/extents.c) -> ext4_break_layouts (fs/ext4/inode.c) under the invalidate lock, before the mode dispatch';
const ext4Fallocate61 = (helper: string) =>
  `ext4_fallocate (fs/ext4/extents.c) -> ${helper} -> ext4_break_layouts (fs/ext4/inode.c) under the invalidate lock`;
const EXT4_SETATTR = 'ext4_setattr (fs/ext4/inode.c), ATTR_SIZE -> ext4_break_layouts';
const xfsFallocate = (breakIn: string) =>
  `xfs_file_fallocate (fs/xfs/xfs_file.c) -> xfs_break_layouts(BREAK_UNMAP) -> xfs_break_dax_layouts (${breakIn}), before the mode switch`;
const xfsSetattr = (breakIn: string) =>
  `xfs_vn_setattr (fs/xfs/xfs_iops.c), ATTR_SIZE -> xfs_break_layouts(BREAK_UNMAP) -> xfs_break_dax_layouts (${breakIn})`;
const xfsRemap = (breakIn: string) =>
  'xfs_file_remap_range -> xfs_reflink_remap_prep (fs/xfs/xfs_reflink.c) -> xfs_ilock2_io_mmap -> ' +
  `xfs_mmaplock_two_inodes_and_break_dax_layout (fs/xfs/xfs_inode.c): xfs_break_dax_layouts (${breakIn}) on the ` +
  'lower-numbered inode; the other is polled with dax_layout_busy_page and the locks retried (a busy ' +
  'retry, not a sleep, and not interruptible). Needs a reflink=1 filesystem, else EOPNOTSUPP';
const OTRUNC = 'handle_truncate (fs/namei.c) -> do_truncate -> notify_change -> ';
// xfs_break_dax_layouts moved from xfs_file.c (6.1) to xfs_inode.c (6.12).
const XFS_BREAK = { '6.1': 'fs/xfs/xfs_file.c', '6.12': 'fs/xfs/xfs_inode.c' } as const;

// XFS_IOC_SCRUB_METADATA -> xfs_scrub_metadata (fs/xfs/scrub/scrub.c) -> xchk_setup_inode_bmap
// (fs/xfs/scrub/bmap.c): with IFLAG_REPAIR it calls xfs_break_layouts(BREAK_WRITE), which breaks
// pNFS leases only (xfs_break_leased_layouts; BREAK_UNMAP alone reaches xfs_break_dax_layouts),
// then invalidate_inode_pages2(): clean DAX entries are dropped with trunc=false
// (__dax_invalidate_entry), which does not look at page references. A data-fork repair rebuilds
// the mapping btree over the same extents: no data block is freed or moved, so no pin is at risk.
const XFS_SCRUB =
  'XFS_IOC_SCRUB_METADATA -> xfs_scrub_metadata -> xchk_setup_inode_bmap (fs/xfs/scrub/bmap.c): ' +
  'xfs_break_layouts(BREAK_WRITE) breaks pNFS leases only, then invalidate_inode_pages2 drops clean DAX entries ' +
  '(__dax_invalidate_entry, trunc=false); a data-fork repair frees and moves no data block. Needs CONFIG_XFS_ONLINE_REPAIR';
const XFS_SCRUB_61 =
  'XFS_IOC_SCRUB_METADATA -> xfs_scrub_metadata -> xchk_setup_inode_bmap (fs/xfs/scrub/bmap.c): no layout break ' +
  'and no invalidation, only inode_dio_wait and a flush; 6.1 has no data-fork repair (no fs/xfs/scrub/bmap_repair.c)';
const SCRUB_EXT4 = 'XFS_IOC_SCRUB_METADATA -> ext4_ioctl (fs/ext4/ioctl.c): not an ext4 ioctl, -ENOTTY';

const waits = (chains: Partial<Record<Series, string>> & { '6.12': string }): WaitEntry => ({ rule: 'waits', wholeFile: true, via: chains['6.12'], chains });
const unsupported = (chain: string): WaitEntry => ({ rule: 'unsupported', wholeFile: false, via: chain, chains: { '6.1': chain, '6.12': chain } });
const only612 = (chain: string): WaitEntry => ({ rule: 'unsupported', wholeFile: false, via: chain, chains: { '6.12': chain } });
// fuse_dax_break_layouts(inode, 0, -1) (fs/fuse/dax.c): dax_layout_busy_page_range over the whole
// file, then ___wait_var_event(..., TASK_INTERRUPTIBLE, ...) with the invalidate lock dropped.
const FUSE_BREAK = 'fuse_dax_break_layouts(inode, 0, -1) (fs/fuse/dax.c) under the invalidate lock';
const FUSE_SETATTR = `fuse_setattr -> fuse_do_setattr (fs/fuse/dir.c), ATTR_SIZE on a DAX inode -> ${FUSE_BREAK}`;
const FUSE_FALLOCATE = `fuse_file_fallocate (fs/fuse/file.c), DAX inode and PUNCH_HOLE or ZERO_RANGE -> ${FUSE_BREAK}`;
const noWait = (chains: Record<Series, string>): WaitEntry => ({ rule: 'no-wait', wholeFile: false, via: chains['6.12'], chains });
const same = (chain: string): Record<Series, string> => ({ '6.1': chain, '6.12': chain });
const xfs = (chain: (breakIn: string) => string): Record<Series, string> => ({ '6.1': chain(XFS_BREAK['6.1']), '6.12': chain(XFS_BREAK['6.12']) });

/** Filesystem -> racing operation -> what the 6.1 and 6.12 kernels do with a pinned page. */
export const WAIT_TABLE: Record<FsName, Record<RaceName, WaitEntry>> = {
  ext4: {
    // ftruncate -> do_truncate -> notify_change -> ext4_setattr: any ATTR_SIZE change calls ext4_break_layouts.
    truncate: waits(same(EXT4_SETATTR)),
    // 6.12: before the dispatch; 6.1: ext4_punch_hole (fs/ext4/inode.c) breaks layouts.
    punch: waits({ '6.1': ext4Fallocate61('ext4_punch_hole (fs/ext4/inode.c)'), '6.12': EXT4_FALLOCATE_612 }),
    // open(O_TRUNC): do_open -> handle_truncate (fs/namei.c) -> do_truncate -> notify_change -> ext4_setattr.
    otrunc: waits(same(`${OTRUNC}${EXT4_SETATTR}`)),
    // 6.1: ext4_zero_range breaks layouts only when the range holds whole blocks (max_blocks > 0);
    // pin-race zeroes the whole, block-aligned file, so it always does.
    zero: waits({ '6.1': `${ext4Fallocate61('ext4_zero_range')}, only when the range holds whole blocks`, '6.12': EXT4_FALLOCATE_612 }),
    collapse: waits({ '6.1': ext4Fallocate61('ext4_collapse_range'), '6.12': EXT4_FALLOCATE_612 }),
    insert: waits({ '6.1': ext4Fallocate61('ext4_insert_range'), '6.12': EXT4_FALLOCATE_612 }),
    // ext4_file_operations has no .remap_file_range: do_clone_file_range (fs/remap_range.c) returns -EOPNOTSUPP.
    clone: unsupported('FICLONERANGE -> vfs_clone_file_range -> do_clone_file_range: no ->remap_file_range on ext4, -EOPNOTSUPP'),
    // vfs_dedupe_file_range (fs/remap_range.c) returns -EOPNOTSUPP when the source has no .remap_file_range.
    dedupe: unsupported('FIDEDUPERANGE -> vfs_dedupe_file_range: no ->remap_file_range on ext4, -EOPNOTSUPP'),
    scrub: unsupported(SCRUB_EXT4),
    // ext4_fallocate (fs/ext4/extents.c) refuses any mode beyond KEEP_SIZE, PUNCH_HOLE, COLLAPSE, ZERO and INSERT.
    unshare: unsupported('ext4_fallocate (fs/ext4/extents.c): FALLOC_FL_UNSHARE_RANGE is not among its modes, -EOPNOTSUPP'),
  },
  xfs: {
    // ftruncate -> do_truncate -> notify_change -> xfs_vn_setattr.
    truncate: waits(xfs(xfsSetattr)),
    // xfs_file_fallocate breaks layouts before xfs_free_file_space.
    punch: waits(xfs(xfsFallocate)),
    // open(O_TRUNC): handle_truncate -> do_truncate -> notify_change -> xfs_vn_setattr.
    otrunc: waits(xfs((b) => `${OTRUNC}${xfsSetattr(b)}`)),
    // xfs_file_fallocate breaks layouts before xfs_falloc_zero_range (6.12) / xfs_zero_file_space (6.1).
    zero: waits(xfs(xfsFallocate)),
    collapse: waits(xfs(xfsFallocate)),
    insert: waits(xfs(xfsFallocate)),
    // FICLONERANGE -> vfs_clone_file_range -> xfs_file_remap_range (fs/xfs/xfs_file.c).
    clone: waits(xfs(xfsRemap)),
    // FIDEDUPERANGE -> vfs_dedupe_file_range_one -> xfs_file_remap_range(REMAP_FILE_DEDUP).
    dedupe: waits(xfs(xfsRemap)),
    scrub: noWait({ '6.1': XFS_SCRUB_61, '6.12': XFS_SCRUB }),
    // xfs_falloc_unshare_range (6.12) / the UNSHARE branch (6.1) copies shared blocks to new ones
    // and remaps them: blocks of the file move, after the same layout break as every mode.
    unshare: waits(xfs(xfsFallocate)),
  },
  virtiofs: {
    // ftruncate -> do_truncate -> notify_change -> fuse_setattr.
    truncate: waits({ '6.12': FUSE_SETATTR }),
    punch: waits({ '6.12': FUSE_FALLOCATE }),
    // open(O_TRUNC): fuse_open (fs/fuse/file.c) breaks layouts itself when the server does atomic
    // O_TRUNC; otherwise handle_truncate -> do_truncate -> notify_change -> fuse_setattr does.
    otrunc: waits({ '6.12': `fuse_open (fs/fuse/file.c) with atomic_o_trunc -> ${FUSE_BREAK}; else ${OTRUNC}${FUSE_SETATTR}` }),
    zero: waits({ '6.12': FUSE_FALLOCATE }),
    // fuse_file_fallocate returns -EOPNOTSUPP for any mode beyond KEEP_SIZE, PUNCH_HOLE and ZERO_RANGE.
    collapse: only612('fuse_file_fallocate (fs/fuse/file.c): FALLOC_FL_COLLAPSE_RANGE is not passed on, -EOPNOTSUPP'),
    insert: only612('fuse_file_fallocate (fs/fuse/file.c): FALLOC_FL_INSERT_RANGE is not passed on, -EOPNOTSUPP'),
    // fuse_file_operations has no .remap_file_range (fs/fuse/file.c).
    clone: only612('FICLONERANGE -> vfs_clone_file_range -> do_clone_file_range: no ->remap_file_range in fuse_file_operations (fs/fuse/file.c), -EOPNOTSUPP'),
    dedupe: only612('FIDEDUPERANGE -> vfs_dedupe_file_range: no ->remap_file_range in fuse_file_operations (fs/fuse/file.c), -EOPNOTSUPP'),
    // An xfs ioctl: fuse passes it to the FUSE server, whose file system is not the guest's xfs.
    scrub: only612('XFS_IOC_SCRUB_METADATA -> fuse_file_ioctl (fs/fuse/ioctl.c): handed to the FUSE server, not an xfs online repair in the guest'),
    unshare: only612('fuse_file_fallocate (fs/fuse/file.c): FALLOC_FL_UNSHARE_RANGE is not passed on, -EOPNOTSUPP'),
  },
};

const IOCTL_NAMES: Partial<Record<RaceName, string>> = { clone: 'FICLONERANGE', dedupe: 'FIDEDUPERANGE', scrub: 'XFS_IOC_SCRUB_METADATA' };

/** The table cell for fs and race. */
export function waitRule(fs: FsName, race: RaceName): WaitEntry {
  return WAIT_TABLE[fs][race];
}

/** The skip reason for an unsupported cell, e.g. "FICLONERANGE is not supported on ext4". */
export function unsupportedReason(fs: FsName, race: RaceName): string {
  return `${IOCTL_NAMES[race] ?? race} is not supported on ${fs}`;
}
