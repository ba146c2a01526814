/* daxcheck: prove that new files in DIR really are DAX. Creates a file, writes
 * one page, statx()es it for STATX_ATTR_DAX, removes it.
 *
 * Usage: daxcheck DIR
 * Output: {"dax":true,"attributes":"0x200000","attributes_mask":"0x..."}
 * Exit: 0 DAX, 1 not DAX, 2 usage error, 3 setup failure (JSON line with "error"). */
#define _GNU_SOURCE
#include "daxlab-common.h"

int main(int argc, char **argv)
{
	if (argc != 2)
		die_json(2, "usage: daxcheck DIR", 0);
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/.daxcheck.%ld", argv[1], (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(path))
		die_json(2, "DIR is too long", 0);

	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die_json(3, "cannot create a file in DIR", errno);
	unsigned char buf[DAXLAB_PAGE];
	memset(buf, 0xa5, sizeof(buf));
	if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) || fsync(fd) != 0) {
		int e = errno;
		unlink(path);
		die_json(3, "cannot write a page", e);
	}
	uint64_t attrs = 0, mask = 0;
	int dax = statx_dax(path, &attrs, &mask);
	int e = errno;
	close(fd);
	unlink(path);
	if (dax < 0)
		die_json(3, "statx failed", e);
	printf("{\"dax\":%s,\"attributes\":\"0x%llx\",\"attributes_mask\":\"0x%llx\"}\n",
	       dax ? "true" : "false", (unsigned long long)attrs, (unsigned long long)mask);
	return dax ? 0 : 1;
}
