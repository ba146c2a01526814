/* pinunlink: pin one page of a DAX file mapping with a slow O_DIRECT pread
 * from a delayed-completion block device, then, while that read is in flight,
 * unlink the file, close its fd and munmap the mapping (legal: the pin holds
 * page references; the last munmap drops the last file reference, so the inode
 * is evicted while the page is still pinned). With --umount it then unmounts
 * the filesystem holding the file, still during the read (the kernel must wait
 * for the pin before the filesystem goes away), and mounts it again after the
 * read. Waits for the read, prints one JSON line. The kernel log, scanned by
 * daxlab for every case, is the main oracle (a WARN in dax_disassociate_entry
 * or "Bad page state"); the umount's return time is the second.
 *
 * Usage: pinunlink --file PATH --pages N --index I --dev /dev/nullbX [--lead-ms M] [--umount]
 * Exit: 0 ran (whatever the kernel did), 2 usage error, 3 setup failure. */
#define _GNU_SOURCE
#include "daxlab-common.h"
#include "pin-sources.h"

#include <getopt.h>
#include <liburing.h> /* pin-sources.h uses it: named here so daxlab links -luring */
#include <libgen.h>
#include <pthread.h>
#include "remount.h"
#include "wait-sampler.h"

static void usage(const char *msg)
{
	fprintf(stderr, "pinunlink: %s\nusage: pinunlink --file PATH --pages N --index I "
		"--dev DEV [--lead-ms M] [--umount]\n", msg);
	die_json(2, msg, 0);
}

/* The time and result of one step: ret, and errno when ret is -1. */
struct step {
	int64_t end_ns;
	int ret, err;
};

/* Record a step's result and end time right after it returned. */
static void record(struct step *s, int ret)
{
	s->ret = ret;
	s->err = ret ? errno : 0;
	s->end_ns = now_ns();
}

int main(int argc, char **argv)
{
	int64_t t0 = now_ns();
	struct pin_args a = { .pages = -1, .index = -1, .lead_ms = 100 };
	int do_umount = 0;
	static const struct option opts[] = { PIN_ARG_OPTIONS, { "umount", no_argument, 0, 'u' }, { 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c == 'u')
			do_umount = 1;
		else if (!pin_arg(&a, c))
			usage("unknown option");
	const char *file = a.file, *dev = a.dev;
	long pages = a.pages, index = a.index, lead_ms = a.lead_ms;
	if (optind != argc)
		usage("unexpected argument");
	if (!file || !dev)
		usage("--file, --pages, --index and --dev are required");
	if (pin_args_error(&a))
		usage(pin_args_error(&a));

	unsigned char *map;
	int fd = prepare_file(file, pages, &map);
	int dax = require_dax(file);
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", file);
	const char *mnt = dirname(dir);
	struct mount_src src;
	if (do_umount && mount_source(mnt, &src) != 0)
		die_json(3, "--umount: the file's directory is not a mount point", 0);
	struct pinner p = { .kind = PIN_PREAD };
	pin_setup(&p, dev, map + index * DAXLAB_PAGE);
	pthread_t th;
	start_and_wait(&th, pin_thread, &p, &p.about_to_submit, lead_ms);

	struct step un, cl, mu;
	int64_t unlink_start = now_ns();
	record(&un, unlink(file));
	record(&cl, close(fd));
	record(&mu, munmap(map, (size_t)(pages * DAXLAB_PAGE)));
	struct step um = { 0 }, rm = { 0 };
	struct wait_sampler ws;
	ws_start(&ws, getpid(), ws_gettid());
	int64_t umount_start = now_ns();
	if (do_umount)
		record(&um, umount2(mnt, 0));
	ws_stop(&ws);
	pthread_join(th, NULL);
	pin_teardown(&p);
	if (do_umount && um.ret == 0)
		record(&rm, remount_dax(mnt, &src));

	printf("{\"index\":%ld,\"pages\":%ld,\"lead_ms\":%ld,"
	       "\"read_start_ns\":%lld,\"read_end_ns\":%lld,\"read_ret\":%ld,\"read_errno\":%d,"
	       "\"unlink_start_ns\":%lld,\"unlink_end_ns\":%lld,\"unlink_ret\":%d,\"unlink_errno\":%d,"
	       "\"close_end_ns\":%lld,\"close_ret\":%d,\"close_errno\":%d,"
	       "\"munmap_end_ns\":%lld,\"munmap_ret\":%d,\"munmap_errno\":%d,\"umount\":%s,"
	       "\"umount_start_ns\":%lld,\"umount_end_ns\":%lld,\"umount_ret\":%d,\"umount_errno\":%d,"
	       "\"remount_ret\":%d,\"remount_errno\":%d,\"dax\":%s,",
	       index, pages, lead_ms,
	       (long long)(p.start_ns - t0), (long long)(p.end_ns - t0), p.ret, p.err,
	       (long long)(unlink_start - t0), (long long)(un.end_ns - t0), un.ret, un.err,
	       (long long)(cl.end_ns - t0), cl.ret, cl.err,
	       (long long)(mu.end_ns - t0), mu.ret, mu.err, do_umount ? "true" : "false",
	       (long long)(umount_start - t0), (long long)(do_umount ? um.end_ns - t0 : 0), um.ret, um.err,
	       rm.ret, rm.err, dax == 1 ? "true" : "false");
	ws_json(stdout, "umount_wait", &ws, t0);
	puts("}");
	fflush(stdout);
	return 0;
}
