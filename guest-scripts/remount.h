/* remount.h: unmount the filesystem under a path and mount it again as it was
 * (same source, type and dax=always), for workloads that umount mid-case. */
#ifndef DAXLAB_REMOUNT_H
#define DAXLAB_REMOUNT_H

#include "daxlab-common.h"
#include <sys/mount.h>

/* Where a mount point's filesystem comes from. */
struct mount_src {
	char source[256], fstype[32];
};

/* Fill m from /proc/self/mountinfo for mount point mnt; 0 on success, -1 when not mounted. */
static inline int mount_source(const char *mnt, struct mount_src *m)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return -1;
	char line[1024], point[512], fstype[32], source[256];
	int found = -1;
	while (fgets(line, sizeof(line), f)) {
		/* id parent major:minor root mountpoint options [optional...] - fstype source superopts */
		if (sscanf(line, "%*s %*s %*s %*s %511s", point) != 1 || strcmp(point, mnt))
			continue;
		const char *dash = strstr(line, " - ");
		if (dash && sscanf(dash, " - %31s %255s", fstype, source) == 2) {
			snprintf(m->fstype, sizeof(m->fstype), "%s", fstype);
			snprintf(m->source, sizeof(m->source), "%s", source);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* Mount m at mnt again with dax=always, as setup-fs.sh does. */
static inline int remount_dax(const char *mnt, const struct mount_src *m)
{
	return mount(m->source, mnt, m->fstype, 0, "dax=always");
}

#endif
