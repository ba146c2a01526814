/* pinrace: pin one page of a DAX file mapping with a slow O_DIRECT read from a
 * delayed-completion block device, and race ftruncate or a hole punch against
 * that in-flight read. Prints one JSON line; the judging is done by daxlab.
 *
 * Usage: pinrace --file PATH --pages N --index I --pin pread|io_uring
 *                --race truncate|punch --dev /dev/nullbX [--lead-ms M]
 * Exit: 0 ran (whatever the kernel did), 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"

#include <getopt.h>
#include <liburing.h>
#include <pthread.h>
#include <semaphore.h>

enum pin_kind { PIN_PREAD, PIN_URING };
enum race_kind { RACE_TRUNCATE, RACE_PUNCH };

struct reader {
	enum pin_kind pin;
	int devfd;
	void *buf;
	struct io_uring ring;
	sem_t about_to_submit;
	int64_t start_ns, end_ns;
	long ret;
	int err;
};

static int64_t t0;

static void usage(const char *msg)
{
	fprintf(stderr, "pinrace: %s\nusage: pinrace --file PATH --pages N --index I "
		"--pin pread|io_uring --race truncate|punch --dev DEV [--lead-ms M]\n", msg);
	die_json(2, msg, 0);
}

/* The reader: announce, then one O_DIRECT read of a page into the mapping. */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	sem_post(&r->about_to_submit);
	if (r->pin == PIN_PREAD) {
		r->start_ns = now_ns();
		ssize_t n = pread(r->devfd, r->buf, DAXLAB_PAGE, 0);
		r->end_ns = now_ns();
		r->ret = n;
		r->err = n < 0 ? errno : 0;
		return NULL;
	}
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);
	io_uring_prep_read(sqe, r->devfd, r->buf, DAXLAB_PAGE, 0);
	r->start_ns = now_ns();
	int s = io_uring_submit(&r->ring);
	struct io_uring_cqe *cqe = NULL;
	int w = s < 0 ? s : io_uring_wait_cqe(&r->ring, &cqe);
	r->end_ns = now_ns();
	if (w < 0) {
		r->ret = -1;
		r->err = -w;
	} else {
		r->ret = cqe->res < 0 ? -1 : cqe->res;
		r->err = cqe->res < 0 ? -cqe->res : 0;
		io_uring_cqe_seen(&r->ring, cqe);
	}
	return NULL;
}

