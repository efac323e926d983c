/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frontswap-nvm in the kernel: what the files of its two front ends share
 * (the frontswap backend, built in; the swap device, swap-device/).
 *
 * One namespace at most is bound at a time per front end.  The bound
 * device lives in fsnvm_dev, published with RCU: the frontswap hooks
 * (some of which run under the swap_info spinlock and must not sleep)
 * read it under rcu_read_lock(); bind and unbind change it under
 * fsnvm_bind_mutex.  The swap device's I/O path reaches it through its
 * disk, which exists only while it is bound.
 *
 * The namespace itself can go away under a bound device (its driver
 * unbound: kill_dax(), then its memory unmapped).  Every access to the
 * media is made inside the dax device's SRCU read section, entered with
 * fsnvm_dev_enter(), which fails once the device is dead; kill_dax()
 * waits for the sections in progress before the memory goes.
 */
#ifndef FSNVM_KERNEL_H
#define FSNVM_KERNEL_H

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/kobject.h>
#include <linux/dax.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "fsnvm_engine.h"

#define FSNVM_PATH_MAX 128

/* Where the front end's ABI lives (fsnvm_sysfs.c). */
#ifdef FSNVM_SWAPDEV
#define FSNVM_SYSFS_DIR "/sys/kernel/" FSNVM_NAME
#else
#define FSNVM_SYSFS_DIR "/sys/kernel/mm/" FSNVM_NAME
#endif

struct fsnvm_dev {
	struct fsnvm_engine *engine;	/* has its own lock, see fsnvm_engine.h */
	struct block_device *bdev;	/* opened exclusively */
	struct file *bdev_file;		/* from 6.9: what holds bdev open */
	struct dax_device *dax;
	char path[FSNVM_PATH_MAX];
	bool stopping;			/* unbind in progress: refuse stores */
	bool gone;			/* the namespace went away: no media */
	/*
	 * Memory errors reported before the engine serves (during the
	 * bind), applied once it does; failure_lock also orders "serving".
	 */
	spinlock_t failure_lock;
	bool serving;
	unsigned int nr_early;
	struct { u64 off, len; } early[8];
	atomic_t stores_since_kick;	/* racy by design: a wake-up hint */
	struct task_struct *balancer;
	wait_queue_head_t balance_wait;
	bool balance_kick;
};

/* The bound device or NULL; RCU-protected, written under fsnvm_bind_mutex. */
extern struct fsnvm_dev __rcu *fsnvm_dev;
extern struct mutex fsnvm_bind_mutex;
/* Stores refused because nothing is bound (a racy counter). */
extern atomic64_t fsnvm_refused_unbound;
/* fsnvm_stats.c: the counters sysfs and debugfs show, in their order. */
struct fsnvm_counter {
	const char *name;
	size_t offset;		/* in struct fsnvm_stats */
	bool event;		/* counts since boot, across bindings */
};

extern const struct fsnvm_counter fsnvm_counters[];
extern const unsigned int fsnvm_nr_counters;
u64 fsnvm_counter_value(const struct fsnvm_stats *s, unsigned int i);
/* Held by the unbind while it adds its events to the since-boot ones. */
extern spinlock_t fsnvm_past_lock;
void fsnvm_stats_keep(struct fsnvm_stats *s);
/*
 * Events since boot, the bound engine's gauges; false when unbound.
 * path gets the bound device's (may be NULL); *gone: the bound namespace
 * went away (may be NULL).
 */
bool fsnvm_snapshot(struct fsnvm_stats *s, char *path, size_t len, bool *gone);
/* Least wear of any usable frame: a scan, so not a counter. */
u64 fsnvm_wear_min(void);

/* fsnvm_namespace.c: open a namespace for an engine, close it */
struct fsnvm_dev *fsnvm_ns_open(const char *path, enum fsnvm_recover_mode mode,
				bool quiet_missing);
void fsnvm_ns_close(struct fsnvm_dev *d);
void fsnvm_dev_gone(struct fsnvm_dev *d);
/* The CPU hotplug "dead" callback of both front ends. */
int fsnvm_cpu_dead(unsigned int cpu);
/* The bound device's path, or "" when none is. */
ssize_t fsnvm_device_show(char *buf);

/* The front end's bind (fsnvm_bind.c, or the swap device's) */
void fsnvm_bind_init(bool registered);
/* Bind the device at path, or unbind when it is empty; 0 or -errno. */
int fsnvm_device_write(const char *path);

/*
 * Enter the dax device's SRCU read section before touching the media;
 * false (and no section to leave) once the namespace is gone.
 */
static inline bool fsnvm_dev_enter(struct fsnvm_dev *d, int *id)
{
	*id = dax_read_lock();
	if (likely(dax_alive(d->dax)))
		return true;
	dax_read_unlock(*id);
	fsnvm_dev_gone(d);
	return false;
}

static inline void fsnvm_dev_exit(int id)
{
	dax_read_unlock(id);
}

/* fsnvm_balancer.c */
int fsnvm_balancer_start(struct fsnvm_dev *d);
void fsnvm_balancer_stop(struct fsnvm_dev *d);
void fsnvm_balancer_kick(struct fsnvm_dev *d);

/* fsnvm_debugfs.c */
void fsnvm_debugfs_init(void);

/* fsnvm_sysfs.c: FSNVM_SYSFS_DIR, under parent */
int fsnvm_sysfs_init(struct kobject *parent);
void fsnvm_sysfs_exit(void);

/* fsnvm_inplace.c, the benchmark's in-place wear (inplace_wear=1) */
struct dentry;
void fsnvm_inplace_init(unsigned int type);
void fsnvm_inplace_count(unsigned int type, pgoff_t offset);
void fsnvm_inplace_debugfs(struct dentry *dir);

/* fsnvm_provoke.c, test kernels only (CONFIG_FRONTSWAP_NVM_PROVOKE) */
void fsnvm_provoke_init(struct dentry *dir);

#endif /* FSNVM_KERNEL_H */
