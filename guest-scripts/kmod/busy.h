/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the two ioctls of daxlab_busy.ko. */
#ifndef DAXLAB_KMOD_BUSY_H
#define DAXLAB_KMOD_BUSY_H

#include <linux/fs.h>
#include "daxlab-busy.h"

long daxlab_busy_ask_file(struct file *file, struct daxlab_busy_query *q);
long daxlab_busy_locked_ioctl(void __user *arg);

#endif
