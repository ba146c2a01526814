/* busyrange: ask the kernel under test, through daxlab's module daxlab_busy.ko (kmod/), which
 * page its DAX busy-page scan finds in byte ranges of a file, while one page of the file is held
 * by a page reference that user space controls: a vmsplice() of that page into a pipe (GUP takes
 * a reference, like an O_DIRECT pin, and holds it until the pipe is closed, with no timing).
 *
 * Three phases, each asking every --range (and the whole file through dax_layout_busy_page()):
 * "before" the page is referenced, "pinned", and "released" after the pipe is closed. Before
 * each query every page is faulted in again (the scan unmaps its range); after it
 * /proc/self/pagemap says which pages the scan left unmapped. daxlab judges the answers.
 *
 * Usage: busyrange --file PATH --pages N --index I --module KO (--range START:END... | --locked)
 *        (END "max" is LLONG_MAX)
 * Output: one JSON line {"dax":true,"pages":N,"index":I,"map_faults":F,"pin_pfn":P,
 *   "before":[Q...],"pinned":[Q...],"released":[Q...]}, Q = [found,pfn,index,mapped,[[a,b]...]]
 *   in the order of the ranges, the whole-file query last; [[a,b]...] the unmapped page runs.
 * With --locked (and no --range) the phases are "locked_pinned" and "locked_released" instead:
 *   the page's own range and the whole file asked while the module holds the page's DAX entry
 *   locked (a fault or writeback in progress), each [entry_locked,early,asleep,found,pfn,index,
 *   mapped,wait_ms] (daxlab-busy.h).
 *   {"skip":...} when the kernel has no module support or the module is missing.
 * Exit: 0 ran, 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "daxlab-busy.h"

#include <limits.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define MAX_RANGES 64

struct range { long long start, end; };

static void usage(const char *msg)
{
	fprintf(stderr, "busyrange: %s\nusage: busyrange --file PATH --pages N --index I --module KO "
		"(--range START:END... | --locked)\n", msg);
	die_json(2, msg, 0);
}

static int parse_range(const char *s, struct range *r)
{
	char *colon = strchr(s, ':'), *end;
	if (!colon || *s == '-' || colon[1] == '-')
		return -1;
	errno = 0;
	r->start = strtoll(s, &end, 10);
	if (errno || end != colon)
		return -1;
	if (!strcmp(colon + 1, "max")) {
		r->end = LLONG_MAX;
	} else {
		r->end = strtoll(colon + 1, &end, 10);
		if (errno || *end)
			return -1;
	}
	return r->start <= r->end ? 0 : -1;
}

/* Load the module (already loaded is fine) and open its device; prints a skip and exits 0 when
 * this kernel cannot load modules or daxlab built none for it. */
