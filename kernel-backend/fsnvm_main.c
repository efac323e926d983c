// SPDX-License-Identifier: GPL-2.0
/*
 * frontswap-nvm: a frontswap backend on persistent memory.
 *
 * Pages swapped out are kept in 4 KiB frames of an fsdax pmem namespace
 * instead of being written to the swap device, wear-levelled across the
 * namespace (pmem-layout/fsnvm_engine.c).  The namespace is bound at run
 * time (fsnvm_bind.c); until then every store is refused and goes to the
 * swap device as usual.
 *
 * Linux 6.1's frontswap takes one backend and never lets it go, and zswap
 * registers at late_initcall even when disabled, so this backend is built
 * in and registers at device_initcall.  frontswap_nvm.register=0 on the
 * command line leaves the slot to zswap (for side-by-side comparisons).
 */
#define pr_fmt(fmt) FSNVM_NAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/frontswap.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/moduleparam.h>

#include "fsnvm_kernel.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "frontswap_nvm."

/********************************
 * statistics and tunables
 ********************************/
atomic64_t fsnvm_refused_unbound = ATOMIC64_INIT(0);

static bool fsnvm_register = true;
module_param_named(register, fsnvm_register, bool, 0444);
MODULE_PARM_DESC(register, "Take the frontswap slot at boot (default Y; N leaves it to zswap)");

/*
 * A stored page that cannot be given back (a memory error took its frame,
 * or the namespace went away) fails its load.  Linux 6.1's swap_readpage()
 * then reads the slot from the swap device, which never held this page:
 * the process runs on with whatever the slot held before (zeros or an
 * older page), which the log line and load_errors are the only trace of.
 * With this set the kernel panics instead, as panic_on_oom does for OOM.
 */
static bool fsnvm_panic_on_lost_page;
module_param_named(panic_on_lost_page, fsnvm_panic_on_lost_page, bool, 0644);
MODULE_PARM_DESC(panic_on_lost_page, "Panic rather than let a process run on after its swapped page was lost (default N)");

/* Check whether the balancer is wanted once per this many stores. */
#define FSNVM_KICK_EVERY 1024

/********************************
 * frontswap hooks
 ********************************/
/*
 * swapoff and swapon call this under swapon_mutex, never in atomic
 * context: hold the bind mutex rather than RCU, so the engine can yield
 * between batches of a large area.
 */
static void fsnvm_frontswap_invalidate_area(unsigned int type)
{
	struct fsnvm_dev *d;
	int id;

	mutex_lock(&fsnvm_bind_mutex);
	d = rcu_dereference_protected(fsnvm_dev,
				      lockdep_is_held(&fsnvm_bind_mutex));
	if (d && fsnvm_dev_enter(d, &id)) {
		fsnvm_invalidate_area(d->engine, type);
		fsnvm_dev_exit(id);
	}
	mutex_unlock(&fsnvm_bind_mutex);
}

/* A fresh swapon must not see pages a previous user of the type left. */
static void fsnvm_frontswap_init(unsigned int type)
{
	fsnvm_frontswap_invalidate_area(type);
	fsnvm_inplace_init(type);
}

static int fsnvm_frontswap_store(unsigned int type, pgoff_t offset,
				 struct page *page)
{
	struct fsnvm_dev *d;
	void *src;
	int ret, id;

	fsnvm_inplace_count(type, offset);
	if (PageTransHuge(page))
		return -EINVAL;
	rcu_read_lock();
	d = rcu_dereference(fsnvm_dev);
	if (!d || READ_ONCE(d->stopping) || !fsnvm_dev_enter(d, &id)) {
		rcu_read_unlock();
		atomic64_inc(&fsnvm_refused_unbound);
		return -ENODEV;
	}
	src = kmap_local_page(page);
	ret = fsnvm_store(d->engine, type, offset, src);
	kunmap_local(src);
	fsnvm_dev_exit(id);
	if (atomic_inc_return(&d->stores_since_kick) >= FSNVM_KICK_EVERY) {
		atomic_set(&d->stores_since_kick, 0);
		fsnvm_balancer_kick(d);
	}
	rcu_read_unlock();
	return ret;
}

static int fsnvm_frontswap_load(unsigned int type, pgoff_t offset,
				struct page *page)
{
	struct fsnvm_dev *d;
	void *dst;
	int ret = -ENODEV, id;

	rcu_read_lock();
	d = rcu_dereference(fsnvm_dev);
	if (d && fsnvm_dev_enter(d, &id)) {
		dst = kmap_local_page(page);
		ret = fsnvm_load(d->engine, type, offset, dst);
		kunmap_local(dst);
		fsnvm_dev_exit(id);
	} else if (d) {
		ret = -EIO;	/* gone with the namespace, said at the time */
	}
	rcu_read_unlock();
	if (unlikely(ret == -EIO) && READ_ONCE(fsnvm_panic_on_lost_page))
		panic("frontswap_nvm: page of swap type %u offset %lu lost, panic_on_lost_page is set\n",
		      type, offset);
	return ret;
}

static void fsnvm_frontswap_invalidate_page(unsigned int type, pgoff_t offset)
{
	struct fsnvm_dev *d;
	int id;

	rcu_read_lock();
	d = rcu_dereference(fsnvm_dev);
	if (d && fsnvm_dev_enter(d, &id)) {
		fsnvm_invalidate_page(d->engine, type, offset);
		fsnvm_dev_exit(id);
	}
	rcu_read_unlock();
}

static const struct frontswap_ops fsnvm_frontswap_ops = {
	.init = fsnvm_frontswap_init,
	.store = fsnvm_frontswap_store,
	.load = fsnvm_frontswap_load,
	.invalidate_page = fsnvm_frontswap_invalidate_page,
	.invalidate_area = fsnvm_frontswap_invalidate_area,
};

/********************************
 * init
 ********************************/
/* At device_initcall, before zswap's late_initcall (which registers even
 * when zswap is disabled).
 */
static int __init fsnvm_init(void)
{
	int ret;

	if (!fsnvm_register) {
		pr_info("not registering: frontswap slot left to others\n");
		fsnvm_bind_init(false);
		return 0;
	}
	ret = frontswap_register_ops(&fsnvm_frontswap_ops);
	if (ret) {
		pr_err("frontswap registration failed (%d): another backend holds the slot\n",
		       ret);
		fsnvm_bind_init(false);
		return ret;
	}
	fsnvm_debugfs_init();
	fsnvm_sysfs_init(mm_kobj);	/* without it: bound from the command line only */
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN,
					"mm/frontswap_nvm:dead", NULL,
					fsnvm_cpu_dead);
	if (ret < 0)	/* stashes of offline CPUs then stay stashed */
		pr_warn("no CPU hotplug callback (%d)\n", ret);
	fsnvm_bind_init(true);
	pr_info("registered with frontswap; bind a namespace through /sys/kernel/mm/frontswap_nvm/device\n");
	return 0;
}
device_initcall(fsnvm_init);
