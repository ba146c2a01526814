/* The operations pinrace races against a pinned DAX page, and the check of
 * the file's size and content afterwards. Header-only (static functions). */
#ifndef DAXLAB_RACERS_H
#define DAXLAB_RACERS_H

#include "daxlab-common.h"

#include <limits.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

enum race_kind {
	RACE_TRUNCATE, RACE_PUNCH, RACE_OTRUNC, RACE_ZERO,
	RACE_COLLAPSE, RACE_INSERT, RACE_CLONE, RACE_DEDUPE, RACE_SCRUB, RACE_UNSHARE, RACE_COUNT
};

static const char *const RACE_NAMES[RACE_COUNT] = {
	"truncate", "punch", "otrunc", "zero", "collapse", "insert", "clone", "dedupe", "scrub",
	"unshare",
};

/* xfs online check and repair (include/uapi xfs_fs.h is not in every userspace): the ioctl,
 * the data-fork mapping check and its repair flag, as fs/xfs/libxfs/xfs_fs.h defines them. */
struct daxlab_xfs_scrub_metadata {
	uint32_t sm_type, sm_flags;
	uint64_t sm_ino;
	uint32_t sm_gen, sm_agno;
	uint64_t sm_reserved[5];
};
#define DAXLAB_XFS_IOC_SCRUB_METADATA _IOWR('X', 60, struct daxlab_xfs_scrub_metadata)
#define DAXLAB_XFS_SCRUB_TYPE_BMBTD 12
#define DAXLAB_XFS_SCRUB_IFLAG_REPAIR (1u << 0)

/* One racing operation on the prepared file. */
struct racer {
	enum race_kind kind;
	const char *path;
	int fd;
	long pages, index;
	int srcfd;                  /* clone/dedupe/unshare: the second file */
	char srcpath[PATH_MAX];
	long dedupe_bytes;
	/* What the pinned page holds once the pin I/O is done (set by the caller). */
	unsigned char pin_content[DAXLAB_PAGE];
};

/* The race kind called s; returns -1 when there is none. */
static inline int race_parse(const char *s)
{
	return name_index(RACE_NAMES, RACE_COUNT, s);
}

/* True when the expected content depends on what the pin I/O left in the page. */
static inline int race_needs_pin_content(enum race_kind k)
{
	return k == RACE_COLLAPSE || k == RACE_INSERT || k == RACE_DEDUPE || k == RACE_SCRUB || k == RACE_UNSHARE;
}

/* Bytes removed by the collapse: the first half of the file, whole blocks. */
static inline long race_collapse_len(const struct racer *r)
{
	return r->pages / 2 * DAXLAB_PAGE;
}

/* The file size the operation must leave. */
static inline long race_expected_size(const struct racer *r)
{
	long size = r->pages * DAXLAB_PAGE;
	switch (r->kind) {
	case RACE_TRUNCATE:
	case RACE_OTRUNC: return 0;
	case RACE_COLLAPSE: return size - race_collapse_len(r);
	case RACE_INSERT: return size + DAXLAB_PAGE;
	default: return size;
	}
}

/* Byte at off of the file as it was just before the race. */
static inline unsigned char race_orig_at(const struct racer *r, long off)
{
	return off / DAXLAB_PAGE == r->index ? r->pin_content[off % DAXLAB_PAGE] : pattern_at(off);
}

/* The clone source's content: a pattern that differs from the file's everywhere. */
static inline unsigned char race_alt_at(long off)
{
	return (unsigned char)(pattern_at(off) ^ 0x5A);
}

/* The byte the operation must leave at off (off below the expected size). */
static inline unsigned char race_expected_at(const struct racer *r, long off)
{
	switch (r->kind) {
	case RACE_COLLAPSE: return race_orig_at(r, off + race_collapse_len(r));
	case RACE_INSERT: return off < DAXLAB_PAGE ? 0 : race_orig_at(r, off - DAXLAB_PAGE);
	case RACE_CLONE:
		return off / DAXLAB_PAGE == r->index ? race_alt_at(off) : pattern_at(off);
	case RACE_DEDUPE:
	case RACE_SCRUB:
	case RACE_UNSHARE: return race_orig_at(r, off);
	default: return 0; /* punch, zero */
	}
}

/* clone/dedupe: write the second file (alt pattern, or the same content); unshare: make it a
 * reflink copy of the whole file, so that every block of the file is shared (a filesystem
 * without reflink refuses that, and then refuses the unshare too). Exits 3 on failure. */
