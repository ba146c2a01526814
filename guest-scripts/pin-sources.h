/* The ways pinrace pins a page of the DAX mapping: one slow O_DIRECT I/O on a
 * delayed-completion block device whose user buffer is (or includes) the page.
 * Header-only (static functions); the including program links -luring and
 * -pthread. A "read" pin is a DMA into the page, a "write" pin a DMA out of it. */
#ifndef DAXLAB_PIN_SOURCES_H
#define DAXLAB_PIN_SOURCES_H

#include "daxlab-common.h"

#include <linux/aio_abi.h>
#include <liburing.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <sys/uio.h>

enum pin_kind { PIN_PREAD, PIN_URING, PIN_PWRITE, PIN_PREADV, PIN_URING_WRITE, PIN_AIO, PIN_COUNT };

static const char *const PIN_NAMES[PIN_COUNT] = {
	"pread", "io_uring", "pwrite", "preadv", "io_uring_write", "aio",
};

/* One pinning I/O and what became of it. */
struct pinner {
	enum pin_kind kind;
	int devfd;
	void *page;    /* the DAX page */
	void *anon;    /* preadv: the anonymous first iovec */
	struct io_uring ring;
	aio_context_t aio;
	sem_t about_to_submit;
	int64_t start_ns, end_ns;
	long ret;
	int err;
};

/* The pin kind called s; returns -1 when there is none. */
static inline int pin_parse(const char *s)
{
	return name_index(PIN_NAMES, PIN_COUNT, s);
}

/* True when the I/O reads from the page (DMA out of it) instead of into it. */
static inline int pin_is_write(enum pin_kind k)
{
	return k == PIN_PWRITE || k == PIN_URING_WRITE;
}

/* Bytes the pinning I/O transfers when it succeeds. */
static inline long pin_bytes(enum pin_kind k)
{
	return k == PIN_PREADV ? 2 * DAXLAB_PAGE : DAXLAB_PAGE;
}

/* The device offset whose data a read pin puts into the DAX page. */
static inline long pin_dev_offset(enum pin_kind k)
{
	return k == PIN_PREADV ? DAXLAB_PAGE : 0;
}

