/* The ioctl interface of daxlab_busy.ko (kmod/), shared by the module and the guest program busyrange.
 * One query asks the kernel under test which page of a DAX file it finds busy (elevated
 * references) in a byte range, through its own dax_layout_busy_page_range(), or over the whole
 * file through dax_layout_busy_page(). A locked query asks the same while the module holds the
 * DAX entry of one page locked, as a fault or writeback in progress does, and reports whether
 * the scan waited for the entry lock (it must: fs/dax.c get_unlocked_entry()). */
#ifndef DAXLAB_BUSY_H
#define DAXLAB_BUSY_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DAXLAB_BUSY_DEVICE "daxlab-busy"

struct daxlab_busy_query {
	__s32 fd;	/* in: an open fd of the file, in the calling process */
	__u32 whole;	/* in: 1 asks dax_layout_busy_page(mapping); start and end are ignored */
	__s64 start;	/* in: first byte of the range */
	__s64 end;	/* in: last byte of the range (inclusive, LLONG_MAX: to the end) */
	__u64 pfn;	/* out: pfn of the busy page the kernel returned, 0 when none */
	__s64 index;	/* out: that page's file index (page->index), -1 when none */
	__s32 found;	/* out: 1 when the kernel returned a busy page */
	__s32 mapped;	/* out: mapping_mapped() at the call (the scan is skipped when 0) */
};

#define DAXLAB_BUSY_QUERY _IOWR('D', 0x4c, struct daxlab_busy_query)

struct daxlab_busy_locked {
	struct daxlab_busy_query q;	/* the query, run by a kernel thread while the entry is locked */
	__s64 lock_index;	/* in: file index whose DAX entry is locked (a PMD entry: all of it) */
	__u32 hold_ms;		/* in: how long the entry stays locked before it is unlocked */
	__s32 entry_locked;	/* out: 1 when an entry was there to lock (0: none, nothing asked) */
	__s32 early;		/* out: 1 when the query returned while the entry was still locked */
	__s32 asleep;		/* out: 1 when the query was seen asleep (uninterruptible) at hold_ms */
	__s64 wait_ms;		/* out: how long after the unlock the query returned */
};

#define DAXLAB_BUSY_LOCKED _IOWR('D', 0x4d, struct daxlab_busy_locked)

#endif