static int open_module_device(const char *ko)
{
	int kfd = open(ko, O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		puts("{\"skip\":\"daxlab built no daxlab_busy module for this kernel (it needs CONFIG_MODULES and CONFIG_FS_DAX)\"}");
		exit(0);
	}
	if (syscall(SYS_finit_module, kfd, "", 0) != 0 && errno != EEXIST) {
		if (errno == ENOSYS) {
			puts("{\"skip\":\"the kernel under test cannot load modules (CONFIG_MODULES is off)\"}");
			exit(0);
		}
		die_json(3, "cannot load daxlab_busy.ko", errno);
	}
	close(kfd);
	for (int tries = 0; tries < 100; tries++) {
		int fd = open("/dev/" DAXLAB_BUSY_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			return fd >= 0 ? fd : (die_json(3, "cannot open /dev/" DAXLAB_BUSY_DEVICE, errno), -1);
		sleep_ms(10);
	}
	die_json(3, "/dev/" DAXLAB_BUSY_DEVICE " did not appear after loading the module", ENOENT);
	return -1;
}

/* Fault every page in again (write faults: writable DAX entries, as the workloads make them). */
static void touch_all(volatile unsigned char *m, long pages)
{
	for (long p = 0; p < pages; p++)
		m[p * DAXLAB_PAGE] = m[p * DAXLAB_PAGE];
}

/* The pagemap entries of the mapping's pages (bit 63 present, bits 0-54 the pfn for root). */
static void read_pagemap(int pm, unsigned char *map, long pages, uint64_t *out)
{
	off_t off = (off_t)((uintptr_t)map / DAXLAB_PAGE) * 8;
	if (pread(pm, out, (size_t)pages * 8, off) != (ssize_t)(pages * 8))
		die_json(3, "cannot read /proc/self/pagemap", errno);
}

/* Print one query's answer and the runs of pages the scan left unmapped. */
static void print_answer(FILE *f, const struct daxlab_busy_query *q, const uint64_t *pm, long pages)
{
	fprintf(f, "[%d,%llu,%lld,%d,[", q->found, (unsigned long long)q->pfn, (long long)q->index, q->mapped);
	int first = 1;
	for (long p = 0; p < pages; p++) {
		if (pm[p] >> 63)
			continue;
		long a = p;
		while (p + 1 < pages && !(pm[p + 1] >> 63))
			p++;
		fprintf(f, "%s[%ld,%ld]", first ? "" : ",", a, p);
		first = 0;
	}
	fputs("]]", f);
}

struct ctx {
	FILE *out; /* the answers, printed once every query is done (an error then prints alone) */
	int dev, fd, pm;
	unsigned char *map;
	long pages;
	uint64_t *entries;
};

/* Ask every range, then the whole file, printing the phase's JSON array. */
static void ask_all(struct ctx *c, const char *phase, const struct range *r, int n)
{
	fprintf(c->out, ",\"%s\":[", phase);
	for (int k = 0; k <= n; k++) {
		struct daxlab_busy_query q = { .fd = c->fd, .whole = k == n };
		if (k < n) {
			q.start = r[k].start;
			q.end = r[k].end;
		}
		touch_all(c->map, c->pages);
		if (ioctl(c->dev, DAXLAB_BUSY_QUERY, &q) != 0)
			die_json(3, "DAXLAB_BUSY_QUERY failed", errno);
		read_pagemap(c->pm, c->map, c->pages, c->entries);
		if (k)
			fputc(',', c->out);
		print_answer(c->out, &q, c->entries, c->pages);
	}
	fputc(']', c->out);
}

/* Ask the page's own range, then the whole file, each while the module holds the page's DAX entry
 * locked for LOCK_HOLD_MS: [entry_locked,early,asleep,found,pfn,index,mapped,wait_ms] each. */
#define LOCK_HOLD_MS 300
static void ask_locked(struct ctx *c, const char *phase, long index)
{
	fprintf(c->out, ",\"%s\":[", phase);
	for (int k = 0; k < 2; k++) {
		struct daxlab_busy_locked l = { .q = { .fd = c->fd, .whole = k == 1 },
						.lock_index = index, .hold_ms = LOCK_HOLD_MS };
		l.q.start = index * DAXLAB_PAGE;
		l.q.end = l.q.start + DAXLAB_PAGE - 1;
		touch_all(c->map, c->pages);
		if (ioctl(c->dev, DAXLAB_BUSY_LOCKED, &l) != 0)
			die_json(3, "DAXLAB_BUSY_LOCKED failed", errno);
		fprintf(c->out, "%s[%d,%d,%d,%d,%llu,%lld,%d,%lld]", k ? "," : "", l.entry_locked, l.early, l.asleep,
			l.q.found, (unsigned long long)l.q.pfn, (long long)l.q.index, l.q.mapped, (long long)l.wait_ms);
	}
	fputc(']', c->out);
}

int main(int argc, char **argv)
{
	struct pin_args a = { .pages = -1, .index = -1 };
	const char *ko = NULL;
	struct range ranges[MAX_RANGES];
	int n = 0, locked = 0;
	static const struct option opts[] = { PIN_ARG_OPTIONS, { "module", required_argument, 0, 'm' },
					      { "range", required_argument, 0, 'r' }, { "locked", no_argument, 0, 'L' },
					      { 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'm')
			ko = optarg;
		else if (c == 'L')
			locked = 1;
		else if (c == 'r') {
			if (n == MAX_RANGES || parse_range(optarg, &ranges[n++]) != 0)
				usage("--range must be START:END with 0 <= START <= END (END may be max), at most 64");
		} else if (!pin_arg(&a, c))
			usage("unknown option");
	}
	if (optind != argc || !a.file || !ko || (n == 0) != locked)
		usage("--file, --pages, --index, --module and either --locked or at least one --range are required");
	const char *bad = pages_index_error(a.pages, a.index);
	if (bad)
		usage(bad);

	int dev = open_module_device(ko);
	unsigned char *map;
	int fd = prepare_file(a.file, a.pages, &map);
	require_dax(a.file);
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pm < 0)
		die_json(3, "cannot open /proc/self/pagemap", errno);
	char *body = NULL;
	size_t body_len = 0;
	struct ctx cx = { open_memstream(&body, &body_len), dev, fd, pm, map, a.pages, calloc((size_t)a.pages, 8) };
	if (!cx.entries || !cx.out)
		die_json(3, "out of memory", ENOMEM);
	touch_all(map, a.pages);
	read_pagemap(pm, map, a.pages, cx.entries);
	uint64_t pfn = cx.entries[a.index] & ((1ULL << 55) - 1);

	if (!locked)
		ask_all(&cx, "before", ranges, n);
	int pipefd[2];
	if (pipe(pipefd) != 0)
		die_json(3, "pipe failed", errno);
	struct iovec iov = { map + a.index * DAXLAB_PAGE, DAXLAB_PAGE };
	ssize_t spliced = vmsplice(pipefd[1], &iov, 1, 0);
	if (spliced != DAXLAB_PAGE)
		die_json(3, "vmsplice of the page did not take it whole", spliced < 0 ? errno : 0);
	if (locked)
		ask_locked(&cx, "locked_pinned", a.index);
	else
		ask_all(&cx, "pinned", ranges, n);
	close(pipefd[0]);
	close(pipefd[1]);
	if (locked)
		ask_locked(&cx, "locked_released", a.index);
	else
		ask_all(&cx, "released", ranges, n);
	fclose(cx.out);
	printf("{\"dax\":true,\"pages\":%ld,\"index\":%ld,\"map_faults\":%ld,\"pin_pfn\":%llu%s}\n",
	       a.pages, a.index, daxlab_map_faults, (unsigned long long)pfn, body);
	fflush(stdout);
	munmap(map, (size_t)(a.pages * DAXLAB_PAGE));
	close(fd);
	unlink(a.file);
	return 0;
}
