/* windowreclaim: does virtio-fs reclaim a DAX window range while DMA still targets a page in it?
 *
 * A virtio-fs DAX mount maps file ranges of 2 MiB into the device's DAX window, which has fewer
 * slots than a big file has ranges. Faulting in a range when no slot is free reclaims one
 * (fs/fuse/dax.c: inode_inline_reclaim_one_dmap(), or the background worker's
 * lookup_and_reclaim_dmap()), and before it unmaps the range and hands its slot to another file
 * range it must wait for pinned pages in it: fuse_dax_break_layouts(inode, start, start + 2 MiB - 1),
 * the finite range dax_layout_busy_page_range() was made for.
 *
 * The program writes pattern B to the delay device, maps a sparse file of --ranges 2 MiB ranges,
 * writes page --index (in range 0), pins it with a read from the device whose copy lands late
 * (reuse-pin.h: iopoll), and while the read is held reads one byte of every other range, more
 * ranges than the window holds. Then it waits for the read and looks where B landed: in page
 * --index (right), or at the same offset of another range, whose slot the pinned page became when
 * range 0 was reclaimed under the pin (stale DMA into another part of the file).
 * Evidence that range 0 was reclaimed at all: page --index is no longer mapped afterwards
 * (/proc/self/pagemap), as the reclaim unmaps the range.
 *
 * Usage: windowreclaim --file PATH --ranges N --index I --dev DEV --pin iopoll|pread
 *                      [--hold-ms H] [--lead-ms M]
 * Output: one JSON line (fields below); daxlab judges it. Exit: 0 ran, 2 usage, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "reuse-pin.h"

#include <getopt.h>
#include <liburing.h> /* named here so daxlab's compile step links -luring */
#include <pthread.h>

#define RANGE (2L << 20)
#define RANGE_PAGES (RANGE / DAXLAB_PAGE)

static void usage(const char *msg)
{
	fprintf(stderr, "windowreclaim: %s\nusage: windowreclaim --file PATH --ranges N --index I --dev DEV "
			"--pin iopoll|pread [--hold-ms H] [--lead-ms M]\n", msg);
	die_json(2, msg, 0);
}

/* 1 when the page at addr is mapped in this process (pagemap bit 63), 0 when not, -1 unknown. */
static int page_mapped(const void *addr)
{
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t e = 0;
	off_t off = (off_t)((uintptr_t)addr / DAXLAB_PAGE) * 8;
	int ok = pm >= 0 && pread(pm, &e, 8, off) == 8;
	if (pm >= 0)
		close(pm);
	return ok ? (int)(e >> 63) : -1;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *dev = NULL, *pin_s = NULL;
	long ranges = -1, index = -1, hold_ms = 1000, lead_ms = 100;
	static const struct option opts[] = {
		{ "file", required_argument, 0, 'f' }, { "ranges", required_argument, 0, 'r' },
		{ "index", required_argument, 0, 'i' }, { "dev", required_argument, 0, 'd' },
		{ "pin", required_argument, 0, 'p' }, { "hold-ms", required_argument, 0, 'h' },
		{ "lead-ms", required_argument, 0, 'l' }, { 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'r': ranges = parse_count(optarg); break;
		case 'i': index = parse_count(optarg); break;
		case 'd': dev = optarg; break;
		case 'p': pin_s = optarg; break;
		case 'h': hold_ms = parse_count(optarg); break;
		case 'l': lead_ms = parse_count(optarg); break;
		default: usage("unknown option");
		}
	}
	if (optind != argc || !file || !dev || !pin_s)
		usage("--file, --ranges, --index, --dev and --pin are required");
	if (ranges < 2 || ranges > 65536 || index < 0 || index >= RANGE_PAGES)
		usage("--ranges must be 2-65536 and --index a page of the first 2 MiB range (0-511)");
	if (strcmp(pin_s, "iopoll") && strcmp(pin_s, "pread"))
		usage("--pin must be iopoll or pread");
	if (hold_ms < 1 || hold_ms > 60000 || lead_ms < 0 || lead_ms > 60000)
		usage("--hold-ms (1-60000) and --lead-ms (0-60000) are out of range");

	int64_t t0 = now_ns();
	struct reuse_pin p = { .iopoll = !strcmp(pin_s, "iopoll"), .hold_ms = hold_ms };
	unsigned char *buf = anon_page();
	int dev_ok = reuse_pin_open(&p, dev, buf);

	/* A sparse file: the guest never writes but page --index, so B elsewhere is misplaced DMA. */
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, ranges * RANGE) != 0)
		die_json(3, "cannot create the file", errno);
	int dax = require_dax(file);
	volatile unsigned char *map = mmap(NULL, (size_t)(ranges * RANGE), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die_json(3, "mmap of the file failed", errno);
	memset((void *)(map + index * DAXLAB_PAGE), 0x5A, DAXLAB_PAGE);

	p.page = (void *)(map + index * DAXLAB_PAGE);
	pthread_t th;
	start_and_wait(&th, reuse_pin_thread, &p, &p.submitted, lead_ms);

	/* Every other range, once: the window runs out of slots and reclaims. */
	int64_t touch_start = now_ns(), slowest_ns = 0;
	long slowest_range = -1;
	for (long r = 1; r < ranges; r++) {
		int64_t a = now_ns();
		(void)map[r * RANGE];
		int64_t d = now_ns() - a;
		if (d > slowest_ns) {
			slowest_ns = d;
			slowest_range = r;
		}
	}
	int64_t touch_end = now_ns();
	pthread_join(th, NULL);
	int mapped_after = page_mapped((const void *)(map + index * DAXLAB_PAGE));

	/* Where did B land: in page --index, and at the same offset of any other range? */
	int landed = pread(fd, buf, DAXLAB_PAGE, index * DAXLAB_PAGE) == DAXLAB_PAGE && is_b_page(buf);
	long misplaced = -1;
	for (long r = 1; r < ranges && misplaced < 0; r++)
		if (pread(fd, buf, DAXLAB_PAGE, r * RANGE + index * DAXLAB_PAGE) == DAXLAB_PAGE && is_b_page(buf))
			misplaced = r;

	printf("{\"pin\":\"%s\",\"index\":%ld,\"ranges\":%ld,\"hold_ms\":%ld,\"dev_ok\":%s,"
	       "\"read_start_ns\":%lld,\"read_end_ns\":%lld,\"read_ret\":%ld,\"read_errno\":%d,"
	       "\"touch_start_ns\":%lld,\"touch_end_ns\":%lld,\"slowest_touch_ns\":%lld,\"slowest_range\":%ld,"
	       "\"mapped_after\":%d,\"landed\":%s,\"misplaced_range\":%ld,\"dax\":%s}\n",
	       pin_s, index, ranges, hold_ms, dev_ok ? "true" : "false",
	       (long long)(p.start_ns - t0), (long long)(p.end_ns - t0), p.ret, p.err,
	       (long long)(touch_start - t0), (long long)(touch_end - t0), (long long)slowest_ns, slowest_range,
	       mapped_after, landed ? "true" : "false", misplaced, dax == 1 ? "true" : "false");
	fflush(stdout);
	munmap((void *)map, (size_t)(ranges * RANGE));
	close(fd);
	unlink(file);
	if (p.iopoll)
		io_uring_queue_exit(&p.ring);
	close(p.devfd);
	return 0;
}
