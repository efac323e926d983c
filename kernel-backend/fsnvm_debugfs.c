// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/frontswap_nvm/, not an ABI (sysfs is:
 * fsnvm_sysfs.c).
 *
 * One file per counter (frontswap.rst's failed_stores, loads, succ_stores,
 * invalidates, then the engine's own; fsnvm_stats.c), and `stats`: every
 * counter in one versioned text file, which fsnvmctl stats reads when the
 * kernel has no sysfs directory:
 *
 *   frontswap-nvm-stats 2
 *   device /dev/pmem0            (or "-" when unbound)
 *   succ_stores 1234
 *   ...
 *
 * Lines are "name value"; new names may be added, existing ones keep their
 * meaning; a change of meaning bumps the version (1 counted events per
 * binding).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "fsnvm_kernel.h"

#define FSNVM_STATS_VERSION 2

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

static int fsnvm_stats_show(struct seq_file *m, void *v)
{
	char path[FSNVM_PATH_MAX] = "-";
	struct fsnvm_stats s;
	bool bound, gone = false;
	unsigned int i;

	bound = fsnvm_snapshot(&s, path, sizeof(path), &gone);
	seq_printf(m, "frontswap-nvm-stats %d\n", FSNVM_STATS_VERSION);
	seq_printf(m, "device %s\n", path);
	for (i = 0; i < fsnvm_nr_counters; i++)
		seq_printf(m, "%s %llu\n", fsnvm_counters[i].name,
			   fsnvm_counter_value(&s, i));
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
	struct dentry *dir = debugfs_create_dir(FSNVM_NAME, NULL);
	unsigned int i;

	for (i = 0; i < fsnvm_nr_counters; i++)
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