static inline void race_prepare(struct racer *r)
{
	r->srcfd = -1;
	if (r->kind != RACE_CLONE && r->kind != RACE_DEDUPE && r->kind != RACE_UNSHARE)
		return;
	if (snprintf(r->srcpath, sizeof r->srcpath, "%s.src", r->path) >= (int)sizeof r->srcpath)
		die_json(3, "path of the second file is too long", 0);
	r->srcfd = open(r->srcpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (r->srcfd < 0)
		die_json(3, "cannot create the second file", errno);
	if (r->kind == RACE_UNSHARE) {
		if (ioctl(r->srcfd, FICLONE, r->fd) != 0 && errno != EOPNOTSUPP && errno != EXDEV && errno != EINVAL)
			die_json(3, "FICLONE of the file into the second file failed", errno);
		return;
	}
	unsigned char buf[DAXLAB_PAGE];
	for (long p = 0; p < r->pages; p++) {
		for (long i = 0; i < DAXLAB_PAGE; i++) {
			long off = p * DAXLAB_PAGE + i;
			buf[i] = r->kind == RACE_CLONE ? race_alt_at(off) : race_orig_at(r, off);
		}
		if (pwrite(r->srcfd, buf, DAXLAB_PAGE, p * DAXLAB_PAGE) != DAXLAB_PAGE)
			die_json(3, "cannot write the second file", errno);
	}
	if (fsync(r->srcfd) != 0)
		die_json(3, "fsync of the second file failed", errno);
}

/* FIDEDUPERANGE of the pinned page from the second file; a DIFFERS status is EBADE. */
static inline int race_dedupe(struct racer *r)
{
	union {
		struct file_dedupe_range range;
		unsigned char bytes[sizeof(struct file_dedupe_range) + sizeof(struct file_dedupe_range_info)];
	} u;
	memset(&u, 0, sizeof u);
	u.range.src_offset = (uint64_t)(r->index * DAXLAB_PAGE);
	u.range.src_length = DAXLAB_PAGE;
	u.range.dest_count = 1;
	u.range.info[0].dest_fd = r->fd;
	u.range.info[0].dest_offset = (uint64_t)(r->index * DAXLAB_PAGE);
	if (ioctl(r->srcfd, FIDEDUPERANGE, &u.range) != 0)
		return -1;
	int status = u.range.info[0].status;
	r->dedupe_bytes = (long)u.range.info[0].bytes_deduped;
	if (status < 0 || status == FILE_DEDUPE_RANGE_DIFFERS) {
		errno = status < 0 ? -status : EBADE;
		return -1;
	}
	return 0;
}

/* Run the racing operation; 0, or -1 with errno set. */
static inline int race_run(struct racer *r)
{
	long size = r->pages * DAXLAB_PAGE;
	switch (r->kind) {
	case RACE_TRUNCATE: return ftruncate(r->fd, 0);
	case RACE_PUNCH:
		return fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, size);
	case RACE_OTRUNC: {
		int fd2 = open(r->path, O_WRONLY | O_TRUNC);
		if (fd2 < 0)
			return -1;
		close(fd2);
		return 0;
	}
	case RACE_ZERO: return fallocate(r->fd, FALLOC_FL_ZERO_RANGE, 0, size);
	case RACE_UNSHARE: return fallocate(r->fd, FALLOC_FL_UNSHARE_RANGE, 0, size);
	case RACE_COLLAPSE:
		return fallocate(r->fd, FALLOC_FL_COLLAPSE_RANGE, 0, race_collapse_len(r));
	case RACE_INSERT: return fallocate(r->fd, FALLOC_FL_INSERT_RANGE, 0, DAXLAB_PAGE);
	case RACE_CLONE: {
		struct file_clone_range a = {
			.src_fd = r->srcfd,
			.src_offset = (uint64_t)(r->index * DAXLAB_PAGE),
			.src_length = DAXLAB_PAGE,
			.dest_offset = (uint64_t)(r->index * DAXLAB_PAGE),
		};
		return ioctl(r->fd, FICLONERANGE, &a);
	}
	case RACE_DEDUPE: return race_dedupe(r);
	case RACE_SCRUB: {
		/* Check the data fork's mappings of this very file (sm_ino 0), asking for repair. */
		struct daxlab_xfs_scrub_metadata m = {
			.sm_type = DAXLAB_XFS_SCRUB_TYPE_BMBTD,
			.sm_flags = DAXLAB_XFS_SCRUB_IFLAG_REPAIR,
		};
		return ioctl(r->fd, DAXLAB_XFS_IOC_SCRUB_METADATA, &m);
	}
	default: errno = EINVAL; return -1;
	}
}

/* True when the file reads back as the operation must leave it (size aside). */
static inline int race_data_ok(const struct racer *r)
{
	if (r->kind == RACE_TRUNCATE || r->kind == RACE_OTRUNC)
		return 1;
	if (r->kind == RACE_DEDUPE && r->dedupe_bytes != DAXLAB_PAGE)
		return 0;
	unsigned char buf[DAXLAB_PAGE];
	long end = race_expected_size(r);
	for (long p = 0; p * DAXLAB_PAGE < end; p++) {
		if (pread(r->fd, buf, DAXLAB_PAGE, p * DAXLAB_PAGE) != DAXLAB_PAGE)
			return 0;
		for (long i = 0; i < DAXLAB_PAGE; i++)
			if (buf[i] != race_expected_at(r, p * DAXLAB_PAGE + i))
				return 0;
	}
	return 1;
}

/* Close and remove the second file, if any. */
static inline void race_cleanup(struct racer *r)
{
	if (r->srcfd >= 0) {
		close(r->srcfd);
		unlink(r->srcpath);
	}
}

#endif
