/* Proof of blocking: while a racing call runs, a sampler thread reads the kernel's view of
 * the racing thread (its state in /proc/PID/task/TID/stat and its wait channel in
 * /proc/PID/task/TID/wchan) every WS_INTERVAL_MS, and counts each distinct "state wchan"
 * pair with the first and last time it was seen. The host decides from those counts whether
 * the call slept in the layout-break wait (src/workloads/wait-evidence.ts).
 * Header-only (static functions); the including program links -pthread. */
#ifndef DAXLAB_WAIT_SAMPLER_H
#define DAXLAB_WAIT_SAMPLER_H

#include "daxlab-common.h"

#include <sys/syscall.h>

#define WS_INTERVAL_MS 2
#define WS_MAX_CHANS 8

/* One distinct observation: the thread's state letter and its wait channel. */
struct ws_chan {
	char state;
	char wchan[64];
	long count;
	int64_t first_ns, last_ns;
};

/* A sampler of one thread, started before the racing call and stopped after it. */
struct wait_sampler {
	pid_t pid, tid;
	volatile int stop;
	pthread_t th;
	long samples, unreadable, overflow;
	int nchans;
	struct ws_chan chans[WS_MAX_CHANS];
};

/* The calling thread's id, for ws_start on itself from another thread. */
static inline pid_t ws_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* Read /proc/PID/task/TID/<what> into buf (NUL-terminated, trailing newline cut); 0 on success. */
static inline int task_file_read(pid_t pid, pid_t tid, const char *what, char *buf, size_t size)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", (int)pid, (int)tid, what);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

static inline int ws_read(const struct wait_sampler *ws, const char *what, char *buf, size_t size)
{
	return task_file_read(ws->pid, ws->tid, what, buf, size);
}

/* Take one sample and count it. */
static inline void ws_sample(struct wait_sampler *ws)
{
	char stat[512], wchan[64];
	if (ws_read(ws, "stat", stat, sizeof(stat)) != 0 || ws_read(ws, "wchan", wchan, sizeof(wchan)) != 0) {
		ws->unreadable++;
		return;
	}
	const char *paren = strrchr(stat, ')');
	char state = paren && paren[1] == ' ' ? paren[2] : '?';
	int64_t t = now_ns();
	ws->samples++;
	for (int k = 0; k < ws->nchans; k++) {
		struct ws_chan *c = &ws->chans[k];
		if (c->state == state && !strcmp(c->wchan, wchan)) {
			c->count++;
			c->last_ns = t;
			return;
		}
	}
	if (ws->nchans == WS_MAX_CHANS) {
		ws->overflow++;
		return;
	}
	struct ws_chan *c = &ws->chans[ws->nchans++];
	c->state = state;
	snprintf(c->wchan, sizeof(c->wchan), "%s", wchan);
	c->count = 1;
	c->first_ns = c->last_ns = t;
}

static inline void *ws_thread(void *arg)
{
	struct wait_sampler *ws = arg;
	while (!ws->stop) {
		ws_sample(ws);
		sleep_ms(WS_INTERVAL_MS);
	}
	return NULL;
}

/* Start sampling thread tid of process pid; exits 3 when the thread cannot be created. */
static inline void ws_start(struct wait_sampler *ws, pid_t pid, pid_t tid)
{
	memset(ws, 0, sizeof(*ws));
	ws->pid = pid;
	ws->tid = tid;
	start_thread(&ws->th, ws_thread, ws, "pthread_create (wait sampler) failed");
}

/* Stop sampling and wait for the sampler thread. */
static inline void ws_stop(struct wait_sampler *ws)
{
	ws->stop = 1;
	pthread_join(ws->th, NULL);
}

/* Print the samples as the JSON member "<name>":{...}; times are relative to t0. */
static inline void ws_json(FILE *f, const char *name, const struct wait_sampler *ws, int64_t t0)
{
	fprintf(f, "\"%s\":{\"interval_ms\":%d,\"samples\":%ld,\"unreadable\":%ld,\"overflow\":%ld,\"chans\":[",
		name, WS_INTERVAL_MS, ws->samples, ws->unreadable, ws->overflow);
	for (int k = 0; k < ws->nchans; k++) {
		const struct ws_chan *c = &ws->chans[k];
		char state[2] = { c->state, '\0' };
		fprintf(f, "%s{\"state\":", k ? "," : "");
		json_str(f, state);
		fputs(",\"wchan\":", f);
		json_str(f, c->wchan);
		fprintf(f, ",\"n\":%ld,\"first_ns\":%lld,\"last_ns\":%lld}", c->count,
			(long long)(c->first_ns - t0), (long long)(c->last_ns - t0));
	}
	fputs("]}", f);
}

#endif