/* True when the whole file range reads back as zeros through the page cache path. */
static int reads_back_zero(int fd, long pages)
{
	unsigned char buf[DAXLAB_PAGE];
	for (long p = 0; p < pages; p++) {
		if (pread(fd, buf, DAXLAB_PAGE, p * DAXLAB_PAGE) != DAXLAB_PAGE)
			return 0;
		for (long i = 0; i < DAXLAB_PAGE; i++)
			if (buf[i])
				return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	t0 = now_ns();
	const char *file = NULL, *dev = NULL, *pin_s = NULL, *race_s = NULL;
	long pages = -1, index = -1, lead_ms = 100;
	static const struct option opts[] = {
		{ "file", required_argument, 0, 'f' }, { "pages", required_argument, 0, 'n' },
		{ "index", required_argument, 0, 'i' }, { "pin", required_argument, 0, 'p' },
		{ "race", required_argument, 0, 'r' }, { "dev", required_argument, 0, 'd' },
		{ "lead-ms", required_argument, 0, 'l' }, { 0, 0, 0, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'n': pages = parse_count(optarg); break;
		case 'i': index = parse_count(optarg); break;
		case 'p': pin_s = optarg; break;
		case 'r': race_s = optarg; break;
		case 'd': dev = optarg; break;
		case 'l': lead_ms = parse_count(optarg); break;
		default: usage("unknown option");
		}
	}
	if (optind != argc)
		usage("unexpected argument");
	if (!file || !dev || !pin_s || !race_s)
		usage("--file, --pages, --index, --pin, --race and --dev are required");
	if (pages < 1 || pages > 65536)
		usage("--pages must be an integer from 1 to 65536");
	if (index < 0 || index >= pages)
		usage("--index must be an integer below --pages");
	if (lead_ms < 0 || lead_ms > 60000)
		usage("--lead-ms must be an integer from 0 to 60000");
	struct reader r = { 0 };
	if (!strcmp(pin_s, "pread"))
		r.pin = PIN_PREAD;
	else if (!strcmp(pin_s, "io_uring"))
		r.pin = PIN_URING;
	else
		usage("--pin must be pread or io_uring");
	enum race_kind race;
	if (!strcmp(race_s, "truncate"))
		race = RACE_TRUNCATE;
	else if (!strcmp(race_s, "punch"))
		race = RACE_PUNCH;
	else
		usage("--race must be truncate or punch");

	unsigned char *map;
	int fd = prepare_file(file, pages, &map);
	int dax = statx_dax(file, NULL, NULL);
#ifndef DAXLAB_ALLOW_NON_DAX /* defined only by daxlab's host smoke test */
	if (dax != 1) {
		puts("{\"error\":\"file is not DAX\",\"dax\":false}");
		return 3;
	}
#endif
	r.devfd = open(dev, O_RDONLY | O_DIRECT);
	if (r.devfd < 0)
		die_json(3, "cannot open the delay device O_DIRECT", errno);
	r.buf = map + index * DAXLAB_PAGE;
	if (r.pin == PIN_URING) {
		int e = io_uring_queue_init(4, &r.ring, 0);
		if (e < 0)
			die_json(3, "io_uring_queue_init failed", -e);
	}
	if (sem_init(&r.about_to_submit, 0, 0) != 0)
		die_json(3, "sem_init failed", errno);
	pthread_t th;
	int e = pthread_create(&th, NULL, reader_main, &r);
	if (e)
		die_json(3, "pthread_create failed", e);
	while (sem_wait(&r.about_to_submit) != 0 && errno == EINTR)
		;
	struct timespec lead = { lead_ms / 1000, (lead_ms % 1000) * 1000000L };
	while (nanosleep(&lead, &lead) != 0 && errno == EINTR)
		;

	int64_t race_start = now_ns();
	int race_ret = race == RACE_TRUNCATE
		? ftruncate(fd, 0)
		: fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, pages * DAXLAB_PAGE);
	int race_errno = race_ret ? errno : 0;
	int64_t race_end = now_ns();
	pthread_join(th, NULL);

	struct stat st;
	if (fstat(fd, &st) != 0)
		die_json(3, "fstat after the race failed", errno);
	int data_ok = race == RACE_PUNCH ? reads_back_zero(fd, pages) : 1;
	if (r.pin == PIN_URING)
		io_uring_queue_exit(&r.ring);

	printf("{\"pin\":\"%s\",\"race\":\"%s\",\"index\":%ld,\"pages\":%ld,\"lead_ms\":%ld,"
	       "\"read_start_ns\":%lld,\"read_end_ns\":%lld,\"read_ret\":%ld,\"read_errno\":%d,"
	       "\"race_start_ns\":%lld,\"race_end_ns\":%lld,\"race_ret\":%d,\"race_errno\":%d,"
	       "\"size_before\":%ld,\"size_after\":%lld,\"data_ok\":%s,\"dax\":%s}\n",
	       pin_s, race_s, index, pages, lead_ms,
	       (long long)(r.start_ns - t0), (long long)(r.end_ns - t0), r.ret, r.err,
	       (long long)(race_start - t0), (long long)(race_end - t0), race_ret, race_errno,
	       pages * DAXLAB_PAGE, (long long)st.st_size, data_ok ? "true" : "false",
	       dax == 1 ? "true" : "false");
	fflush(stdout);
	munmap(map, (size_t)(pages * DAXLAB_PAGE));
	close(r.devfd);
	close(fd);
	return 0;
}
