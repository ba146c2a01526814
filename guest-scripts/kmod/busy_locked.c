// SPDX-License-Identifier: GPL-2.0
/*
 * DAXLAB_BUSY_LOCKED: the busy-page scan, asked while one DAX entry of the file is locked.
 *
 * A fault in progress (grab_mapping_entry()), writeback of the entry (dax_writeback_one()) and
 * memory-failure handling (dax_lock_folio()) hold a DAX entry locked: a bit in its xarray value
 * (DAX_LOCKED in fs/dax.c). dax_layout_busy_page_range() must wait for a locked entry
 * (get_unlocked_entry()) and then check its page, not skip it: a skipped entry whose page is
 * pinned lets a truncate free blocks that DMA still targets.
 *
 * The module locks the entry as dax_lock_entry() does (fs/dax.c keeps its lock helpers private),
 * runs the query in a kernel thread, and after hold_ms records whether the query returned (it
 * must not) and whether it sleeps uninterruptibly (as get_unlocked_entry() does). It then
 * unlocks the entry and wakes its waiters the one way open to a module: another scan of that
 * page, which wakes the next waiter of each entry it passes (put_unlocked_entry(.., WAKE_NEXT)).
 */
#include <linux/completion.h>
#include <linux/dax.h>
#include <linux/file.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/kthread.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "busy.h"

/* fs/dax.c: value bits of a DAX entry (unchanged since v4.19). */
#define DAXLAB_DAX_LOCKED (1UL << 0)
#define DAXLAB_DAX_ZERO_PAGE (1UL << 2)
#define DAXLAB_DAX_EMPTY (1UL << 3)

struct locked_ask {
	struct file *file;
	struct daxlab_busy_query q;
	long ret;
	struct completion done;
	refcount_t refs; /* the ioctl's and the thread's: the last one frees */
};

static void locked_ask_put(struct locked_ask *a)
{
	if (refcount_dec_and_test(&a->refs)) {
		fput(a->file);
		kfree(a);
	}
}

static int locked_ask_thread(void *data)
{
	struct locked_ask *a = data;

	a->ret = daxlab_busy_ask_file(a->file, &a->q);
	complete(&a->done);
	locked_ask_put(a);
	return 0;
}

/*
 * Set (lock) or clear the lock bit of the data entry at index, as dax_lock_entry() and
 * dax_unlock_entry() store it. 1 when done; 0 when no data entry is there, or it already was so.
 */
static int set_entry_lock(struct address_space *mapping, pgoff_t index, bool lock)
{
	XA_STATE(xas, &mapping->i_pages, index);
	unsigned long v;
	void *entry;
	int done = 0;

	xas_lock_irq(&xas);
	entry = xas_load(&xas);
	if (xa_is_value(entry)) {
		v = xa_to_value(entry);
		if (!(v & (DAXLAB_DAX_ZERO_PAGE | DAXLAB_DAX_EMPTY)) && !!(v & DAXLAB_DAX_LOCKED) != lock) {
			xas_store(&xas, xa_mk_value(lock ? v | DAXLAB_DAX_LOCKED : v & ~DAXLAB_DAX_LOCKED));
			done = 1;
		}
	}
	xas_unlock_irq(&xas);
	return done;
}

/* Wake the waiters of the entry at index: a scan of that one page (see the comment on top). */
static void wake_entry_waiters(struct address_space *mapping, pgoff_t index)
{
	loff_t first = (loff_t)index << PAGE_SHIFT;

	dax_layout_busy_page_range(mapping, first, first + PAGE_SIZE - 1);
}

/* Hold the entry locked for hold_ms while the thread asks; then unlock it and see it finish. */
static long hold_and_release(struct locked_ask *a, struct daxlab_busy_locked *l, struct task_struct *t)
{
	struct address_space *mapping = a->file->f_mapping;
	ktime_t unlocked;
	bool done;
	int tries;

	/* A wait that succeeds consumes the completion: done, not completion_done(), remembers it. */
	done = wait_for_completion_timeout(&a->done, msecs_to_jiffies(l->hold_ms)) > 0;
	if (done)
		l->early = 1;
	else
		l->asleep = (READ_ONCE(t->__state) & TASK_UNINTERRUPTIBLE) ? 1 : 0;
	set_entry_lock(mapping, l->lock_index, false);
	unlocked = ktime_get();
	for (tries = 0; tries < 100 && !done; tries++) {
		wake_entry_waiters(mapping, l->lock_index);
		done = wait_for_completion_timeout(&a->done, msecs_to_jiffies(100)) > 0;
	}
	if (!done)
		return -ETIMEDOUT; /* the thread keeps its reference and frees the request when it ends */
	if (!l->early)
		l->wait_ms = ktime_ms_delta(ktime_get(), unlocked);
	l->q = a->q;
	return a->ret;
}

long daxlab_busy_locked_ioctl(void __user *arg)
{
	struct daxlab_busy_locked l;
	struct task_struct *t;
	struct locked_ask *a;
	long ret = 0;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	if (l.lock_index < 0 || l.hold_ms == 0 || l.hold_ms > 10000 ||
	    (!l.q.whole && (l.q.start < 0 || l.q.end < l.q.start)))
		return -EINVAL;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->file = fget(l.q.fd);
	if (!a->file) {
		kfree(a);
		return -EBADF;
	}
	a->q = l.q;
	init_completion(&a->done);
	refcount_set(&a->refs, 1);
	l.early = l.asleep = 0;
	l.wait_ms = -1;
	l.entry_locked = IS_DAX(file_inode(a->file)) ? set_entry_lock(a->file->f_mapping, l.lock_index, true) : 0;
	if (l.entry_locked) {
		t = kthread_create(locked_ask_thread, a, "daxlab-locked");
		if (IS_ERR(t)) {
			set_entry_lock(a->file->f_mapping, l.lock_index, false);
			ret = PTR_ERR(t);
		} else {
			refcount_inc(&a->refs);
			get_task_struct(t);
			wake_up_process(t);
			ret = hold_and_release(a, &l, t);
			put_task_struct(t);
		}
	}
	locked_ask_put(a);
	if (!ret && copy_to_user(arg, &l, sizeof(l)))
		ret = -EFAULT;
	return ret;
}
