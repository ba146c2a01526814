/* The ioctl interface of daxlab_busy.ko (kmod/), shared by the module and the guest program busyrange.
 * One query asks the kernel under test which page of a DAX file it finds busy (elevated
 * references) in a byte range, through its own dax_layout_busy_page_range(), or over the whole
 * file through dax_layout_busy_page(). */
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

#endif
