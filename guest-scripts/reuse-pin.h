/* The pinning read of pinreuse and its data patterns. Header-only; the
 * including program links -luring and -pthread.
 *
 * iopoll: an io_uring READ on an IORING_SETUP_IOPOLL ring, polled only after
 *   hold_ms. null_blk copies a request's data when it processes the request,
 *   and it processes a request on its poll queue only when polled (null_poll),
 *   so the copy into the page lands late, as a real device's DMA would.
 *   liburing 2.3's io_uring_submit() passes IORING_ENTER_GETEVENTS on IOPOLL
 *   rings, which polls at once, so submission writes the SQ tail itself.
 * pread: the timer-delayed pread. null_blk copies at submission (queue_rq) and
 *   only delays the completion, so this pin can never show stale data. */
#ifndef DAXLAB_REUSE_PIN_H
#define DAXLAB_REUSE_PIN_H

#include "daxlab-common.h"

#include <liburing.h>
#include <semaphore.h>

/* One pinning read into page. */
struct reuse_pin {
	int iopoll, devfd;
	long hold_ms;
	void *page;
	struct io_uring ring;
	sem_t submitted;
	int64_t start_ns, end_ns;
	long ret;
	int err;
};

/* Byte i of the device's first page (pattern B). */
static inline unsigned char b_at(long i) { return (unsigned char)(0x3C ^ (i % 253)); }

/* Byte at off of the second file (pattern C). */
static inline unsigned char c_at(long off) { return (unsigned char)(0xC3 ^ (off / DAXLAB_PAGE) ^ (off % 241)); }

/* Queue a READ of the device's first page into buf without polling; 0 or -errno. */
static inline int reuse_submit(struct reuse_pin *p, void *buf)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
	io_uring_prep_read(sqe, p->devfd, buf, DAXLAB_PAGE, 0);
	unsigned tail = p->ring.sq.sqe_tail;
	p->ring.sq.sqe_head = tail;
	__atomic_store_n(p->ring.sq.ktail, tail, __ATOMIC_RELEASE);
	return io_uring_enter(p->ring.ring_fd, 1, 0, 0, NULL) == 1 ? 0 : -errno;
}

/* Poll for the one completion; its result (bytes or -errno). */
static inline long reuse_reap(struct reuse_pin *p)
{
	struct io_uring_cqe *cqe;
	int w = io_uring_wait_cqe(&p->ring, &cqe);
	if (w < 0)
		return w;
	long res = cqe->res;
	io_uring_cqe_seen(&p->ring, cqe);
	return res;
}

/* One read of the device's first page into buf, the pin's way, at once; bytes or -errno. */
static inline long reuse_read_now(struct reuse_pin *p, void *buf)
{
	if (p->iopoll) {
		int e = reuse_submit(p, buf);
		return e < 0 ? e : reuse_reap(p);
	}
	ssize_t n = pread(p->devfd, buf, DAXLAB_PAGE, 0);
	return n < 0 ? -errno : n;
}

/* Open the delay device (O_RDWR|O_DIRECT), set up the IOPOLL ring for an iopoll pin, write
 * pattern B to the device's first page and read it back the pin's way into buf. Returns 1 when
 * the read gave B back; exits 3 when the device cannot be set up. */
static inline int reuse_pin_open(struct reuse_pin *p, const char *dev, unsigned char *buf)
{
	p->devfd = open(dev, O_RDWR | O_DIRECT);
	if (p->devfd < 0)
		die_json(3, "cannot open the delay device O_RDWR|O_DIRECT", errno);
	int e = p->iopoll ? io_uring_queue_init(4, &p->ring, IORING_SETUP_IOPOLL) : 0;
	if (e < 0)
		die_json(3, "io_uring_queue_init(IOPOLL) failed", -e);
	for (long i = 0; i < DAXLAB_PAGE; i++)
		buf[i] = b_at(i);
	if (pwrite(p->devfd, buf, DAXLAB_PAGE, 0) != DAXLAB_PAGE)
		die_json(3, "cannot write the pattern to the delay device", errno);
	memset(buf, 0, DAXLAB_PAGE);
	long ctl = reuse_read_now(p, buf);
	if (ctl != DAXLAB_PAGE)
		die_json(3, p->iopoll ? "control read on the IOPOLL ring failed (does the device have a poll queue?)"
				      : "control read of the delay device failed", ctl < 0 ? (int)-ctl : 0);
	int ok = 1;
	for (long i = 0; i < DAXLAB_PAGE; i++)
		ok &= buf[i] == b_at(i);
	if (sem_init(&p->submitted, 0, 0) != 0)
		die_json(3, "sem_init failed", errno);
	return ok;
}

/* True when buf holds pattern B (the device's first page). */
static inline int is_b_page(const unsigned char *buf)
{
	for (long i = 0; i < DAXLAB_PAGE; i++)
		if (buf[i] != b_at(i))
			return 0;
	return 1;
}

static inline void reuse_done(struct reuse_pin *p, long res)
{
	p->ret = res < 0 ? -1 : res;
	p->err = res < 0 ? (int)-res : 0;
	/* Last, and atomic: a watchdog thread polls it (reuse_end_ns). */
	__atomic_store_n(&p->end_ns, now_ns(), __ATOMIC_RELEASE);
}

/* When the pinning read completed, or 0 while it is in flight (a pin_end_fn). */
static inline int64_t reuse_end_ns(void *ctx)
{
	return __atomic_load_n(&((struct reuse_pin *)ctx)->end_ns, __ATOMIC_ACQUIRE);
}

/* Thread body: submit (announced through p->submitted), hold, complete. */
static inline void *reuse_pin_thread(void *arg)
{
	struct reuse_pin *p = arg;
	p->start_ns = now_ns();
	if (p->iopoll) {
		int e = reuse_submit(p, p->page);
		sem_post(&p->submitted);
		if (e < 0) {
			reuse_done(p, e);
			return NULL;
		}
		sleep_ms(p->hold_ms);
		reuse_done(p, reuse_reap(p));
	} else {
		sem_post(&p->submitted);
		ssize_t n = pread(p->devfd, p->page, DAXLAB_PAGE, 0);
		reuse_done(p, n < 0 ? -errno : n);
	}
	return NULL;
}

#endif
