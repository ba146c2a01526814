/* Helpers shared by the daxlab guest programs: clocks, JSON strings, argument
 * checks, threads, and preparing a mapped, fully populated file on a DAX filesystem.
 * Header-only (static functions) so each .c compiles on its own. */
#ifndef DAXLAB_COMMON_H
#define DAXLAB_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define DAXLAB_PAGE 4096L

/* CLOCK_MONOTONIC in nanoseconds. */
static inline int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleep ms milliseconds, resuming after signal handlers. */
static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Print s as a JSON string literal (with quotes) to f. */
static inline void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Print {"error":msg,"errno":e} as the one JSON line and exit with code. */
static inline void die_json(int code, const char *msg, int err)
{
	fputs("{\"error\":", stdout);
	json_str(stdout, msg);
	printf(",\"errno\":%d}\n", err);
	fflush(stdout);
	exit(code);
}

/* Parse a non-negative decimal integer; returns -1 when s is not one. */
static inline long parse_count(const char *s)
{
	char *end;
	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	return v;
}

/* statx() the path; returns 1 when STATX_ATTR_DAX is set, 0 when not, -1 on error. */
static inline int statx_dax(const char *path, uint64_t *attrs, uint64_t *mask)
{
	struct statx stx;
	if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &stx) != 0)
		return -1;
	if (attrs)
		*attrs = stx.stx_attributes;
	if (mask)
		*mask = stx.stx_attributes_mask;
	return (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0;
}

/* Exit 3 with the "file is not DAX" line unless path is on DAX (host smoke
 * tests define DAXLAB_ALLOW_NON_DAX); returns statx_dax(path). */
static inline int require_dax(const char *path)
{
	int dax = statx_dax(path, NULL, NULL);
#ifndef DAXLAB_ALLOW_NON_DAX /* defined only by daxlab's host smoke test */
	if (dax != 1) {
		puts("{\"error\":\"file is not DAX\",\"dax\":false}");
		exit(3);
	}
#endif
	return dax;
}

/* The usage error for --pages (1 to 65536) and --index (below --pages), or NULL. */
static inline const char *pages_index_error(long pages, long index)
{
	if (pages < 1 || pages > 65536)
		return "--pages must be an integer from 1 to 65536";
	if (index < 0 || index >= pages)
		return "--index must be an integer below --pages";
	return NULL;
}

/* The options the pinning programs share (--file, --pages, --index, --dev, --lead-ms). */
struct pin_args {
	const char *file, *dev;
	long pages, index, lead_ms;
};

/* The struct option entries of the pin_args options, for a getopt_long table. */
#define PIN_ARG_OPTIONS \
	{ "file", required_argument, 0, 'f' }, { "pages", required_argument, 0, 'n' }, \
	{ "index", required_argument, 0, 'i' }, { "dev", required_argument, 0, 'd' }, \
	{ "lead-ms", required_argument, 0, 'l' }

/* Store getopt_long's result c (with optarg) in a; returns 0 when c is no pin_args option. */
static inline int pin_arg(struct pin_args *a, int c)
{
	switch (c) {
	case 'f': a->file = optarg; return 1;
	case 'n': a->pages = parse_count(optarg); return 1;
	case 'i': a->index = parse_count(optarg); return 1;
	case 'd': a->dev = optarg; return 1;
	case 'l': a->lead_ms = parse_count(optarg); return 1;
	default: return 0;
	}
}

/* The first problem with a's file size, page index and lead time, or NULL when they are valid. */
static inline const char *pin_args_error(const struct pin_args *a)
{
	const char *e = pages_index_error(a->pages, a->index);
	if (e)
		return e;
	if (a->lead_ms < 0 || a->lead_ms > 60000)
		return "--lead-ms must be an integer from 0 to 60000";
	return NULL;
}

/* The index of s in names[0..count), or -1 when it is none of them. */
static inline int name_index(const char *const *names, int count, const char *s)
{
	for (int k = 0; k < count; k++)
		if (!strcmp(s, names[k]))
			return k;
	return -1;
}

/* One private anonymous read-write page; exits 3 on failure. */
static inline void *anon_page(void)
{
	void *p = mmap(NULL, DAXLAB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die_json(3, "anonymous mmap failed", errno);
	return p;
}

/* Run fn(arg) in a new thread; exits 3, naming what, when it cannot be created. */
static inline void start_thread(pthread_t *th, void *(*fn)(void *), void *arg, const char *what)
{
	int e = pthread_create(th, NULL, fn, arg);
	if (e)
		die_json(3, what, e);
}

/* Run fn(arg) in a new thread, wait until it posts announced, then sleep ms
 * milliseconds; exits 3 when the thread cannot be created. */
static inline void start_and_wait(pthread_t *th, void *(*fn)(void *), void *arg, sem_t *announced, long ms)
{
	start_thread(th, fn, arg, "pthread_create failed");
	while (sem_wait(announced) != 0 && errno == EINTR)
		;
	sleep_ms(ms);
}

/* Pattern byte for offset off of the prepared file. */
static inline unsigned char pattern_at(long off)
{
	return (unsigned char)(0xA5 ^ (off / DAXLAB_PAGE) ^ (off % 251));
}

/* Page faults taken by prepare_file's touch of the mapping: about 2 per 4 KiB page when
 * the file is mapped with PTEs, about 2 per 2 MiB when PMDs map it (THP, FS_DAX_PMD). */
static long daxlab_map_faults = -1;
/* Whether the mapping starts on a 2 MiB boundary (a PMD needs it). */
static int daxlab_map_2m_aligned;

static inline long minor_faults(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
}

/* Create or truncate path to pages pages of the known pattern, fsync it, map it
 * MAP_SHARED read-write and touch every page so DAX entries exist.
 * On failure prints an error JSON line and exits 3. Returns the fd. */
static inline int prepare_file(const char *path, long pages, unsigned char **map_out)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die_json(3, "cannot create file", errno);
	/* One allocation for the whole file, so that a file of 2 MiB or more gets extents the
	 * filesystem aligns to its 2 MiB stripe (setup-fs.sh), which a PMD can map. */
	if (fallocate(fd, 0, 0, pages * DAXLAB_PAGE) != 0 && errno != EOPNOTSUPP)
		die_json(3, "fallocate failed", errno);
	unsigned char buf[DAXLAB_PAGE];
	for (long p = 0; p < pages; p++) {
		for (long i = 0; i < DAXLAB_PAGE; i++)
			buf[i] = pattern_at(p * DAXLAB_PAGE + i);
		if (pwrite(fd, buf, DAXLAB_PAGE, p * DAXLAB_PAGE) != DAXLAB_PAGE)
			die_json(3, "cannot write pattern", errno);
	}
	if (fsync(fd) != 0)
		die_json(3, "fsync failed", errno);
	void *map = mmap(NULL, (size_t)(pages * DAXLAB_PAGE), PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die_json(3, "mmap failed", errno);
	volatile unsigned char *m = map;
	long faults_before = minor_faults();
	for (long p = 0; p < pages; p++) {
		unsigned char v = m[p * DAXLAB_PAGE];
		if (v != pattern_at(p * DAXLAB_PAGE))
			die_json(3, "mapping does not show the written pattern", 0);
		m[p * DAXLAB_PAGE] = v; /* write fault: a writable DAX entry */
	}
	daxlab_map_faults = faults_before < 0 ? -1 : minor_faults() - faults_before;
	daxlab_map_2m_aligned = ((uintptr_t)map & ((2L << 20) - 1)) == 0;
	*map_out = map;
	return fd;
}

#endif
