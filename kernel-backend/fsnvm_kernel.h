/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frontswap-nvm kernel backend: what its files share.
 *
 * One namespace at most is bound at a time.  The bound device lives in
 * fsnvm_dev, published with RCU: the frontswap hooks (some of which run
 * under the swap_info spinlock and must not sleep) read it under
 * rcu_read_lock(); bind and unbind change it under fsnvm_bind_mutex.
 */
#ifndef FSNVM_KERNEL_H
#define FSNVM_KERNEL_H

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "fsnvm_engine.h"

#define FSNVM_PATH_MAX 128

struct fsnvm_dev {
	struct fsnvm_engine *engine;	/* has its own lock, see fsnvm_engine.h */
	struct block_device *bdev;	/* opened exclusively */
	struct dax_device *dax;
	char path[FSNVM_PATH_MAX];
	bool stopping;			/* unbind in progress: refuse stores */
	atomic_t stores_since_kick;	/* racy by design: a wake-up hint */
	struct task_struct *balancer;
	wait_queue_head_t balance_wait;
	bool balance_kick;
};

/* The bound device or NULL; RCU-protected, written under fsnvm_bind_mutex. */
extern struct fsnvm_dev __rcu *fsnvm_dev;
extern struct mutex fsnvm_bind_mutex;
/* Stores refused because nothing is bound (racy counter, debugfs only). */
extern atomic64_t fsnvm_refused_unbound;
/* Since-boot event counters (fsnvm_debugfs.c). */
extern spinlock_t fsnvm_past_lock;
void fsnvm_stats_keep(struct fsnvm_stats *s);

/* fsnvm_bind.c */
int fsnvm_bind_init(bool registered);

/* fsnvm_balancer.c */
int fsnvm_balancer_start(struct fsnvm_dev *d);
void fsnvm_balancer_stop(struct fsnvm_dev *d);
void fsnvm_balancer_kick(struct fsnvm_dev *d);

/* fsnvm_debugfs.c */
void fsnvm_debugfs_init(void);

#endif /* FSNVM_KERNEL_H */
