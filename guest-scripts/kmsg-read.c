/* kmsg-read: print the kernel log records whose sequence number is FROM or later, read from
 * /dev/kmsg, so that the host scans every record of a boot exactly once.
 *
 * Usage: kmsg-read FROM
 * Output: a header line, then one line per record as /dev/kmsg gives it, without its
 * continuation (KEY=VALUE) lines:
 *   KMSG from=FROM first=S next=N lost=L
 *   <prio>,<seq>,<usec>,<flags>;<message>
 * first is the sequence number of the first record read (-1 when none), next the number to
 * pass as FROM next time, lost the number of records at or after FROM that the ring buffer
 * overwrote before they could be read (0 when nothing was lost).
 * Exit: 0 read, 2 usage error, 3 /dev/kmsg could not be opened or read. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD_MAX 16384

/* The sequence number in a record header "prio,seq,usec,flags;...", or -1. */
static long long record_seq(const char *rec)
{
	const char *comma = strchr(rec, ',');
	if (!comma)
		return -1;
	char *end;
	long long seq = strtoll(comma + 1, &end, 10);
	return end != comma + 1 && *end == ',' ? seq : -1;
}

int main(int argc, char **argv)
{
	char *end;
	if (argc != 2 || !*argv[1]) {
		fprintf(stderr, "usage: kmsg-read FROM\n");
		return 2;
	}
	long long from = strtoll(argv[1], &end, 10);
	if (*end || from < 0) {
		fprintf(stderr, "kmsg-read: FROM must be a non-negative integer, got '%s'\n", argv[1]);
		return 2;
	}
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "kmsg-read: cannot open /dev/kmsg: %s\n", strerror(errno));
		return 3;
	}
	static char rec[RECORD_MAX + 1];
	/* Records are buffered so that the header (with the lost count) comes first. */
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	long long first = -1, expect = from, lost = 0;
	for (;;) {
		ssize_t n = read(fd, rec, RECORD_MAX);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten while reading: the next read resumes at the oldest record */
		if ((n < 0 && errno == EAGAIN) || n == 0)
			break; /* EAGAIN: no more records; 0: not /dev/kmsg at all (e.g. bound over) */
		if (n < 0) {
			fprintf(stderr, "kmsg-read: reading /dev/kmsg failed: %s\n", strerror(errno));
			return 3;
		}
		rec[n] = '\0';
		long long seq = record_seq(rec);
		if (seq < 0 || seq < from)
			continue;
		if (first < 0)
			first = seq;
		if (seq > expect)
			lost += seq - expect;
		expect = seq + 1;
		char *nl = strchr(rec, '\n');
		size_t l = nl ? (size_t)(nl - rec) : (size_t)n;
		if (len + l + 2 > cap) {
			while (len + l + 2 > cap)
				cap *= 2;
			out = realloc(out, cap);
		}
		if (!out) {
			fprintf(stderr, "kmsg-read: out of memory\n");
			return 3;
		}
		memcpy(out + len, rec, l);
		len += l;
		out[len++] = '\n';
	}
	printf("KMSG from=%lld first=%lld next=%lld lost=%lld\n", from, first, expect, lost);
	fwrite(out, 1, len, stdout);
	return fflush(stdout) == 0 ? 0 : 3;
}
