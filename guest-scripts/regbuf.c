/* regbuf: try IORING_REGISTER_BUFFERS on a buffer inside a MAP_SHARED mapping of
 * a DAX file (a long-term pin, which fsdax must refuse with -EOPNOTSUPP), and, as
 * a control, on anonymous memory (which must succeed).
 *
 * Usage: regbuf --file PATH --pages N
 * Output: {"dax_ret":-95,"anon_ret":0,"dax":true}
 * Exit: 0 ran, 2 usage error, 3 setup failure (JSON line with "error"). */
#define _GNU_SOURCE
#include "daxlab-common.h"

#include <getopt.h>
#include <liburing.h>
#include <sys/uio.h>

/* Register one buffer on a fresh ring; returns 0 or -errno. */
static int try_register(void *base, size_t len)
{
	struct io_uring ring;
	int e = io_uring_queue_init(4, &ring, 0);
	if (e < 0)
		die_json(3, "io_uring_queue_init failed", -e);
	struct iovec iov = { .iov_base = base, .iov_len = len };
	int ret = io_uring_register_buffers(&ring, &iov, 1);
	if (ret == 0)
		io_uring_unregister_buffers(&ring);
	io_uring_queue_exit(&ring);
	return ret;
}

int main(int argc, char **argv)
{
	const char *file = NULL;
	long pages = 4;
	static const struct option opts[] = {
		{ "file", required_argument, 0, 'f' },
		{ "pages", required_argument, 0, 'n' },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			file = optarg;
		else if (c == 'n')
			pages = parse_count(optarg);
		else
			die_json(2, "usage: regbuf --file PATH --pages N", 0);
	}
	if (!file || optind != argc)
		die_json(2, "usage: regbuf --file PATH --pages N", 0);
	if (pages_index_error(pages, 0))
		die_json(2, pages_index_error(pages, 0), 0);

	unsigned char *map;
	int fd = prepare_file(file, pages, &map);
	int dax = statx_dax(file, NULL, NULL);
	if (dax < 0)
		die_json(3, "statx failed", errno);
	size_t len = (size_t)(pages * DAXLAB_PAGE);
	int dax_ret = try_register(map, len);

	void *anon = anon_page();
	memset(anon, 0x5a, DAXLAB_PAGE);
	int anon_ret = try_register(anon, DAXLAB_PAGE);

	printf("{\"dax_ret\":%d,\"anon_ret\":%d,\"dax\":%s}\n", dax_ret, anon_ret,
	       dax ? "true" : "false");
	fflush(stdout);
	munmap(anon, DAXLAB_PAGE);
	munmap(map, len);
	close(fd);
	return 0;
}
