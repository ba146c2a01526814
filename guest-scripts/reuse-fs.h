/* Helpers for pinreuse: make freed blocks get reused. Filling the filesystem
 * (with fallocate, so no data is written) leaves the blocks of the truncated
 * file as nearly the only free space, so the next file's allocation lands on
 * them. The filesystem's hidden reserves (ext4 reserved_clusters, the xfs
 * reserve pool) are zeroed for the duration so the fill leaves no spare room.
 * Also: the physical address of a file offset (FIEMAP). Header-only. */
#ifndef DAXLAB_REUSE_FS_H
#define DAXLAB_REUSE_FS_H

#include "daxlab-common.h"

#include <libgen.h>
#include <limits.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

/* From fs/xfs/libxfs/xfs_fs.h (6.12); xfslibs-dev is not needed. */
struct daxlab_xfs_resblks {
	uint64_t resblks;
	uint64_t resblks_avail;
};
#define DAXLAB_XFS_IOC_SET_RESBLKS _IOWR('X', 114, struct daxlab_xfs_resblks)
#define DAXLAB_XFS_IOC_GET_RESBLKS _IOR('X', 115, struct daxlab_xfs_resblks)
#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

/* The reserve that was zeroed, to put back at exit. */
struct fs_reserve {
	int kind; /* 0 none, 1 ext4 sysfs, 2 xfs ioctl */
	char sysfs[PATH_MAX];
	int fd;
	unsigned long long saved;
};

/* Zero the filesystem's reserve for the file fd/path; remembers the old value in r. */
static inline void reserve_zero(struct fs_reserve *r, int fd, const char *path)
{
	struct statfs sf;
	struct stat st;
	r->kind = 0;
	r->fd = -1;
	if (fstatfs(fd, &sf) != 0 || fstat(fd, &st) != 0)
		return;
	if (sf.f_type == EXT4_SUPER_MAGIC) {
		char link[PATH_MAX], target[PATH_MAX];
		snprintf(link, sizeof link, "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
		ssize_t n = readlink(link, target, sizeof target - 1);
		if (n <= 0)
			return;
		target[n] = 0;
		snprintf(r->sysfs, sizeof r->sysfs, "/sys/fs/ext4/%s/reserved_clusters", basename(target));
		FILE *f = fopen(r->sysfs, "r");
		if (!f || fscanf(f, "%llu", &r->saved) != 1) {
			if (f)
				fclose(f);
			return;
		}
		fclose(f);
		f = fopen(r->sysfs, "w");
		if (f && fputs("0\n", f) >= 0 && fclose(f) == 0)
			r->kind = 1;
	} else if (sf.f_type == XFS_SUPER_MAGIC) {
		struct daxlab_xfs_resblks rb = { 0 };
		if (ioctl(fd, DAXLAB_XFS_IOC_GET_RESBLKS, &rb) != 0)
			return;
		r->saved = rb.resblks;
		r->fd = open(path, O_RDONLY);
		rb.resblks = 0;
		if (r->fd >= 0 && ioctl(r->fd, DAXLAB_XFS_IOC_SET_RESBLKS, &rb) == 0)
			r->kind = 2;
	}
}

/* Put the reserve back (idempotent). */
static inline void reserve_restore(struct fs_reserve *r)
{
	if (r->kind == 1) {
		FILE *f = fopen(r->sysfs, "w");
		if (f) {
			fprintf(f, "%llu\n", r->saved);
			fclose(f);
		}
	} else if (r->kind == 2) {
		struct daxlab_xfs_resblks rb = { .resblks = r->saved };
		ioctl(r->fd, DAXLAB_XFS_IOC_SET_RESBLKS, &rb);
		close(r->fd);
	}
	r->kind = 0;
}

/* Free blocks of the filesystem holding fd (statvfs f_bfree), or -1. */
static inline long long fs_free_blocks(int fd)
{
	struct statvfs sv;
	return fstatvfs(fd, &sv) == 0 ? (long long)sv.f_bfree : -1;
}

/* fallocate space to fd until at most margin blocks stay free or limit bytes
 * are taken; returns the bytes allocated, or -1 with errno on an error other
 * than ENOSPC. */
static inline long long fill_fs(int fd, long long margin, long long limit)
{
	struct statvfs sv;
	if (fstatvfs(fd, &sv) != 0)
		return -1;
	long long bs = (long long)sv.f_frsize, off = 0;
	long long chunk = ((long long)sv.f_bfree - margin) * bs;
	while (chunk >= bs) {
		long long avail = fs_free_blocks(fd);
		if (avail < 0)
			return -1;
		if (avail <= margin)
			break;
		long long len = (avail - margin) * bs;
		if (len > chunk)
			len = chunk;
		if (len > limit - off)
			len = (limit - off) / bs * bs;
		if (len < bs)
			break;
		if (fallocate(fd, 0, off, len) == 0)
			off += len;
		else if (errno == ENOSPC)
			chunk = chunk / 2 / bs * bs;
		else
			return -1;
	}
	return off;
}

/* The physical byte address behind offset off of fd (FIEMAP), or -1. */
static inline long long phys_of(int fd, long long off)
{
	union {
		struct fiemap fm;
		unsigned char bytes[sizeof(struct fiemap) + sizeof(struct fiemap_extent)];
	} u;
	memset(&u, 0, sizeof u);
	u.fm.fm_start = (uint64_t)off;
	u.fm.fm_length = DAXLAB_PAGE;
	u.fm.fm_flags = FIEMAP_FLAG_SYNC;
	u.fm.fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, &u.fm) != 0 || u.fm.fm_mapped_extents < 1)
		return -1;
	const struct fiemap_extent *e = &u.fm.fm_extents[0];
	if ((uint64_t)off < e->fe_logical || (uint64_t)off >= e->fe_logical + e->fe_length)
		return -1;
	return (long long)(e->fe_physical + ((uint64_t)off - e->fe_logical));
}

#endif
