/* pinsignal: pin page 5 of a 16-page DAX file mapping with a slow O_DIRECT
 * pread from a delayed-completion block device, call ftruncate(fd, 0) from a
 * second thread while the read is in flight, and send that thread SIGALRM
 * (pthread_kill) while the truncate waits for the pin. The SIGALRM handler is
 * installed without SA_RESTART (--mode eintr) or with it (--mode restart).
 * --mode kill runs the ftruncate in a child process instead, SIGKILLs it while
 * it waits, reaps it, and then calls ftruncate(fd, 0) itself: the next
 * operation on the file, which must not find anything left locked.
 * Prints what happened as one JSON line; the judging is done by daxlab. A
 * truncate still waiting WATCHDOG_GRACE_MS after the read completed is
 * interrupted with SIGUSR2 (watchdog.h); watchdog_ms says when (-1: never).
 *
 * Usage: pinsignal --file PATH --mode eintr|restart|kill --dev /dev/nullbX
 *                  [--lead-ms M] [--signal-ms S]
 * Exit: 0 ran (whatever the kernel did), 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "pin-sources.h"
#include "wait-sampler.h"
#include "watchdog.h"

#include <getopt.h>
#include <liburing.h> /* pin-sources.h uses it: named here so daxlab links -luring */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

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
	struct wait_sampler ws; /* the thread's own wait, sampled from a sampler thread */
};

/* Thread body: announce, ftruncate(fd, 0), then note the size it left. */
static void *trunc_thread(void *arg)
{
	struct truncer *t = arg;
	ws_start(&t->ws, getpid(), ws_gettid());
	sem_post(&t->started);
	t->start_ns = now_ns();
	t->ret = ftruncate(t->fd, 0);
	t->err = t->ret ? errno : 0;
	t->end_ns = now_ns();
	ws_stop(&t->ws);
	struct stat st;
	t->size_at_return = fstat(t->fd, &st) == 0 ? (long long)st.st_size : -1;
	return NULL;
}

/* --mode kill: what the killed child and the operation after it did. */
struct killed {
	int64_t trunc_start_ns, kill_ns, reaped_ns, next_start_ns, next_end_ns;
	int killed, exit_code, next_ret, next_err;
	long long size_after_kill;
	struct wait_sampler child_ws, next_ws; /* the child's wait until the kill; the next ftruncate's */
	long watchdog_ms;
};

/* Child of --mode kill: wait for "go", say "ready", ftruncate the file to 0 and exit. Only
 * async-signal-safe calls: the parent has other threads. */
static void trunc_child(const char *file, int go, int ready)
{
	char b;
	if (read(go, &b, 1) != 1)
		_exit(3);
	int f = open(file, O_RDWR);
	if (f < 0 || write(ready, "r", 1) != 1)
		_exit(3);
	_exit(ftruncate(f, 0) == 0 ? 0 : 1);
}

/* Parent of --mode kill, with the pin in flight: start the child's ftruncate, SIGKILL it after
 * signal_ms, reap it, then do the next operation on the file (ftruncate to 0) itself. */
static void kill_truncer(pid_t child, int go, int ready, int fd, long signal_ms, int64_t t0, struct pinner *p,
			 struct killed *k)
{
	char b;
	if (write(go, "g", 1) != 1 || read(ready, &b, 1) != 1)
		die_json(3, "the truncating child did not start", errno);
	ws_start(&k->child_ws, child, child);
	k->trunc_start_ns = now_ns() - t0;
	sleep_ms(signal_ms);
	k->kill_ns = now_ns() - t0;
	if (kill(child, SIGKILL) != 0)
		die_json(3, "kill failed", errno);
	int status;
	if (waitpid(child, &status, 0) != child)
		die_json(3, "waitpid failed", errno);
	k->reaped_ns = now_ns() - t0;
	ws_stop(&k->child_ws);
	k->killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	k->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	struct stat st;
	k->size_after_kill = fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
	ws_start(&k->next_ws, getpid(), ws_gettid());
	struct watchdog wd;
	watchdog_start(&wd, pthread_self(), pinner_end_ns, p);
	k->next_start_ns = now_ns() - t0;
	k->next_ret = ftruncate(fd, 0);
	k->next_err = k->next_ret ? errno : 0;
	k->next_end_ns = now_ns() - t0;
	ws_stop(&k->next_ws);
	k->watchdog_ms = watchdog_stop(&wd);
}

static void usage(const char *msg)
{
	fprintf(stderr, "pinsignal: %s\nusage: pinsignal --file PATH --mode eintr|restart|kill "
		"--dev DEV [--lead-ms M] [--signal-ms S]\n", msg);
	die_json(2, msg, 0);
}

/* --mode kill from the pin to the JSON line. The child is forked before the pinning thread
 * starts, so it is a copy of a single-threaded process. */
