/* fiotrunc: the racing half of fio-race.sh. Waits until a read is in flight on
 * the delay device (the block device's sysfs "inflight" counter), sleeps
 * --lead-ms, then truncates the file to 0 (open O_WRONLY + ftruncate, as
 * coreutils truncate does) and prints one JSON line with CLOCK_MONOTONIC times
 * in absolute nanoseconds, the clock fio's latency log uses with
 * log_alternate_epoch_clock_id=1. A truncate still waiting WATCHDOG_GRACE_MS
 * after the device last had no read in flight is interrupted (watchdog.h);
 * trunc_watchdog_ms says when (-1: never).
 *
 * Usage: fiotrunc --dev DEV --file PATH --pid FIO_PID [--lead-ms M] [--timeout-ms T]
 * Exit: 0 ran, 2 usage error, 3 no read seen (fio exited, or timeout). */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "wait-sampler.h"
#include "watchdog.h"

#include <getopt.h>
#include <sys/sysmacros.h>

/* Reads in flight according to path ("R W"), or -1. */
static long reads_in_flight(const char *path)
{
	FILE *f = fopen(path, "r");
	long r = -1, w = -1;
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &r, &w) != 2)
		r = -1;
	fclose(f);
	return r;
}

/* The device's inflight counter as a pin_end_fn: since when no read has been in flight, 0 while one is. */
struct idle_device {
	const char *inflight;
	int64_t idle_since;
};

static int64_t device_idle_since(void *ctx)
{
	struct idle_device *d = ctx;
	if (reads_in_flight(d->inflight) != 0)
		d->idle_since = 0;
	else if (d->idle_since == 0)
		d->idle_since = now_ns();
	return d->idle_since;
}

/* True while pid exists and is not a zombie. */
static int alive(pid_t pid)
{
	char path[64], state = 0;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int ok = fscanf(f, "%*d %*s %c", &state) == 1 && state != 'Z';
	fclose(f);
	return ok;
}

int main(int argc, char **argv)
{
	const char *dev = NULL, *file = NULL;
	long pid = -1, lead_ms = 100, timeout_ms = 60000;
	static const struct option opts[] = {
		{ "dev", required_argument, 0, 'd' }, { "file", required_argument, 0, 'f' },
		{ "pid", required_argument, 0, 'p' }, { "lead-ms", required_argument, 0, 'l' },
		{ "timeout-ms", required_argument, 0, 't' }, { 0, 0, 0, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dev = optarg; break;
		case 'f': file = optarg; break;
		case 'p': pid = parse_count(optarg); break;
		case 'l': lead_ms = parse_count(optarg); break;
		case 't': timeout_ms = parse_count(optarg); break;
		default: die_json(2, "usage: fiotrunc --dev DEV --file PATH --pid PID [--lead-ms M] [--timeout-ms T]", 0);
		}
	}
	if (optind != argc || !dev || !file || pid < 1 || lead_ms < 0 || lead_ms > 60000 || timeout_ms < 1)
		die_json(2, "usage: fiotrunc --dev DEV --file PATH --pid PID [--lead-ms M] [--timeout-ms T]", 0);
	struct stat st;
	if (stat(dev, &st) != 0 || !S_ISBLK(st.st_mode))
		die_json(3, "--dev is not a block device", errno);
	char inflight[128];
	snprintf(inflight, sizeof inflight, "/sys/dev/block/%u:%u/inflight", major(st.st_rdev), minor(st.st_rdev));
	if (reads_in_flight(inflight) < 0)
		die_json(3, "cannot read the device's inflight counter", errno);

	int64_t deadline = now_ns() + timeout_ms * 1000000LL;
	while (reads_in_flight(inflight) < 1) {
		if (!alive((pid_t)pid))
			die_json(3, "fio exited before a read was in flight", 0);
		if (now_ns() > deadline)
			die_json(3, "no read in flight on the device before the timeout", 0);
		sleep_ms(1);
	}
	int64_t seen = now_ns();
	sleep_ms(lead_ms);

	struct idle_device idle = { .inflight = inflight };
	struct watchdog wd;
	watchdog_start(&wd, pthread_self(), device_idle_since, &idle);
	int fd = open(file, O_WRONLY);
	struct wait_sampler ws;
	ws_start(&ws, getpid(), ws_gettid());
	int64_t start = now_ns();
	int ret = fd < 0 ? -1 : ftruncate(fd, 0);
	int err = ret ? errno : 0;
	int64_t end = now_ns();
	ws_stop(&ws);
	long watchdog_ms = watchdog_stop(&wd);
	long long size = fd >= 0 && fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
	int dax = statx_dax(file, NULL, NULL);
	if (fd >= 0)
		close(fd);
	printf("{\"inflight_seen_ns\":%lld,\"trunc_start_ns\":%lld,\"trunc_end_ns\":%lld,\"trunc_ret\":%d,"
	       "\"trunc_errno\":%d,\"trunc_watchdog_ms\":%ld,\"size_after\":%lld,\"dax\":%s,",
	       (long long)seen, (long long)start, (long long)end, ret, err, watchdog_ms, size, dax == 1 ? "true" : "false");
	ws_json(stdout, "trunc_wait", &ws, 0);
	puts("}");
	return 0;
}
