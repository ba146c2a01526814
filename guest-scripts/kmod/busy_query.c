// SPDX-License-Identifier: GPL-2.0
/*
 * daxlab_busy: ask the kernel under test, from user space, what its own DAX busy-page scan finds.
 *
 * Built out of tree against the tree under test (daxlab builds it with the kernel) and loaded in
 * the guest by the busyrange program. It registers the misc device /dev/daxlab-busy, whose one
 * ioctl (DAXLAB_BUSY_QUERY, daxlab-busy.h) takes an fd of a DAX file and a byte range, calls
 * dax_layout_busy_page_range(mapping, start, end) -- or dax_layout_busy_page(mapping) for the
 * whole file -- with the locks the filesystems hold when they call it (i_rwsem and the mapping's
 * invalidate_lock, both exclusive), and returns the busy page it got: its pfn and file index.
 * A second ioctl (DAXLAB_BUSY_LOCKED, busy_locked.c) asks the same while one DAX entry is locked.
 * The caller holds pins; the module only asks. It changes nothing but what the scan itself does
 * (unmapping the range from user page tables).
 */
#include <linux/dax.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/uaccess.h>

#include "daxlab-busy.h"
#include "busy.h"

/* Ask the scan about q's range of file's mapping, with the locks ext4 and xfs hold for it. */
long daxlab_busy_ask_file(struct file *file, struct daxlab_busy_query *q)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = file->f_mapping;
	struct page *page;

	if (!IS_DAX(inode))
		return -EOPNOTSUPP;
	inode_lock(inode);
	filemap_invalidate_lock(mapping);
	q->mapped = mapping_mapped(mapping) ? 1 : 0;
	if (q->whole)
		page = dax_layout_busy_page(mapping);
	else
		page = dax_layout_busy_page_range(mapping, q->start, q->end);
	q->found = page ? 1 : 0;
	q->pfn = page ? page_to_pfn(page) : 0;
	q->index = page ? (__s64)page->index : -1;
	filemap_invalidate_unlock(mapping);
	inode_unlock(inode);
	return 0;
}

static long daxlab_busy_ask(struct daxlab_busy_query *q)
{
	struct file *file = fget(q->fd);
	long ret;

	if (!file)
		return -EBADF;
	ret = daxlab_busy_ask_file(file, q);
	fput(file);
	return ret;
}

static long daxlab_busy_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct daxlab_busy_query q;
	long ret;

	if (cmd == DAXLAB_BUSY_LOCKED)
		return daxlab_busy_locked_ioctl((void __user *)arg);
	if (cmd != DAXLAB_BUSY_QUERY)
		return -ENOTTY;
	if (copy_from_user(&q, (void __user *)arg, sizeof(q)))
		return -EFAULT;
	if (q.start < 0 || q.end < q.start)
		return -EINVAL;
	ret = daxlab_busy_ask(&q);
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &q, sizeof(q)) ? -EFAULT : 0;
}

static const struct file_operations daxlab_busy_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = daxlab_busy_ioctl,
};

static struct miscdevice daxlab_busy_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DAXLAB_BUSY_DEVICE,
	.fops = &daxlab_busy_fops,
	.mode = 0600,
};

static int __init daxlab_busy_init(void)
{
	return misc_register(&daxlab_busy_dev);
}

static void __exit daxlab_busy_exit(void)
{
	misc_deregister(&daxlab_busy_dev);
}

module_init(daxlab_busy_init);
module_exit(daxlab_busy_exit);
MODULE_DESCRIPTION("daxlab: query the DAX busy-page scan of the kernel under test");
MODULE_LICENSE("GPL");
