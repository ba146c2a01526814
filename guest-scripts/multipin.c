/* multipin: hold references on two pages of a DAX file for as long as the test says, run a
 * racing truncate or hole punch, and release the two references one after the other, in a
 * chosen order. The layout-break wait (ext4_break_layouts, xfs_break_dax_layouts) must wait
 * for every busy page, rescanning after each wakeup, and for as long as each is held: the
 * racing call may return only after the last reference is dropped.
 *
 * The references are vmsplice()s of each page into its own pipe: GUP takes a page reference,
 * as a block O_DIRECT pin does, and closing the pipe drops it, at a time user space picks, so
 * the oracle is causal, with no delay device. A sampler records the racing thread's wait channel.
 *
 * Usage: multipin --file PATH --pages N --index A [--index2 B] --race truncate|punch|reclaim
 *                 --hold-ms H --order forward|reverse
 *   forward drops A's reference first (the page the scan finds first), reverse drops B's first.
 *   The first release comes H ms after the racing call starts, the second H ms after that.
 *   Without --index2 only page A is held (the second release is then the first).
 *   reclaim: the file is closed and unmapped (not unlinked) while its pages are held, and the
 *   racing call is a write of 2 to /proc/sys/vm/drop_caches (reclaim dentries and inodes): an
 *   inode reclaimed while its pages are held must wait for them, or not be reclaimed at all;
 *   the kernel log tells (dax_disassociate_entry warns about a page still referenced).
 * Output: one JSON line with the racing call's start, end, result, the release times, the size
 *   and data check and the racer's wait samples ("race_wait"); race_watchdog_ms >= 0 when the
 *   call was still waiting 5 s after the last release and was interrupted by a signal.
 * Exit: 0 ran, 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "racers.h"
#include "wait-sampler.h"

#include <signal.h>
#include <sys/uio.h>

#define WATCHDOG_MS 5000

struct race_thread {
	struct racer *r;
	sem_t started;
	pid_t tid;
	int reclaim;
	int64_t start_ns, end_ns;
	int ret, err;
};

/* Reclaim unused dentries and inodes (echo 2 > /proc/sys/vm/drop_caches) three times: the first
 * pass only clears the inode's referenced bit (the LRU gives it a second chance); 0, or -1. */
static int drop_caches(void)
{
	for (int pass = 0; pass < 3; pass++) {
		int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		ssize_t n = write(fd, "2", 1);
		int err = errno;
		close(fd);
		errno = err;
		if (n != 1)
			return -1;
	}
	return 0;
}

static void *race_main(void *arg)
{
	struct race_thread *t = arg;
	t->tid = ws_gettid();
	sem_post(&t->started);
	sleep_ms(20); /* let the sampler start before the call */
	t->start_ns = now_ns();
	t->ret = t->reclaim ? drop_caches() : race_run(t->r);
	t->err = t->ret ? errno : 0;
	t->end_ns = now_ns();
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void usage(const char *msg)
{
	fprintf(stderr, "multipin: %s\nusage: multipin --file PATH --pages N --index A --index2 B "
		"--race truncate|punch|reclaim --hold-ms H --order forward|reverse\n", msg);
	die_json(2, msg, 0);
}

/* vmsplice page `index` of map into a new pipe; the pipe holds a reference until closed. */
static void hold_page(unsigned char *map, long index, int fds[2])
{
	if (pipe(fds) != 0)
		die_json(3, "pipe failed", errno);
	struct iovec iov = { map + index * DAXLAB_PAGE, DAXLAB_PAGE };
	ssize_t n = vmsplice(fds[1], &iov, 1, 0);
	if (n != DAXLAB_PAGE)
		die_json(3, "vmsplice of a page did not take it whole", n < 0 ? errno : 0);
}

static void drop_page(int fds[2], int64_t *start, int64_t *end)
{
	*start = now_ns();
	close(fds[0]);
	close(fds[1]);
	*end = now_ns();
}

/* The command line, checked. */
struct opts {
	struct pin_args a;
	long index2, hold_ms;
	const char *race_s, *order_s;
	int race, reclaim, reverse;
};

static void parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .a = { .pages = -1, .index = -1 }, .index2 = -1, .hold_ms = -1 };
	static const struct option opts[] = { PIN_ARG_OPTIONS, { "index2", required_argument, 0, 'I' },
		{ "race", required_argument, 0, 'r' }, { "hold-ms", required_argument, 0, 'h' },
		{ "order", required_argument, 0, 'o' }, { 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'I')
			o->index2 = parse_count(optarg);
		else if (c == 'r')
			o->race_s = optarg;
		else if (c == 'h')
			o->hold_ms = parse_count(optarg);
		else if (c == 'o')
			o->order_s = optarg;
		else if (!pin_arg(&o->a, c))
			usage("unknown option");
	}
	if (optind != argc || !o->a.file || !o->race_s || !o->order_s)
		usage("--file, --pages, --index, --race, --hold-ms and --order are required");
	const char *bad = pages_index_error(o->a.pages, o->a.index);
	if (bad)
		usage(bad);
	if (o->index2 != -1 && (o->index2 <= o->a.index || o->index2 >= o->a.pages))
		usage("--index2 must be above --index and below --pages");
	if (o->hold_ms < 1 || o->hold_ms > 60000)
		usage("--hold-ms must be an integer from 1 to 60000");
	o->reclaim = !strcmp(o->race_s, "reclaim");
	o->race = o->reclaim ? RACE_TRUNCATE : race_parse(o->race_s);
	if (o->race != RACE_TRUNCATE && o->race != RACE_PUNCH)
		usage("--race must be truncate, punch or reclaim");
	o->reverse = !strcmp(o->order_s, "reverse");
	if (!o->reverse && strcmp(o->order_s, "forward"))
		usage("--order must be forward or reverse");
}

