/* A page fault during the layout-break wait. A thread waits until the racing thread is seen
 * asleep in the layout-break wait (its wait channel in /proc/PID/task/TID/wchan), then reads one
 * byte of another page of the file's mapping and times that access. By then the busy-page scan
 * has unmapped the whole file, so the read takes a page fault, and a DAX fault takes the
 * filesystem's fault lock shared (ext4: the mapping's invalidate_lock; xfs: MMAPLOCK). The
 * waiter holds that lock exclusive, and drops it while it sleeps (ext4_wait_dax_page(),
 * xfs_wait_dax_page()), so the fault must complete while the pin is still held.
 * Header-only; the including program links -pthread. */
#ifndef DAXLAB_FAULTER_H
#define DAXLAB_FAULTER_H

#include "daxlab-common.h"
#include "wait-sampler.h"

/* Ends the wait for the racer: when the pin's I/O completed (0 while in flight). */
typedef int64_t (*faulter_end_fn)(void *ctx);

struct faulter {
	pid_t pid, tid; /* the racing thread */
	const volatile unsigned char *addr;
	faulter_end_fn pin_end;
	void *ctx;
	pthread_t th;
	int seen;         /* the racer was seen in the layout-break wait before the pin ended */
	int64_t start_ns; /* the access, in now_ns() time; 0 when it never ran */
	int64_t end_ns;
	long minflt;      /* minor faults this thread took during the access */
	unsigned char byte;
};

/* Whether a wait channel is the layout-break wait (as LAYOUT_WAIT in src/workloads/wait-evidence.ts). */
static inline int faulter_layout_wchan(const char *w)
{
	return strstr(w, "wait_dax_page") || (strstr(w, "break") && strstr(w, "layout"));
}

static inline long faulter_minflt(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_minflt : -1;
}

static inline void *faulter_thread(void *arg)
{
	struct faulter *f = arg;
	char w[64];
	while (!f->pin_end(f->ctx)) {
		if (task_file_read(f->pid, f->tid, "wchan", w, sizeof(w)) == 0 && faulter_layout_wchan(w)) {
			f->seen = 1;
			break;
		}
		sleep_ms(1);
	}
	if (!f->seen)
		return NULL;
	long before = faulter_minflt();
	f->start_ns = now_ns();
	f->byte = *f->addr;
	f->end_ns = now_ns();
	f->minflt = faulter_minflt() - before;
	return NULL;
}

/* Start watching racer tid of process pid; the access reads addr. Exits 3 when the thread cannot start. */
static inline void faulter_start(struct faulter *f, pid_t pid, pid_t tid, const volatile unsigned char *addr,
				 faulter_end_fn pin_end, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->pid = pid;
	f->tid = tid;
	f->addr = addr;
	f->pin_end = pin_end;
	f->ctx = ctx;
	start_thread(&f->th, faulter_thread, f, "pthread_create (faulter) failed");
}

/* Wait for the faulter (it ends by itself once the pin ended or its access returned). */
static inline void faulter_join(struct faulter *f)
{
	pthread_join(f->th, NULL);
}

/* Print the JSON members of the access; times are relative to t0. */
static inline void faulter_json(FILE *out, long page, const struct faulter *f, int64_t t0)
{
	fprintf(out, "\"fault_page\":%ld,\"fault_seen_wait\":%s,\"fault_start_ns\":%lld,\"fault_end_ns\":%lld,\"fault_minflt\":%ld,",
		page, f->seen ? "true" : "false", (long long)(f->start_ns ? f->start_ns - t0 : -1),
		(long long)(f->end_ns ? f->end_ns - t0 : -1), f->minflt);
}

#endif