static int kill_mode(const char *file, int fd, unsigned char *map, int dax, const char *dev,
		     long lead_ms, long signal_ms, int64_t t0)
{
	int go[2], ready[2];
	if (pipe(go) != 0 || pipe(ready) != 0)
		die_json(3, "pipe failed", errno);
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		die_json(3, "fork failed", errno);
	if (child == 0)
		trunc_child(file, go[0], ready[1]);
	struct pinner p = { .kind = PIN_PREAD };
	pin_setup(&p, dev, map + PS_INDEX * DAXLAB_PAGE);
	pthread_t reader;
	start_and_wait(&reader, pin_thread, &p, &p.about_to_submit, lead_ms);
	struct killed k = { 0 };
	kill_truncer(child, go[1], ready[0], fd, signal_ms, t0, &p, &k);
	pthread_join(reader, NULL);
	pin_teardown(&p);
	struct stat st;
	if (fstat(fd, &st) != 0)
		die_json(3, "fstat after the race failed", errno);
	printf("{\"mode\":\"kill\",\"index\":%ld,\"pages\":%ld,\"lead_ms\":%ld,\"signal_ms\":%ld,"
	       "\"read_start_ns\":%lld,\"read_end_ns\":%lld,\"read_ret\":%ld,\"read_errno\":%d,"
	       "\"trunc_start_ns\":%lld,\"kill_ns\":%lld,\"reaped_ns\":%lld,\"child_killed\":%s,"
	       "\"child_exit\":%d,\"size_before\":%ld,\"size_after_kill\":%lld,"
	       "\"next_start_ns\":%lld,\"next_end_ns\":%lld,\"next_ret\":%d,\"next_errno\":%d,"
	       "\"size_after\":%lld,\"watchdog_ms\":%ld,\"dax\":%s,",
	       PS_INDEX, PS_PAGES, lead_ms, signal_ms,
	       (long long)(p.start_ns - t0), (long long)(p.end_ns - t0), p.ret, p.err,
	       (long long)k.trunc_start_ns, (long long)k.kill_ns, (long long)k.reaped_ns,
	       k.killed ? "true" : "false", k.exit_code, PS_PAGES * DAXLAB_PAGE, k.size_after_kill,
	       (long long)k.next_start_ns, (long long)k.next_end_ns, k.next_ret, k.next_err,
	       (long long)st.st_size, k.watchdog_ms, dax == 1 ? "true" : "false");
	ws_json(stdout, "trunc_wait", &k.child_ws, t0);
	putchar(',');
	ws_json(stdout, "next_wait", &k.next_ws, t0);
	puts("}");
	fflush(stdout);
	munmap(map, (size_t)(PS_PAGES * DAXLAB_PAGE));
	close(fd);
	return 0;
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
	if (strcmp(mode, "eintr") && strcmp(mode, "restart") && strcmp(mode, "kill"))
		usage("--mode must be eintr, restart or kill");
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
	if (!strcmp(mode, "kill"))
		return kill_mode(file, fd, map, dax, dev, lead_ms, signal_ms, t0);
	struct pinner p = { .kind = PIN_PREAD };
	pin_setup(&p, dev, map + PS_INDEX * DAXLAB_PAGE);
	struct truncer t = { .fd = fd };
	if (sem_init(&t.started, 0, 0) != 0)
		die_json(3, "sem_init failed", errno);
	pthread_t reader, truncer;
	start_and_wait(&reader, pin_thread, &p, &p.about_to_submit, lead_ms);
	start_and_wait(&truncer, trunc_thread, &t, &t.started, signal_ms);
	struct watchdog wd;
	watchdog_start(&wd, truncer, pinner_end_ns, &p);
	int64_t signal_ns = now_ns();
	int e = pthread_kill(truncer, SIGALRM);
	if (e && e != ESRCH) /* ESRCH: the truncate is already over; handled_ns stays -1 */
		die_json(3, "pthread_kill failed", e);
	pthread_join(truncer, NULL);
	long watchdog_ms = watchdog_stop(&wd);
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
	       "\"size_at_return\":%lld,\"size_after\":%lld,\"watchdog_ms\":%ld,\"dax\":%s,",
	       mode, PS_INDEX, PS_PAGES, lead_ms, signal_ms,
	       (long long)(p.start_ns - t0), (long long)(p.end_ns - t0), p.ret, p.err,
	       (long long)(t.start_ns - t0), (long long)(t.end_ns - t0), t.ret, t.err,
	       (long long)(signal_ns - t0), (long long)(handled < 0 ? -1 : handled - t0),
	       PS_PAGES * DAXLAB_PAGE, t.size_at_return, (long long)st.st_size, watchdog_ms,
	       dax == 1 ? "true" : "false");
	ws_json(stdout, "trunc_wait", &t.ws, t0);
	puts("}");
	fflush(stdout);
	munmap(map, (size_t)(PS_PAGES * DAXLAB_PAGE));
	close(fd);
	return 0;
}
