/* A watchdog for a call that must wait for a pin to be released (a layout break: truncate,
 * punch, ...). Once the pin's I/O is seen complete, the call gets grace_ms more to return; if it
 * is still in the kernel after that, the watchdog notes how long past the completion it was and
 * interrupts it with SIGUSR2, handled without SA_RESTART so that an interruptible wait returns
 * EINTR, again every 100 ms until the call returns. A kernel that never wakes the wait (a lost
 * wakeup, as 6.1's block layer causes) then gives a verdict, not a hang until the case timeout.
 * Header-only (static functions); the including program links -pthread. */
#ifndef DAXLAB_WATCHDOG_H
#define DAXLAB_WATCHDOG_H

#include "daxlab-common.h"

#include <signal.h>

/* How long a racing call may take after the pin's I/O completed before the watchdog interrupts
 * it: a healthy kernel returns within milliseconds (the README's measured worst lag is ~41 ms). */
#define WATCHDOG_GRACE_MS 2000L

/* Since when no pin has been held (CLOCK_MONOTONIC ns), or 0 while one is held. */
typedef int64_t (*pin_end_fn)(void *ctx);

struct watchdog {
	pthread_t target;   /* the thread making the racing call */
	pin_end_fn pin_end;
	void *ctx;
	long grace_ms;
	int done;           /* set (atomically) once the call returned */
	int64_t fired_ns;   /* when it first interrupted the call, in ns after the pin's end; -1: never */
	pthread_t th;
};

static void watchdog_on_signal(int sig)
{
	(void)sig;
}

static void *watchdog_thread(void *arg)
{
	struct watchdog *w = arg;
	while (!__atomic_load_n(&w->done, __ATOMIC_ACQUIRE)) {
		int64_t end = w->pin_end(w->ctx), now = now_ns();
		if (end == 0 || now - end < w->grace_ms * 1000000LL) {
			sleep_ms(5);
			continue;
		}
		if (w->fired_ns < 0)
			w->fired_ns = now - end;
		pthread_kill(w->target, SIGUSR2);
		sleep_ms(100);
	}
	return NULL;
}

/* Start watching the racing call of thread target (pthread_self() for the caller's own next
 * call); exits 3 when the watchdog cannot be set up. */
static inline void watchdog_start(struct watchdog *w, pthread_t target, pin_end_fn pin_end, void *ctx)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = watchdog_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the interrupted wait returns EINTR */
	if (sigaction(SIGUSR2, &sa, NULL) != 0)
		die_json(3, "sigaction(SIGUSR2) for the watchdog failed", errno);
	w->target = target;
	w->pin_end = pin_end;
	w->ctx = ctx;
	w->grace_ms = WATCHDOG_GRACE_MS;
	w->done = 0;
	w->fired_ns = -1;
	int e = pthread_create(&w->th, NULL, watchdog_thread, w);
	if (e)
		die_json(3, "pthread_create for the watchdog failed", e);
}

/* The call returned: stop watching. Returns how long after the pin's end the watchdog first
 * interrupted it, in whole ms, or -1 when it never had to. */
static inline long watchdog_stop(struct watchdog *w)
{
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	pthread_join(w->th, NULL);
	return w->fired_ns < 0 ? -1 : (long)(w->fired_ns / 1000000);
}

#endif
