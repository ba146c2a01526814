/* pinsignal: pin page 5 of a 16-page DAX file mapping with a slow O_DIRECT
 * pread from a delayed-completion block device, call ftruncate(fd, 0) from a
 * second thread while the read is in flight, and send that thread SIGALRM
 * (pthread_kill) while the truncate waits for the pin. The SIGALRM handler is
 * installed without SA_RESTART (--mode eintr) or with it (--mode restart).
 * Prints what happened as one JSON line; the judging is done by daxlab.
 *
 * Usage: pinsignal --file PATH --mode eintr|restart --dev /dev/nullbX
 *                  [--lead-ms M] [--signal-ms S]
 * Exit: 0 ran (whatever the kernel did), 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "pin-sources.h"

#include <getopt.h>
#include <liburing.h> /* pin-sources.h uses it: named here so daxlab links -luring */
#include <pthread.h>
#include <signal.h>

#define PS_PAGES 16L
#define PS_INDEX 5L

static volatile int64_t handled_ns = -1;

/* SIGALRM handler: note when the truncating thread first handled it. */
static void on_alarm(int sig)
{
	(void)sig;
	if (handled_ns < 0)
		handled_ns = now_ns(); /* clock_gettime is async-signal-safe */
}

/* The truncating thread's call and what it saw when the call returned. */
struct truncer {
	int fd;
	sem_t started;
	int64_t start_ns, end_ns;
	int ret, err;
	long long size_at_return;
};

/* Thread body: announce, ftruncate(fd, 0), then note the size it left. */
static void *trunc_thread(void *arg)
{
	struct truncer *t = arg;
	sem_post(&t->started);
	t->start_ns = now_ns();
	t->ret = ftruncate(t->fd, 0);
	t->err = t->ret ? errno : 0;
	t->end_ns = now_ns();
	struct stat st;
	t->size_at_return = fstat(t->fd, &st) == 0 ? (long long)st.st_size : -1;
	return NULL;
}

static void usage(const char *msg)
{
	fprintf(stderr, "pinsignal: %s\nusage: pinsignal --file PATH --mode eintr|restart "
		"--dev DEV [--lead-ms M] [--signal-ms S]\n", msg);
	die_json(2, msg, 0);
}

int main(int argc, char **argv)
{
	int64_t t0 = now_ns();
	const char *file = NULL, *dev = NULL, *mode = NULL;
	long lead_ms = 100, signal_ms = 100;
	static const struct option opts[] = {
		{ "file", required_argument, 0, 'f' }, { "mode", required_argument, 0, 'm' },
		{ "dev", required_argument, 0, 'd' }, { "lead-ms", required_argument, 0, 'l' },
		{ "signal-ms", required_argument, 0, 's' }, { 0, 0, 0, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'm': mode = optarg; break;
		case 'd': dev = optarg; break;
		case 'l': lead_ms = parse_count(optarg); break;
		case 's': signal_ms = parse_count(optarg); break;
		default: usage("unknown option");
		}
	}
	if (optind != argc)
		usage("unexpected argument");
	if (!file || !dev || !mode)
		usage("--file, --mode and --dev are required");
	if (strcmp(mode, "eintr") && strcmp(mode, "restart"))
		usage("--mode must be eintr or restart");
	if (lead_ms < 0 || lead_ms > 60000 || signal_ms < 0 || signal_ms > 60000)
		usage("--lead-ms and --signal-ms must be integers from 0 to 60000");

	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = strcmp(mode, "restart") ? 0 : SA_RESTART;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		die_json(3, "sigaction failed", errno);

	unsigned char *map;
	int fd = prepare_file(file, PS_PAGES, &map);
	int dax = require_dax(file);
	struct pinner p = { .kind = PIN_PREAD };
	pin_setup(&p, dev, map + PS_INDEX * DAXLAB_PAGE);
	struct truncer t = { .fd = fd };
	if (sem_init(&t.started, 0, 0) != 0)
		die_json(3, "sem_init failed", errno);
	pthread_t reader, truncer;
	start_and_wait(&reader, pin_thread, &p, &p.about_to_submit, lead_ms);
	start_and_wait(&truncer, trunc_thread, &t, &t.started, signal_ms);
	int64_t signal_ns = now_ns();
	int e = pthread_kill(truncer, SIGALRM);
	if (e && e != ESRCH) /* ESRCH: the truncate is already over; handled_ns stays -1 */
		die_json(3, "pthread_kill failed", e);
	pthread_join(truncer, NULL);
	pthread_join(reader, NULL);
	pin_teardown(&p);
	struct stat st;
	if (fstat(fd, &st) != 0)
		die_json(3, "fstat after the race failed", errno);
	int64_t handled = handled_ns;

	printf("{\"mode\":\"%s\",\"index\":%ld,\"pages\":%ld,\"lead_ms\":%ld,\"signal_ms\":%ld,"
	       "\"read_start_ns\":%lld,\"read_end_ns\":%lld,\"read_ret\":%ld,\"read_errno\":%d,"
	       "\"trunc_start_ns\":%lld,\"trunc_end_ns\":%lld,\"trunc_ret\":%d,\"trunc_errno\":%d,"
	       "\"signal_ns\":%lld,\"handled_ns\":%lld,\"size_before\":%ld,"
	       "\"size_at_return\":%lld,\"size_after\":%lld,\"dax\":%s}\n",
	       mode, PS_INDEX, PS_PAGES, lead_ms, signal_ms,
	       (long long)(p.start_ns - t0), (long long)(p.end_ns - t0), p.ret, p.err,
	       (long long)(t.start_ns - t0), (long long)(t.end_ns - t0), t.ret, t.err,
	       (long long)(signal_ns - t0), (long long)(handled < 0 ? -1 : handled - t0),
	       PS_PAGES * DAXLAB_PAGE, t.size_at_return, (long long)st.st_size,
	       dax == 1 ? "true" : "false");
	fflush(stdout);
	munmap(map, (size_t)(PS_PAGES * DAXLAB_PAGE));
	close(fd);
	return 0;
}
