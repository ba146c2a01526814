/* pinreuse: does DMA from a pinned read land in a block the filesystem has
 * already given to another file? Writes pattern B to the memory-backed delay
 * device, fills the DAX filesystem with fallocate (reuse-fs.h) but for a little
 * room, maps file F (pattern A) there, pins page I of F with an O_DIRECT read
 * from the device (reuse-pin.h), and while the read is in flight: ftruncate(F,
 * 0), syncfs (so the freed blocks may be handed out again), then writes file G
 * with pattern C until the filesystem is full (so G gets F's blocks) and
 * fsyncs it. Then waits for the read and reads G back: a page holding B is
 * stale DMA in another file's block. Prints one JSON line; daxlab judges it.
 * A truncate still waiting WATCHDOG_GRACE_MS after the read completed is
 * interrupted (watchdog.h); trunc_watchdog_ms says when (-1: never).
 *
 * Usage: pinreuse --file PATH --pages N --index I --dev DEV --pin iopoll|pread
 *                 [--hold-ms H] [--lead-ms M] [--fill-slack BLOCKS]
 * Exit: 0 ran, 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "wait-sampler.h"
#include "reuse-fs.h"
#include "reuse-pin.h"
#include "watchdog.h"

#include <getopt.h>
#include <liburing.h> /* named here so daxlab's compile step links -luring */
#include <pthread.h>

static char g_path[PATH_MAX], fill_path[PATH_MAX];
static struct fs_reserve reserve;

static void cleanup(void)
{
	if (fill_path[0])
		unlink(fill_path);
	if (g_path[0])
		unlink(g_path);
	reserve_restore(&reserve);
}

static void usage(const char *msg)
{
	fprintf(stderr, "pinreuse: %s\nusage: pinreuse --file PATH --pages N --index I --dev DEV "
		"--pin iopoll|pread [--hold-ms H] [--lead-ms M] [--fill-slack BLOCKS]\n", msg);
	die_json(2, msg, 0);
}

/* Write pattern C page by page until max_pages or ENOSPC, then fsync; the pages
 * written, or -1 with errno on another error. */
static long write_g(int gfd, long max_pages, unsigned char *buf)
{
	long pg;
	for (pg = 0; pg < max_pages; pg++) {
		for (long i = 0; i < DAXLAB_PAGE; i++)
			buf[i] = c_at(pg * DAXLAB_PAGE + i);
		ssize_t n = pwrite(gfd, buf, DAXLAB_PAGE, pg * DAXLAB_PAGE);
		if (n == DAXLAB_PAGE)
			continue;
		if (n >= 0 || errno == ENOSPC)
			break;
		return -1;
	}
	return fsync(gfd) == 0 ? pg : -1;
}

