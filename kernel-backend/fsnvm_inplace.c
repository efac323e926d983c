// SPDX-License-Identifier: GPL-2.0
/*
 * For the guest benchmark only: the wear that swapping in place would put
 * on the pmem.  With frontswap_nvm.inplace_wear=1 on the command line,
 * every page the backend is offered is counted against its swap offset,
 * bound or not, taken or refused: each is one page write to that slot of
 * the swap device.  When the swap device is the pmem namespace itself (the
 * benchmark's swap-on-pmem mode), those are the namespace's real writes,
 * per 4 KiB block.  /sys/kernel/debug/frontswap_nvm/inplace_wear sums up
 * each swap type since its swapon:
 *
 *   type 0 dev 259:0 slots 262144 writes 912345 used 170000 max 31
 *   bin 0 0-1 92144          (bin index, wear range, slots in it)
 *   ...
 *
 * Bins split 0..max into at most FSNVM_INPLACE_BINS of equal width.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/vmalloc.h>

#include "fsnvm_kernel.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "frontswap_nvm."

#define FSNVM_INPLACE_BINS 16

static bool fsnvm_inplace_on;
module_param_named(inplace_wear, fsnvm_inplace_on, bool, 0444);
MODULE_PARM_DESC(inplace_wear, "Benchmark only: count page writes per swap offset (default N)");

struct fsnvm_inplace {
	dev_t dev;		/* the swap device, 0 for a swap file */
	unsigned long slots;
	u32 writes[];
};

/*
 * One array per swap type, replaced only by that type's swapon, when no
 * store to the type can be running; the mutex keeps a reader of the
 * debugfs file off an array being replaced.  Counts are bumped without a
 * lock: swap never writes one slot from two places at once.
 */
static struct fsnvm_inplace *fsnvm_inplace[MAX_SWAPFILES];
static DEFINE_MUTEX(fsnvm_inplace_mutex);

/*
 * At swapon of @type (frontswap's init; may sleep): fresh counts.  The
 * counts a type left at its swapoff stay readable until the next swapon
 * of that type or of the same device.
 */
void fsnvm_inplace_init(unsigned int type)
{
	struct fsnvm_inplace *old[MAX_SWAPFILES] = { NULL }, *new = NULL;
	struct swap_info_struct *si;
	unsigned int t;

	if (!fsnvm_inplace_on || type >= MAX_SWAPFILES)
		return;
	si = swp_swap_info(swp_entry(type, 0));
	if (si)
		new = vzalloc(struct_size(new, writes, si->max));
	if (new) {	/* else no counts for this type: vzalloc warned */
		new->slots = si->max;
		if (si->bdev && S_ISBLK(file_inode(si->swap_file)->i_mode))
			new->dev = si->bdev->bd_dev;
	}
	mutex_lock(&fsnvm_inplace_mutex);
	for (t = 0; t < MAX_SWAPFILES; t++) {
		if (t != type && (!new || !new->dev || !fsnvm_inplace[t] ||
				  fsnvm_inplace[t]->dev != new->dev))
			continue;
		old[t] = fsnvm_inplace[t];
		WRITE_ONCE(fsnvm_inplace[t], NULL);
	}
	WRITE_ONCE(fsnvm_inplace[type], new);
	mutex_unlock(&fsnvm_inplace_mutex);
	for (t = 0; t < MAX_SWAPFILES; t++)
		vfree(old[t]);
}

void fsnvm_inplace_count(unsigned int type, pgoff_t offset)
{
	struct fsnvm_inplace *w;

	if (!fsnvm_inplace_on || type >= MAX_SWAPFILES)
		return;
	w = READ_ONCE(fsnvm_inplace[type]);
	if (w && offset < w->slots)
		WRITE_ONCE(w->writes[offset], w->writes[offset] + 1);
}

static void fsnvm_inplace_type_show(struct seq_file *m, unsigned int type,
				    const struct fsnvm_inplace *w)
{
	u64 bins[FSNVM_INPLACE_BINS] = { 0 }, writes = 0;
	unsigned long i, used = 0;
	u32 max = 0, width, c;
	unsigned int b, nbins;

	for (i = 0; i < w->slots; i++) {
		c = READ_ONCE(w->writes[i]);
		writes += c;
		used += c != 0;
		max = max(max, c);
		if (!(i % 65536))
			cond_resched();
	}
	width = max / FSNVM_INPLACE_BINS + 1;
	nbins = max / width + 1;
	for (i = 0; i < w->slots; i++)
		bins[min_t(u32, READ_ONCE(w->writes[i]) / width, nbins - 1)]++;
	seq_printf(m, "type %u dev %u:%u slots %lu writes %llu used %lu max %u\n",
		   type, MAJOR(w->dev), MINOR(w->dev), w->slots, writes, used,
		   max);
	for (b = 0; b < nbins; b++)
		seq_printf(m, "bin %u %u-%u %llu\n", b, b * width,
			   b + 1 == nbins ? max : (b + 1) * width - 1, bins[b]);
}

static int fsnvm_inplace_show(struct seq_file *m, void *v)
{
	unsigned int type;

	mutex_lock(&fsnvm_inplace_mutex);
	for (type = 0; type < MAX_SWAPFILES; type++)
		if (fsnvm_inplace[type])
			fsnvm_inplace_type_show(m, type, fsnvm_inplace[type]);
	mutex_unlock(&fsnvm_inplace_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsnvm_inplace);

void fsnvm_inplace_debugfs(struct dentry *dir)
{
	if (fsnvm_inplace_on)
		debugfs_create_file("inplace_wear", 0444, dir, NULL,
				    &fsnvm_inplace_fops);
}
