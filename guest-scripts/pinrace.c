/* pinrace: pin one page of a DAX file mapping with a slow O_DIRECT I/O on a
 * delayed-completion block device (pin-sources.h), and race a size- or
 * layout-changing operation (racers.h) against that in-flight I/O. Prints one
 * JSON line; the judging is done by daxlab. A racing call still waiting
 * WATCHDOG_GRACE_MS after the pin's I/O completed is interrupted (watchdog.h):
 * race_watchdog_ms says when, -1 when it returned by itself.
 *
 * Usage: pinrace --file PATH --pages N --index I --pin KIND --race KIND
 *                --dev /dev/nullbX [--lead-ms M] [--unmap] [--fault-page P] [--test-slow-ms MS]
 *   --pin  pread|io_uring|pwrite|preadv|io_uring_write|aio
 *   --race truncate|punch|otrunc|zero|collapse|insert|clone|dedupe
 * While the racing call runs, a sampler thread records the racer's kernel wait channel
 * (wait-sampler.h), so the host can check that the call really slept waiting for the pin.
 * --fault-page P: once the racer is seen in the layout-break wait, another thread reads page P
 * of the mapping and times that page fault (faulter.h): the waiter must not hold the fault lock.
 * --test-slow-ms MS (test-only, for daxlab's own fault suite): the racer takes its start
 * time, sleeps MS, then calls: a call that is merely slow, which must not count as a wait.
 * Exit: 0 ran (whatever the kernel did), 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "pin-sources.h"
#include "racers.h"
#include "faulter.h"
#include "wait-sampler.h"
#include "watchdog.h"

#include <getopt.h>
#include <liburing.h> /* named here so daxlab's compile step links -luring */
#include <pthread.h>

static int64_t t0;

static void usage(const char *msg)
{
	fprintf(stderr, "pinrace: %s\nusage: pinrace --file PATH --pages N --index I "
		"--pin pread|io_uring|pwrite|preadv|io_uring_write|aio "
		"--race truncate|punch|otrunc|zero|collapse|insert|clone|dedupe "
		"--dev DEV [--lead-ms M] [--unmap] [--fault-page P] [--test-slow-ms MS]\n", msg);
	die_json(2, msg, 0);
}

