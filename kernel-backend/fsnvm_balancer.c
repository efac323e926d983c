// SPDX-License-Identifier: GPL-2.0
/*
 * The wear balancer thread, one per bound namespace (kcompactd's shape).
 *
 * It sleeps for balance_interval_ms, or until the store path sees that
 * the wear spread may have passed balance_threshold, then runs budgeted
 * steps of the engine's policy (pmem-layout/fsnvm_balance.c) while the
 * policy says it is wanted.  Each step moves at most balance_budget pages
 * and looks at most at balance_scan frames, so the thread yields often.
 */
#define pr_fmt(fmt) FSNVM_NAME ": " fmt

#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>

#include "fsnvm_kernel.h"

/* Built in: frontswap_nvm.NAME; the swap device module's are its own. */
#ifndef MODULE
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX FSNVM_NAME "."
#endif

/*
 * A cold page moves once per `threshold` levels of wear, so the extra
 * writes are about cold_fraction / threshold and cold frames lag the rest
 * by up to `threshold`; a page is first moved only at balance_first_move
 * times that (see below).  bench_core measures the trade-off (the README
 * has the figures of the default, 8).
 */
static unsigned long fsnvm_balance_threshold = 8;

/* 0 would let pages bounce between equally worn frames forever. */
static int fsnvm_threshold_set(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int ret = kstrtoul(val, 0, &v);

	if (ret)
		return ret;
	if (!v)
		return -EINVAL;
	WRITE_ONCE(*(unsigned long *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops fsnvm_threshold_ops = {
	.set = fsnvm_threshold_set,
	.get = param_get_ulong,
};
module_param_cb(balance_threshold, &fsnvm_threshold_ops,
		&fsnvm_balance_threshold, 0644);
MODULE_PARM_DESC(balance_threshold, "Move data off a frame this many writes younger than its destination (default 8)");

/*
 * A page the balancer never moved is moved only at this many times the
 * threshold: pages that fall behind are mostly warm and rewritten soon
 * (pmem-layout/fsnvm_balance.c).  1 moves every laggard at once.
 */
static unsigned int fsnvm_balance_first_move = 12;
module_param_named(balance_first_move, fsnvm_balance_first_move, uint, 0644);
MODULE_PARM_DESC(balance_first_move, "Threshold multiple for a page's first move (default 12)");

/* Wear changes slowly: a page store takes microseconds, a level ~frames. */
static unsigned int fsnvm_balance_interval_ms = 1000;
module_param_named(balance_interval_ms, fsnvm_balance_interval_ms, uint, 0644);
MODULE_PARM_DESC(balance_interval_ms, "Balancer wake-up interval in ms (default 1000)");

/* Moves per step: bounds the time the thread runs before cond_resched(). */
static unsigned int fsnvm_balance_budget = 64;
module_param_named(balance_budget, fsnvm_balance_budget, uint, 0644);
MODULE_PARM_DESC(balance_budget, "Pages moved per balancer step (default 64)");

static unsigned int fsnvm_balance_scan = 8192;
module_param_named(balance_scan, fsnvm_balance_scan, uint, 0644);
MODULE_PARM_DESC(balance_scan, "Frames examined per balancer step (default 8192)");

static void fsnvm_balance_params(struct fsnvm_balance_params *p)
{
	p->threshold = READ_ONCE(fsnvm_balance_threshold);
	p->first_move = max(READ_ONCE(fsnvm_balance_first_move), 1U);
	p->budget = max(READ_ONCE(fsnvm_balance_budget), 1U);
	p->scan = max(READ_ONCE(fsnvm_balance_scan), 16U);
}

static int fsnvm_balancer_fn(void *data)
{
	struct fsnvm_dev *d = data;
	struct fsnvm_balance_params p;

	set_freezable();
	while (!kthread_should_stop()) {
		unsigned int ms = max(READ_ONCE(fsnvm_balance_interval_ms), 10U);

		wait_event_freezable_timeout(d->balance_wait,
					     kthread_should_stop() ||
					     READ_ONCE(d->balance_kick),
					     msecs_to_jiffies(ms));
		WRITE_ONCE(d->balance_kick, false);
		fsnvm_balance_params(&p);
		while (!kthread_should_stop() &&
		       fsnvm_balance_wanted(d->engine, &p)) {
			unsigned int moved;
			int id;

			if (!fsnvm_dev_enter(d, &id))
				break;	/* the namespace is gone */
			moved = fsnvm_balance_step(d->engine, &p);
			fsnvm_dev_exit(id);
			if (!moved)
				break;
			cond_resched();
		}
	}
	return 0;
}

int fsnvm_balancer_start(struct fsnvm_dev *d)
{
	d->balancer = kthread_run(fsnvm_balancer_fn, d, "fsnvm_balancer");
	if (IS_ERR(d->balancer)) {
		int ret = PTR_ERR(d->balancer);

		d->balancer = NULL;
		pr_err("cannot start the balancer thread: %d\n", ret);
		return ret;
	}
	return 0;
}

void fsnvm_balancer_stop(struct fsnvm_dev *d)
{
	if (d->balancer)
		kthread_stop(d->balancer);
	d->balancer = NULL;
}

/* From the store path: cheap, never sleeps. */
void fsnvm_balancer_kick(struct fsnvm_dev *d)
{
	struct fsnvm_balance_params p;

	fsnvm_balance_params(&p);
	if (fsnvm_balance_wanted(d->engine, &p)) {
		WRITE_ONCE(d->balance_kick, true);
		wake_up_interruptible(&d->balance_wait);
	}
}