int main(int argc, char **argv)
{
	int64_t t0 = now_ns();
	const char *pin_s = NULL;
	long hold_ms = 500, slack = 64;
	struct pin_args a = { .pages = -1, .index = -1, .lead_ms = 100 };
	static const struct option opts[] = {
		PIN_ARG_OPTIONS, { "pin", required_argument, 0, 'p' },
		{ "hold-ms", required_argument, 0, 'h' }, { "fill-slack", required_argument, 0, 's' },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pin_s = optarg; break;
		case 'h': hold_ms = parse_count(optarg); break;
		case 's': slack = parse_count(optarg); break;
		default:
			if (!pin_arg(&a, c))
				usage("unknown option");
		}
	}
	const char *file = a.file, *dev = a.dev;
	long pages = a.pages, index = a.index, lead_ms = a.lead_ms;
	if (optind != argc || !file || !dev || !pin_s)
		usage("--file, --pages, --index, --dev and --pin are required");
	if (pages_index_error(pages, index))
		usage(pages_index_error(pages, index));
	if (strcmp(pin_s, "iopoll") && strcmp(pin_s, "pread"))
		usage("--pin must be iopoll or pread");
	if (hold_ms < 1 || hold_ms > 60000 || lead_ms < 0 || lead_ms > 60000 || slack < 0 || slack > 65536)
		usage("--hold-ms (1-60000), --lead-ms (0-60000) and --fill-slack (0-65536) are out of range");

	struct reuse_pin p = { .iopoll = !strcmp(pin_s, "iopoll"), .hold_ms = hold_ms };
	atexit(cleanup);
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", file);
	if (snprintf(g_path, sizeof g_path, "%s.reuse", file) >= (int)sizeof g_path ||
	    snprintf(fill_path, sizeof fill_path, "%s/.daxlab-reuse-fill", dirname(dir)) >= (int)sizeof fill_path)
		die_json(3, "path is too long", 0);
	unlink(fill_path); /* a leftover of a killed run */

	/* The device holds B; a control read, done the pin's way, gives it back. */
	unsigned char *buf = anon_page();
	int dev_ok = reuse_pin_open(&p, dev, buf);

	int fillfd = open(fill_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fillfd < 0)
		die_json(3, "cannot create the filler file", errno);
	int dax = require_dax(fill_path);
	/* Fill first, so F takes its blocks from the little room left and G finds
	 * F's freed blocks there. Only on DAX (the guest's pmem): a host smoke
	 * test must never fill a host disk or change its reserve. */
	if (dax == 1)
		reserve_zero(&reserve, fillfd, fill_path);
	long long fill_bytes = dax == 1 ? fill_fs(fillfd, pages + slack, 8LL << 30) : 0;
	if (fill_bytes < 0)
		die_json(3, "cannot fill the filesystem", errno);
	unsigned char *map;
	int fd = prepare_file(file, pages, &map);
	long long pin_phys = phys_of(fd, index * DAXLAB_PAGE);

	p.page = map + index * DAXLAB_PAGE;
	pthread_t th;
	start_and_wait(&th, reuse_pin_thread, &p, &p.submitted, lead_ms);

	struct wait_sampler ws;
	ws_start(&ws, getpid(), ws_gettid());
	struct watchdog wd;
	watchdog_start(&wd, pthread_self(), reuse_end_ns, &p);
	int64_t trunc_start = now_ns();
	int trunc_ret = ftruncate(fd, 0);
	int trunc_errno = trunc_ret ? errno : 0;
	int64_t trunc_end = now_ns();
	ws_stop(&ws);
	long watchdog_ms = watchdog_stop(&wd);
	syncfs(fd);
	long long free_blocks = fs_free_blocks(fd);
	int gfd = open(g_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	/* Without a fill (host smoke test) G is just as long as F was. */
	long g_pages = gfd < 0 ? -1 : write_g(gfd, dax == 1 ? pages + slack + 64 : pages, buf);
	int g_errno = g_pages < 0 ? errno : 0;
	int64_t g_done = now_ns();
	long reused_page = -1;
	for (long pg = 0; pg < g_pages && pin_phys >= 0 && reused_page < 0; pg++)
		if (phys_of(gfd, pg * DAXLAB_PAGE) == pin_phys)
			reused_page = pg;

	pthread_join(th, NULL);

	long corrupt_page = -1;
	int corrupt_stale = 0;
	for (long pg = 0; pg < g_pages && corrupt_page < 0; pg++) {
		int is_c = pread(gfd, buf, DAXLAB_PAGE, pg * DAXLAB_PAGE) == DAXLAB_PAGE, is_b = is_c;
		for (long i = 0; i < DAXLAB_PAGE && (is_c || is_b); i++) {
			is_c &= buf[i] == c_at(pg * DAXLAB_PAGE + i);
			is_b &= buf[i] == b_at(i);
		}
		if (!is_c) {
			corrupt_page = pg;
			corrupt_stale = is_b;
		}
	}

	printf("{\"pin\":\"%s\",\"index\":%ld,\"pages\":%ld,\"lead_ms\":%ld,\"hold_ms\":%ld,\"dev_ok\":%s,"
	       "\"read_start_ns\":%lld,\"read_end_ns\":%lld,\"read_ret\":%ld,\"read_errno\":%d,"
	       "\"trunc_start_ns\":%lld,\"trunc_end_ns\":%lld,\"trunc_ret\":%d,\"trunc_errno\":%d,"
	       "\"trunc_watchdog_ms\":%ld,\"fill_bytes\":%lld,\"free_blocks\":%lld,\"g_done_ns\":%lld,\"g_pages\":%ld,\"g_errno\":%d,"
	       "\"pin_phys\":%lld,\"reused_page\":%ld,\"corrupt_page\":%ld,\"corrupt_stale\":%s,\"dax\":%s,",
	       pin_s, index, pages, lead_ms, hold_ms, dev_ok ? "true" : "false",
	       (long long)(p.start_ns - t0), (long long)(p.end_ns - t0), p.ret, p.err,
	       (long long)(trunc_start - t0), (long long)(trunc_end - t0), trunc_ret, trunc_errno,
	       watchdog_ms, fill_bytes, free_blocks, (long long)(g_done - t0), g_pages, g_errno,
	       pin_phys, reused_page, corrupt_page, corrupt_stale ? "true" : "false",
	       dax == 1 ? "true" : "false");
	ws_json(stdout, "trunc_wait", &ws, t0);
	puts("}");
	fflush(stdout);
	if (gfd >= 0)
		close(gfd);
	close(fillfd);
	munmap(map, (size_t)(pages * DAXLAB_PAGE));
	close(fd);
	unlink(file);
	if (p.iopoll)
		io_uring_queue_exit(&p.ring);
	close(p.devfd);
	return 0;
}
