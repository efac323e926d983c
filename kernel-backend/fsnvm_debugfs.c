// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/frontswap_nvm/
 *
 * One file per counter (frontswap.rst's failed_stores, loads, succ_stores,
 * invalidates, then the engine's own), and `stats`: every counter in one
 * versioned text file for `fsnvmctl stats`:
 *
 *   frontswap-nvm-stats 2
 *   device /dev/pmem0            (or "-" when unbound)
 *   succ_stores 1234
 *   ...
 *
 * Event counters (stores, loads, refusals, errors, migrations, ...) count
 * since boot, like frontswap's and zswap's: an unbind adds the engine's to
 * fsnvm_past.  The others (frames, wear) describe the namespace bound now,
 * 0 when none is.  Lines are "name value"; new names may be added, existing
 * ones keep their meaning; a change of meaning bumps the version (1 counted
 * events per binding).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/stddef.h>

#include "fsnvm_kernel.h"

#define FSNVM_STATS_VERSION 2

static const struct {
	const char *name;
	size_t offset;
	bool event;		/* counts since boot, across bindings */
} fsnvm_counters[] = {
#define E(field) { #field, offsetof(struct fsnvm_stats, field), true }
#define G(field) { #field, offsetof(struct fsnvm_stats, field), false }
	E(succ_stores), E(failed_stores), E(loads), E(invalidates),
	E(failed_loads), E(invalidate_areas), E(same_filled),
	E(duplicate_stores), E(refused_full), E(refused_range),
	E(load_errors), E(crc_errors), E(frames_retired), E(migrations),
	E(balancer_runs), E(data_writes), G(wear_max), G(wear_sum),
	G(frames_total), G(frames_used), G(frames_free), G(frames_bad),
	G(pages_filled), E(frames_poisoned), G(pages_lost),
#undef E
#undef G
};

/*
 * The event counters of the bindings before this one.  The lock also makes
 * an unbind's "add to fsnvm_past, unpublish" one step for the readers, so
 * a counter never goes back.  Taken before an engine's lock.
 */
DEFINE_SPINLOCK(fsnvm_past_lock);
static struct fsnvm_stats fsnvm_past;	/* protected by fsnvm_past_lock */

static u64 *fsnvm_field(struct fsnvm_stats *s, unsigned int i)
{
	return (u64 *)((char *)s + fsnvm_counters[i].offset);
}

/* Called with fsnvm_past_lock held by the unbind, just before unpublish. */
void fsnvm_stats_keep(struct fsnvm_stats *s)
{
	unsigned int i;

	lockdep_assert_held(&fsnvm_past_lock);
	for (i = 0; i < ARRAY_SIZE(fsnvm_counters); i++)
		if (fsnvm_counters[i].event)
			*fsnvm_field(&fsnvm_past, i) += *fsnvm_field(s, i);
}

/*
 * Events since boot, the bound engine's gauges; false when unbound.
 * *gone: the bound namespace went away (may be NULL).
 */
static bool fsnvm_snapshot(struct fsnvm_stats *s, char *path, size_t len,
			   bool *gone)
{
	struct fsnvm_stats now;
	struct fsnvm_dev *d;
	unsigned int i;

	memset(&now, 0, sizeof(now));
	spin_lock(&fsnvm_past_lock);
	*s = fsnvm_past;
	rcu_read_lock();
	d = rcu_dereference(fsnvm_dev);
	if (d) {
		fsnvm_get_stats(d->engine, &now);
		if (path)
			strscpy(path, d->path, len);
		if (gone)
			*gone = READ_ONCE(d->gone);
	}
	rcu_read_unlock();
	spin_unlock(&fsnvm_past_lock);
	for (i = 0; i < ARRAY_SIZE(fsnvm_counters); i++)
		*fsnvm_field(s, i) = (fsnvm_counters[i].event ?
				      *fsnvm_field(s, i) : 0) +
				     *fsnvm_field(&now, i);
	return d;
}

static int fsnvm_counter_get(void *data, u64 *val)
{
	struct fsnvm_stats s;

	fsnvm_snapshot(&s, NULL, 0, NULL);
	*val = *(u64 *)((char *)&s + (size_t)data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fsnvm_counter_fops, fsnvm_counter_get, NULL, "%llu\n");

static int fsnvm_refused_unbound_get(void *data, u64 *val)
{
	*val = atomic64_read(&fsnvm_refused_unbound);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fsnvm_refused_unbound_fops, fsnvm_refused_unbound_get,
			 NULL, "%llu\n");

/* Least wear of any usable frame: a scan, so only here, not a counter. */
static u64 fsnvm_wear_min(void)
{
	struct fsnvm_dev *d;
	u64 f, min = 0;
	int id;

	mutex_lock(&fsnvm_bind_mutex);
	d = rcu_dereference_protected(fsnvm_dev, lockdep_is_held(&fsnvm_bind_mutex));
	if (d && fsnvm_dev_enter(d, &id)) {
		min = U64_MAX;
		for (f = 0; f < d->engine->geo.nr_frames; f++) {
			if (fsnvm_fstate(d->engine, f) != FSNVM_FS_BAD)
				min = min_t(u64, min, fsnvm_entry_wear(d->engine, f));
			cond_resched();
		}
		if (min == U64_MAX)
			min = 0;
		fsnvm_dev_exit(id);
	}
	mutex_unlock(&fsnvm_bind_mutex);
	return min;
}

static int fsnvm_stats_show(struct seq_file *m, void *v)
{
	char path[FSNVM_PATH_MAX] = "-";
	struct fsnvm_stats s;
	bool bound, gone = false;
	unsigned int i;

	bound = fsnvm_snapshot(&s, path, sizeof(path), &gone);
	seq_printf(m, "frontswap-nvm-stats %d\n", FSNVM_STATS_VERSION);
	seq_printf(m, "device %s\n", path);
	for (i = 0; i < ARRAY_SIZE(fsnvm_counters); i++)
		seq_printf(m, "%s %llu\n", fsnvm_counters[i].name,
			   *fsnvm_field(&s, i));
	seq_printf(m, "refused_unbound %lld\n",
		   (long long)atomic64_read(&fsnvm_refused_unbound));
	seq_printf(m, "wear_min %llu\n", bound ? fsnvm_wear_min() : 0);
	seq_printf(m, "wear_mean %llu\n",
		   s.frames_total ? div64_u64(s.wear_sum, s.frames_total) : 0);
	seq_printf(m, "device_gone %d\n", gone);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsnvm_stats);

void fsnvm_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("frontswap_nvm", NULL);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fsnvm_counters); i++)
		debugfs_create_file_unsafe(fsnvm_counters[i].name, 0444, dir,
					   (void *)fsnvm_counters[i].offset,
					   &fsnvm_counter_fops);
	debugfs_create_file_unsafe("refused_unbound", 0444, dir, NULL,
				   &fsnvm_refused_unbound_fops);
	debugfs_create_file("stats", 0444, dir, NULL, &fsnvm_stats_fops);
	fsnvm_inplace_debugfs(dir);
	if (IS_ENABLED(CONFIG_FRONTSWAP_NVM_PROVOKE))
		fsnvm_provoke_init(dir);
}