/* When the references were dropped, and whether the watchdog had to end the call. */
struct releases {
	int64_t rel1_start, rel1_end, rel2_start, rel2_end;
	long watchdog_ms;
};

/* Start the racing thread, drop the references hold_ms apart (the second one only when there
 * is one), wait for the call (signal it WATCHDOG_MS after the last release), stop the sampler. */
static struct releases race_and_release(struct race_thread *t, struct wait_sampler *ws, int first[2], int second[2], long hold_ms)
{
	struct releases rel = { .watchdog_ms = -1 };
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: the wait ends with EINTR */
	sigaction(SIGALRM, &sa, NULL);
	sem_init(&t->started, 0, 0);
	pthread_t th;
	start_and_wait(&th, race_main, t, &t->started, 0);
	ws_start(ws, getpid(), t->tid);
	sleep_ms(20 + hold_ms);
	drop_page(first, &rel.rel1_start, &rel.rel1_end);
	rel.rel2_start = rel.rel1_start;
	rel.rel2_end = rel.rel1_end;
	if (second) {
		sleep_ms(hold_ms);
		drop_page(second, &rel.rel2_start, &rel.rel2_end);
	}
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += WATCHDOG_MS / 1000;
	if (pthread_timedjoin_np(th, NULL, &deadline) != 0) {
		rel.watchdog_ms = (long)((now_ns() - rel.rel2_end) / 1000000);
		pthread_kill(th, SIGALRM);
		pthread_join(th, NULL);
	}
	ws_stop(ws);
	return rel;
}

/* reclaim: leave only the page references: no mapping, no open file, nothing dirty. syncfs, not
 * fsync: only writeback clears the inode's I_DIRTY_PAGES, and the inode shrinker passes over
 * dirty inodes. */
static void let_go_of_file(struct racer *r, unsigned char **map, long pages)
{
	if (syncfs(r->fd) != 0)
		die_json(3, "syncfs before reclaim failed", errno);
	munmap(*map, (size_t)(pages * DAXLAB_PAGE));
	close(r->fd);
	*map = NULL;
	r->fd = -1;
}

int main(int argc, char **argv)
{
	int64_t t0 = now_ns();
	struct opts o;
	parse_opts(argc, argv, &o);
	const struct pin_args *a = &o.a;
	struct racer r = { .kind = o.race, .path = a->file, .pages = a->pages, .index = a->index, .srcfd = -1 };
	unsigned char *map;
	r.fd = prepare_file(a->file, a->pages, &map);
	int dax = require_dax(a->file);
	int two = o.index2 != -1;
	int first[2], second[2];
	hold_page(map, two && o.reverse ? o.index2 : a->index, first);
	if (two)
		hold_page(map, o.reverse ? a->index : o.index2, second);
	if (o.reclaim)
		let_go_of_file(&r, &map, a->pages);
	struct race_thread t = { .r = &r, .reclaim = o.reclaim };
	struct wait_sampler ws;
	struct releases rel = race_and_release(&t, &ws, first, two ? second : NULL, o.hold_ms);

	struct stat st;
	if (stat(a->file, &st) != 0)
		die_json(3, "stat after the race failed", errno);
	if (o.reclaim) /* nothing changed the file: it must keep its size, and its data is not checked */
		r.fd = open(a->file, O_RDONLY | O_CLOEXEC);
	int data_ok = t.ret == 0 && !o.reclaim ? race_data_ok(&r) : 1;
	race_cleanup(&r);
	printf("{\"race\":\"%s\",\"order\":\"%s\",\"index\":%ld,\"index2\":%ld,\"pages\":%ld,\"hold_ms\":%ld,"
	       "\"race_start_ns\":%lld,\"race_end_ns\":%lld,\"race_ret\":%d,\"race_errno\":%d,"
	       "\"release1_start_ns\":%lld,\"release1_end_ns\":%lld,\"release2_start_ns\":%lld,\"release2_end_ns\":%lld,"
	       "\"size_after\":%lld,\"size_expected\":%ld,\"data_ok\":%s,\"map_faults\":%ld,"
	       "\"race_watchdog_ms\":%ld,\"dax\":%s,",
	       o.race_s, o.order_s, a->index, o.index2, a->pages, o.hold_ms,
	       (long long)(t.start_ns - t0), (long long)(t.end_ns - t0), t.ret, t.err,
	       (long long)(rel.rel1_start - t0), (long long)(rel.rel1_end - t0),
	       (long long)(rel.rel2_start - t0), (long long)(rel.rel2_end - t0),
	       (long long)st.st_size, o.reclaim ? a->pages * DAXLAB_PAGE : race_expected_size(&r), data_ok ? "true" : "false",
	       daxlab_map_faults, rel.watchdog_ms, dax == 1 ? "true" : "false");
	ws_json(stdout, "race_wait", &ws, t0);
	puts("}");
	fflush(stdout);
	if (map)
		munmap(map, (size_t)(a->pages * DAXLAB_PAGE));
	if (r.fd >= 0)
		close(r.fd);
	unlink(a->file);
	return 0;
}