/* Open the device and set up the submission machinery; exits 3 on failure. */
static inline void pin_setup(struct pinner *p, const char *dev, void *page)
{
	p->page = page;
	p->devfd = open(dev, (pin_is_write(p->kind) ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (p->devfd < 0)
		die_json(3, "cannot open the delay device O_DIRECT", errno);
	if (p->kind == PIN_URING || p->kind == PIN_URING_WRITE) {
		int e = io_uring_queue_init(4, &p->ring, 0);
		if (e < 0)
			die_json(3, "io_uring_queue_init failed", -e);
	} else if (p->kind == PIN_AIO) {
		if (syscall(SYS_io_setup, 4, &p->aio) != 0)
			die_json(3, "io_setup failed", errno);
	} else if (p->kind == PIN_PREADV) {
		p->anon = anon_page();
	}
	if (sem_init(&p->about_to_submit, 0, 0) != 0)
		die_json(3, "sem_init failed", errno);
}

/* Record a syscall-style result: n >= 0 bytes, or -1 with errno. */
static inline void pin_done(struct pinner *p, long n, int err)
{
	p->ret = n < 0 ? -1 : n;
	p->err = n < 0 ? err : 0;
	/* Last, and atomic: a watchdog thread polls it (pinner_end_ns). */
	__atomic_store_n(&p->end_ns, now_ns(), __ATOMIC_RELEASE);
}

/* When the pin's I/O completed (its pages released), or 0 while it is in flight (a pin_end_fn). */
static inline int64_t pinner_end_ns(void *ctx)
{
	return __atomic_load_n(&((struct pinner *)ctx)->end_ns, __ATOMIC_ACQUIRE);
}

/* io_uring READ into, or WRITE from, the page; waits for its completion. */
static inline void pin_uring(struct pinner *p)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
	if (p->kind == PIN_URING_WRITE)
		io_uring_prep_write(sqe, p->devfd, p->page, DAXLAB_PAGE, 0);
	else
		io_uring_prep_read(sqe, p->devfd, p->page, DAXLAB_PAGE, 0);
	p->start_ns = now_ns();
	int s = io_uring_submit(&p->ring);
	struct io_uring_cqe *cqe = NULL;
	int w = s < 0 ? s : io_uring_wait_cqe(&p->ring, &cqe);
	if (w < 0) {
		pin_done(p, -1, -w);
		return;
	}
	int res = cqe->res;
	io_uring_cqe_seen(&p->ring, cqe);
	pin_done(p, res < 0 ? -1 : res, -res);
}

/* Linux AIO (raw io_submit/io_getevents, no libaio) READ into the page. */
static inline void pin_aio(struct pinner *p)
{
	struct iocb cb = { 0 };
	struct iocb *cbs[1] = { &cb };
	struct io_event ev = { 0 };
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_fildes = (uint32_t)p->devfd;
	cb.aio_buf = (uint64_t)(uintptr_t)p->page;
	cb.aio_nbytes = DAXLAB_PAGE;
	p->start_ns = now_ns();
	if (syscall(SYS_io_submit, p->aio, 1L, cbs) != 1) {
		pin_done(p, -1, errno);
		return;
	}
	long n;
	while ((n = syscall(SYS_io_getevents, p->aio, 1L, 1L, &ev, NULL)) < 0 && errno == EINTR)
		;
	if (n != 1)
		pin_done(p, -1, errno);
	else
		pin_done(p, ev.res < 0 ? -1 : (long)ev.res, (int)-ev.res);
}

/* Thread body: announce, then the one pinning I/O. */
static inline void *pin_thread(void *arg)
{
	struct pinner *p = arg;
	sem_post(&p->about_to_submit);
	ssize_t n;
	switch (p->kind) {
	case PIN_URING:
	case PIN_URING_WRITE:
		pin_uring(p);
		return NULL;
	case PIN_AIO:
		pin_aio(p);
		return NULL;
	case PIN_PREADV: {
		struct iovec iov[2] = {
			{ .iov_base = p->anon, .iov_len = DAXLAB_PAGE },
			{ .iov_base = p->page, .iov_len = DAXLAB_PAGE },
		};
		p->start_ns = now_ns();
		n = preadv(p->devfd, iov, 2, 0);
		break;
	}
	case PIN_PWRITE:
		p->start_ns = now_ns();
		n = pwrite(p->devfd, p->page, DAXLAB_PAGE, 0);
		break;
	default:
		p->start_ns = now_ns();
		n = pread(p->devfd, p->page, DAXLAB_PAGE, 0);
		break;
	}
	pin_done(p, n, errno);
	return NULL;
}

/* What the page holds once the pin I/O is done, into out: a write leaves it
 * alone; a read leaves whatever the device delivers into a buffer that held the
 * page's bytes (null_blk without memory_backed delivers nothing). A read costs
 * one device delay. Exits 3 on failure. */
static inline void pin_predict_page(const struct pinner *p, unsigned char *out)
{
	memcpy(out, p->page, DAXLAB_PAGE);
	if (pin_is_write(p->kind))
		return;
	unsigned char *b = anon_page();
	memcpy(b, p->page, DAXLAB_PAGE);
	if (pread(p->devfd, b, DAXLAB_PAGE, pin_dev_offset(p->kind)) != DAXLAB_PAGE)
		die_json(3, "cannot read the delay device to predict the pinned page", errno);
	memcpy(out, b, DAXLAB_PAGE);
	munmap(b, DAXLAB_PAGE);
}

/* Release the device and the submission machinery. */
static inline void pin_teardown(struct pinner *p)
{
	if (p->kind == PIN_URING || p->kind == PIN_URING_WRITE)
		io_uring_queue_exit(&p->ring);
	else if (p->kind == PIN_AIO)
		syscall(SYS_io_destroy, p->aio);
	else if (p->kind == PIN_PREADV)
		munmap(p->anon, DAXLAB_PAGE);
	close(p->devfd);
}

#endif