int main(int argc, char **argv)
{
	t0 = now_ns();
	const char *pin_s = NULL, *race_s = NULL;
	struct pin_args a = { .pages = -1, .index = -1, .lead_ms = 100 };
	static const struct option opts[] = {
		PIN_ARG_OPTIONS, { "pin", required_argument, 0, 'p' },
		{ "race", required_argument, 0, 'r' }, { "unmap", no_argument, 0, 'u' },
		{ "test-slow-ms", required_argument, 0, 's' }, { "fault-page", required_argument, 0, 'P' },
		{ 0, 0, 0, 0 },
	};
	int unmap = 0;
	long slow_ms = 0, fault_page = -1;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			pin_s = optarg;
		else if (c == 'r')
			race_s = optarg;
		else if (c == 'u')
			unmap = 1;
		else if (c == 's')
			slow_ms = parse_count(optarg);
		else if (c == 'P')
			fault_page = parse_count(optarg);
		else if (!pin_arg(&a, c))
			usage("unknown option");
	}
	const char *file = a.file, *dev = a.dev;
	long pages = a.pages, index = a.index, lead_ms = a.lead_ms;
	if (optind != argc)
		usage("unexpected argument");
	if (!file || !dev || !pin_s || !race_s)
		usage("--file, --pages, --index, --pin, --race and --dev are required");
	if (pin_args_error(&a))
		usage(pin_args_error(&a));
	int pin = pin_parse(pin_s);
	if (pin < 0)
		usage("--pin must be pread, io_uring, pwrite, preadv, io_uring_write or aio");
	int race = race_parse(race_s);
	if (race < 0)
		usage("--race must be truncate, punch, otrunc, zero, collapse, insert, clone or dedupe");
	if (slow_ms < 0 || slow_ms > 60000)
		usage("--test-slow-ms must be an integer from 0 to 60000");
	if (fault_page >= 0 && (fault_page >= pages || fault_page == index || unmap))
		usage("--fault-page must be a page of the file other than --index, without --unmap");
	if (race == RACE_COLLAPSE && pages < 2)
		usage("--race collapse needs --pages of at least 2");

	struct pinner p = { .kind = pin };
	struct racer r = { .kind = race, .path = file, .pages = pages, .index = index };
	unsigned char *map;
	r.fd = prepare_file(file, pages, &map);
	int dax = require_dax(file);
	pin_setup(&p, dev, map + index * DAXLAB_PAGE);
	memcpy(r.pin_content, p.page, DAXLAB_PAGE);
	if (race_needs_pin_content(race))
		pin_predict_page(&p, r.pin_content);
	race_prepare(&r);

	pthread_t th;
	start_and_wait(&th, pin_thread, &p, &p.about_to_submit, lead_ms);
	/* --unmap: drop the mapping while the pin is held (the pin keeps its page reference). */
	if (unmap && munmap(map, (size_t)(pages * DAXLAB_PAGE)) != 0)
		die_json(3, "munmap during the pin failed", errno);

	struct wait_sampler ws;
	ws_start(&ws, getpid(), ws_gettid());
	struct faulter fa;
	if (fault_page >= 0)
		faulter_start(&fa, getpid(), ws_gettid(), map + fault_page * DAXLAB_PAGE, pinner_end_ns, &p);
	struct watchdog wd;
	watchdog_start(&wd, pthread_self(), pinner_end_ns, &p);
	int64_t race_start = now_ns();
	if (slow_ms)
		sleep_ms(slow_ms);
	int race_ret = race_run(&r);
	int race_errno = race_ret ? errno : 0;
	int64_t race_end = now_ns();
	ws_stop(&ws);
	if (fault_page >= 0)
		faulter_join(&fa);
	long watchdog_ms = watchdog_stop(&wd);
	pthread_join(th, NULL);

	struct stat st;
	if (fstat(r.fd, &st) != 0)
		die_json(3, "fstat after the race failed", errno);
	int data_ok = race_ret == 0 ? race_data_ok(&r) : 1;
	pin_teardown(&p);
	race_cleanup(&r);

	printf("{\"pin\":\"%s\",\"race\":\"%s\",\"index\":%ld,\"pages\":%ld,\"lead_ms\":%ld,"
	       "\"read_start_ns\":%lld,\"read_end_ns\":%lld,\"read_ret\":%ld,\"read_errno\":%d,"
	       "\"race_start_ns\":%lld,\"race_end_ns\":%lld,\"race_ret\":%d,\"race_errno\":%d,"
	       "\"size_before\":%ld,\"size_after\":%lld,\"size_expected\":%ld,\"data_ok\":%s,"
	       "\"map_faults\":%ld,\"map_2m_aligned\":%s,\"unmapped\":%s,\"race_watchdog_ms\":%ld,\"dax\":%s,",
	       pin_s, race_s, index, pages, lead_ms,
	       (long long)(p.start_ns - t0), (long long)(p.end_ns - t0), p.ret, p.err,
	       (long long)(race_start - t0), (long long)(race_end - t0), race_ret, race_errno,
	       pages * DAXLAB_PAGE, (long long)st.st_size, race_expected_size(&r),
	       data_ok ? "true" : "false", daxlab_map_faults, daxlab_map_2m_aligned ? "true" : "false",
	       unmap ? "true" : "false", watchdog_ms,
	       dax == 1 ? "true" : "false");
	if (fault_page >= 0)
		faulter_json(stdout, fault_page, &fa, t0);
	ws_json(stdout, "race_wait", &ws, t0);
	puts("}");
	fflush(stdout);
	if (!unmap)
		munmap(map, (size_t)(pages * DAXLAB_PAGE));
	close(r.fd);
	return 0;
}
