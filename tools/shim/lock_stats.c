// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's lock, counted (fsnvm_platform.h, FSNVM_LOCK_STATS): only
 * bench_core links this.  Counting is per thread so that it adds no shared
 * cache line of its own to what it measures.  The engine never holds two
 * of its locks at once, so one start time per thread is enough.
 */
#include <x86intrin.h>

#include "fsnvm_platform.h"

bool fsnvm_lock_stats_on;
_Thread_local struct fsnvm_lock_stats fsnvm_lock_stats;
static _Thread_local u64 fsnvm_lock_since;

void fsnvm_lock_counted(spinlock_t *l)
{
	if (!READ_ONCE(fsnvm_lock_stats_on)) {
		pthread_spin_lock(&l->lock);
		fsnvm_lock_owned(l, true);
		fsnvm_lock_since = 0;
		return;
	}
	if (pthread_spin_trylock(&l->lock)) {
		fsnvm_lock_stats.found_held++;
		pthread_spin_lock(&l->lock);
	}
	fsnvm_lock_owned(l, true);
	fsnvm_lock_stats.acquired++;
	fsnvm_lock_since = __rdtsc();
}

void fsnvm_unlock_counted(spinlock_t *l)
{
	if (fsnvm_lock_since)
		fsnvm_lock_stats.held_ticks += __rdtsc() - fsnvm_lock_since;
	fsnvm_lock_owned(l, false);
	pthread_spin_unlock(&l->lock);
}
