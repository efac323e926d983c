// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's counters, as sysfs (the ABI, fsnvm_sysfs.c) and debugfs
 * (frontswap's traditional files and the versioned `stats` file,
 * fsnvm_debugfs.c) show them.
 *
 * Event counters (stores, loads, refusals, errors, migrations, ...) count
 * since boot, like frontswap's and zswap's: an unbind adds the engine's to
 * fsnvm_past.  The others (frames, wear) describe the namespace bound now,
 * 0 when none is.
 */
#include <linux/stddef.h>

#include "fsnvm_kernel.h"

const struct fsnvm_counter fsnvm_counters[] = {
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

const unsigned int fsnvm_nr_counters = ARRAY_SIZE(fsnvm_counters);

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

u64 fsnvm_counter_value(const struct fsnvm_stats *s, unsigned int i)
{
	return *(const u64 *)((const char *)s + fsnvm_counters[i].offset);
}

/* Called by the unbind just before it unpublishes the engine. */
void fsnvm_stats_keep(struct fsnvm_stats *s)
{
	unsigned int i;

	lockdep_assert_held(&fsnvm_past_lock);
	for (i = 0; i < ARRAY_SIZE(fsnvm_counters); i++)
		if (fsnvm_counters[i].event)
			*fsnvm_field(&fsnvm_past, i) += *fsnvm_field(s, i);
}

bool fsnvm_snapshot(struct fsnvm_stats *s, char *path, size_t len, bool *gone)
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

u64 fsnvm_wear_min(void)
{
	struct fsnvm_dev *d;
	u64 f, min = 0;
	int id;

	mutex_lock(&fsnvm_bind_mutex);
	d = rcu_dereference_protected(fsnvm_dev, lockdep_is_held(&fsnvm_bind_mutex));
	if (d && fsnvm_dev_enter(d, &id)) {
		min = U64_MAX;
		for (f = 0; f < fsnvm_engine_geo(d->engine)->nr_frames; f++) {
			if (fsnvm_frame_use(d->engine, f) != FSNVM_FRAME_BAD)
				min = min_t(u64, min, fsnvm_frame_wear(d->engine, f));
			cond_resched();
		}
		if (min == U64_MAX)
			min = 0;
		fsnvm_dev_exit(id);
	}
	mutex_unlock(&fsnvm_bind_mutex);
	return min;
}
