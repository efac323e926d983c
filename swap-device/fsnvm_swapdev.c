// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvm_swap: the frontswap-nvm engine as a swap block device, a loadable
 * module for kernels without frontswap (Debian's stock 6.1 and 6.12).
 *
 *   echo /dev/pmem0 > /sys/kernel/fsnvm_swap/device    bind: /dev/fsnvm0
 *   echo > /sys/kernel/fsnvm_swap/device               unbind
 *
 * Block n of /dev/fsnvm0 is the engine's key (0, n): every write goes out
 * of place to the least-worn free frame, a read of a block never written
 * (or discarded) returns zeros, and same-filled pages live in their index
 * entry.  The device is synchronous, so swap skips the swap cache and
 * readahead for it: on 6.1 through rw_page, on 6.12 through
 * BLK_FEAT_SYNCHRONOUS.  Swap frees a slot with swap_slot_free_notify()
 * (under a spinlock) and with discards (swapon --discard); both drop the
 * block's page.
 *
 * A write cannot be refused as a frontswap store can: the device offers
 * the namespace's good frames less the engine's reserve
 * (fsnvm_engine_reserve()), so a write always finds a free frame.  Frames
 * retired while bound (memory errors) eat into that reserve; should it run
 * out, a write fails with an I/O error and a log line, and the block then
 * reads as zeros rather than stale data.
 *
 * The engine serves each key's operations one at a time (fsnvm_engine.h).
 * Swap guarantees that for its slots; a block device has other users too
 * (mkswap, dd, a filesystem), so the I/O path serializes a block's
 * operations itself with a hashed spinlock (fsnvm_block_locks).
 *
 * The blocks outlive a bind: binding recovers the index keeping them
 * (FSNVM_RECOVER_KEEP), so a swap header survives an unbind and a clean
 * reboot.  What a crash keeps follows the engine's rule: a CPU's newest
 * write may be dropped (it reads as zeros); swap never reads a slot across
 * a reboot.
 */
#define pr_fmt(fmt) FSNVM_NAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/cpuhotplug.h>
#include <linux/hash.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include "fsnvm_compat.h"
#include "fsnvm_kernel.h"

#define FSNVM_SECTORS_PER_PAGE (PAGE_SIZE >> SECTOR_SHIFT)
#define FSNVM_BLOCK_LOCK_BITS 8

atomic64_t fsnvm_refused_unbound = ATOMIC64_INIT(0);

/*
 * Serialize the operations on one block (the engine's contract): a store,
 * load or invalidate of block n holds fsnvm_block_locks[hash(n)].  They
 * are spinlocks because swap_slot_free_notify() runs under a spinlock;
 * each is held for one page copy at most.  Taken before the engine's lock.
 */
static spinlock_t fsnvm_block_locks[1 << FSNVM_BLOCK_LOCK_BITS];

static spinlock_t *fsnvm_block_lock(u64 block)
{
	return &fsnvm_block_locks[hash_64(block, FSNVM_BLOCK_LOCK_BITS)];
}

/* The disk of the bound device, NULL when none; under fsnvm_bind_mutex. */
static struct gendisk *fsnvm_disk;
static int fsnvm_major;
/* Set under the disk's open_mutex once an unbind is sure to go on. */
static bool fsnvm_disk_dying;

/* Blocks dropped between reschedules by a discard. */
#define FSNVM_DROP_CHUNK 4096

/* Check whether the balancer is wanted once per this many writes. */
#define FSNVM_KICK_EVERY 1024

static blk_status_t fsnvm_errno_status(int ret)
{
	return ret == -ENOSPC ? BLK_STS_NOSPC : BLK_STS_IOERR;
}

/* One 4 KiB block of a bio: read it into, or write it from, page. */
static blk_status_t fsnvm_block_io(struct fsnvm_dev *d, u64 block,
				   struct page *page, unsigned int off,
				   bool write)
{
	spinlock_t *lock = fsnvm_block_lock(block);
	void *mem;
	int ret, id;

	if (READ_ONCE(d->gone) || !fsnvm_dev_enter(d, &id)) {
		atomic64_inc(&fsnvm_refused_unbound);
		return BLK_STS_IOERR;
	}
	mem = kmap_local_page(page) + off;
	spin_lock(lock);
	if (write) {
		ret = fsnvm_store(d->engine, 0, block, mem);
	} else {
		ret = fsnvm_load(d->engine, 0, block, mem);
		if (ret == -ENOENT) {	/* never written, or discarded */
			memset(mem, 0, PAGE_SIZE);
			ret = 0;
		}
	}
	spin_unlock(lock);
	kunmap_local(mem);
	fsnvm_dev_exit(id);
	if (ret) {
		pr_err_ratelimited("%s: %s of block %llu failed: %d%s\n",
				   d->path, write ? "write" : "read", block,
				   ret, ret == -ENOSPC ?
				   " (no free frame: frames retired at run time took the reserve)" :
				   "");
		return fsnvm_errno_status(ret);
	}
	if (write && atomic_inc_return(&d->stores_since_kick) >=
	    FSNVM_KICK_EVERY) {
		atomic_set(&d->stores_since_kick, 0);
		fsnvm_balancer_kick(d);
	}
	return BLK_STS_OK;
}

/* Drop blocks [first, first + n): discards, write-zeroes, freed slots. */
static void fsnvm_drop_blocks(struct fsnvm_dev *d, u64 first, u64 n)
{
	u64 b;
	int id;

	if (!fsnvm_dev_enter(d, &id))
		return;
	for (b = first; b < first + n; b++) {
		spinlock_t *lock = fsnvm_block_lock(b);

		spin_lock(lock);
		fsnvm_invalidate_page(d->engine, 0, b);
		spin_unlock(lock);
	}
	fsnvm_dev_exit(id);
}

static void fsnvm_submit_bio(struct bio *bio)
{
	struct fsnvm_dev *d = bio->bi_bdev->bd_disk->private_data;
	sector_t sector = bio->bi_iter.bi_sector;
	u64 block = sector / FSNVM_SECTORS_PER_PAGE;
	blk_status_t st = BLK_STS_OK;
	struct bvec_iter iter;
	struct bio_vec bv;
	u64 n, chunk;

	/* The queue's 4 KiB blocks and page alignment make these hold. */
	if (WARN_ON_ONCE(sector % FSNVM_SECTORS_PER_PAGE ||
			 bio->bi_iter.bi_size % PAGE_SIZE)) {
		bio_io_error(bio);
		return;
	}
	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		bio_for_each_segment(bv, bio, iter) {
			if (WARN_ON_ONCE(bv.bv_len != PAGE_SIZE || bv.bv_offset)) {
				st = BLK_STS_IOERR;
				break;
			}
			st = fsnvm_block_io(d, block++, bv.bv_page, 0,
					    op_is_write(bio_op(bio)));
			if (st)
				break;
			cond_resched();
		}
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		/* swapon --discard sends the whole device at once. */
		for (n = bio->bi_iter.bi_size / PAGE_SIZE; n; n -= chunk) {
			chunk = min_t(u64, n, FSNVM_DROP_CHUNK);
			fsnvm_drop_blocks(d, block, chunk);
			block += chunk;
			cond_resched();
		}
		break;
	case REQ_OP_FLUSH:
		/*
		 * Not sent: the queue declares no write cache, so the block
		 * layer ends flushes itself.  What a crash keeps is the
		 * engine's rule (the header): a CPU's newest write may be
		 * dropped, as no later entry vouches for it yet.
		 */
		break;
	default:
		st = BLK_STS_NOTSUPP;
	}
	bio->bi_status = st;
	bio_endio(bio);
}

/* Swap freed a slot (under its lock: must not sleep). */
static void fsnvm_swap_slot_free_notify(struct block_device *bdev,
					unsigned long offset)
{
	fsnvm_drop_blocks(bdev->bd_disk->private_data, offset, 1);
}

#if FSNVM_HAVE_RW_PAGE
/*
 * 6.1's synchronous page I/O: swap calls it first, and falls back to a
 * bio on an error (whose completion then reports it), so page_endio()
 * is for success only.
 */
static int fsnvm_rw_page(struct block_device *bdev, sector_t sector,
			 struct page *page, enum req_op op)
{
	bool write = op_is_write(op);

	if (PageTransHuge(page))
		return -EOPNOTSUPP;
	if (sector % FSNVM_SECTORS_PER_PAGE)
		return -EINVAL;
	if (fsnvm_block_io(bdev->bd_disk->private_data,
			   sector / FSNVM_SECTORS_PER_PAGE, page, 0, write))
		return -EIO;
	page_endio(page, write, 0);
	return 0;
}
#endif

#if !FSNVM_OPEN_GENDISK
static int fsnvm_open(struct block_device *bdev, fmode_t mode)
{
	lockdep_assert_held(&bdev->bd_disk->open_mutex);
	return READ_ONCE(fsnvm_disk_dying) ? -ENXIO : 0;
}
#else
static int fsnvm_open(struct gendisk *disk, blk_mode_t mode)
{
	lockdep_assert_held(&disk->open_mutex);
	return READ_ONCE(fsnvm_disk_dying) ? -ENXIO : 0;
}
#endif

static const struct block_device_operations fsnvm_fops = {
	.owner = THIS_MODULE,
	.open = fsnvm_open,
	.submit_bio = fsnvm_submit_bio,
	.swap_slot_free_notify = fsnvm_swap_slot_free_notify,
#if FSNVM_HAVE_RW_PAGE
	.rw_page = fsnvm_rw_page,
#endif
};

/* A gendisk of capacity blocks, with the limits swap and mkswap need. */
static struct gendisk *fsnvm_alloc_disk(u64 blocks)
{
	struct gendisk *disk;

#if FSNVM_QUEUE_LIMITS
	struct queue_limits lim = {
		.logical_block_size = PAGE_SIZE,
		.physical_block_size = PAGE_SIZE,
		.io_min = PAGE_SIZE,
		.io_opt = PAGE_SIZE,
		.dma_alignment = PAGE_SIZE - 1,
		.max_hw_discard_sectors = UINT_MAX,
		.discard_granularity = PAGE_SIZE,
		.max_write_zeroes_sectors = UINT_MAX,
		.features = BLK_FEAT_SYNCHRONOUS,
	};

	disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(disk))
		return disk;
#else
	struct request_queue *q;

	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk)
		return ERR_PTR(-ENOMEM);
	q = disk->queue;
	blk_queue_logical_block_size(q, PAGE_SIZE);
	blk_queue_physical_block_size(q, PAGE_SIZE);
	blk_queue_io_min(q, PAGE_SIZE);
	blk_queue_io_opt(q, PAGE_SIZE);
	blk_queue_dma_alignment(q, PAGE_SIZE - 1);
	blk_queue_max_discard_sectors(q, UINT_MAX);
	q->limits.discard_granularity = PAGE_SIZE;
	blk_queue_max_write_zeroes_sectors(q, UINT_MAX);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
#endif
	disk->major = fsnvm_major;
	disk->first_minor = 0;
	disk->minors = 1;
	disk->fops = &fsnvm_fops;
	strscpy(disk->disk_name, "fsnvm0", sizeof(disk->disk_name));
	set_capacity(disk, blocks * FSNVM_SECTORS_PER_PAGE);
	return disk;
}

/* Called with fsnvm_bind_mutex held. */
static int fsnvm_swapdev_bind(const char *path)
{
	struct fsnvm_dev *d;
	struct gendisk *disk;
	u64 blocks;
	int ret;

	lockdep_assert_held(&fsnvm_bind_mutex);
	d = rcu_dereference_protected(fsnvm_dev, lockdep_is_held(&fsnvm_bind_mutex));
	if (d) {
		pr_err("%s: already bound to %s; unbind first\n", path, d->path);
		return -EBUSY;
	}
	d = fsnvm_ns_open(path, FSNVM_RECOVER_KEEP, false);
	if (IS_ERR(d))
		return PTR_ERR(d);
	blocks = fsnvm_engine_capacity(d->engine);
	if (blocks < 16) {
		pr_err("%s: too small for a swap device: %llu blocks after the reserve of %llu frames\n",
		       path, blocks, fsnvm_engine_reserve(d->engine));
		ret = -ENOSPC;
		goto close;
	}
	disk = fsnvm_alloc_disk(blocks);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto close;
	}
	disk->private_data = d;
	ret = fsnvm_balancer_start(d);
	if (ret)
		goto put;
	WRITE_ONCE(fsnvm_disk_dying, false);
	rcu_assign_pointer(fsnvm_dev, d);
	ret = add_disk(disk);
	if (ret) {
		pr_err("%s: cannot add the disk: %d\n", path, ret);
		RCU_INIT_POINTER(fsnvm_dev, NULL);
		synchronize_rcu();
		fsnvm_balancer_stop(d);
		goto put;
	}
	fsnvm_disk = disk;
	pr_info("/dev/%s: %llu blocks of 4 KiB on %s (reserve %llu frames)\n",
		disk->disk_name, blocks, path, fsnvm_engine_reserve(d->engine));
	return 0;
put:
	put_disk(disk);
close:
	fsnvm_ns_close(d);
	return ret;
}

/*
 * Called with fsnvm_bind_mutex held.  Refused while the disk is open
 * (swapon'd, or anyone else's): checked under the disk's open_mutex,
 * which then marks it dying so that no open slips in before it goes.
 */
static int fsnvm_swapdev_unbind(void)
{
	struct gendisk *disk = fsnvm_disk;
	struct fsnvm_stats s;
	struct fsnvm_dev *d;

	lockdep_assert_held(&fsnvm_bind_mutex);
	d = rcu_dereference_protected(fsnvm_dev, lockdep_is_held(&fsnvm_bind_mutex));
	if (!d)
		return 0;
	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk)) {
		mutex_unlock(&disk->open_mutex);
		pr_err("%s: cannot unbind: /dev/%s is open (swapoff first)\n",
		       d->path, disk->disk_name);
		return -EBUSY;
	}
	WRITE_ONCE(fsnvm_disk_dying, true);
	mutex_unlock(&disk->open_mutex);
	del_gendisk(disk);	/* waits for the I/O in flight */
	put_disk(disk);
	fsnvm_disk = NULL;
	fsnvm_balancer_stop(d);
	spin_lock(&fsnvm_past_lock);
	fsnvm_get_stats(d->engine, &s);
	fsnvm_stats_keep(&s);
	rcu_assign_pointer(fsnvm_dev, NULL);
	spin_unlock(&fsnvm_past_lock);
	synchronize_rcu();
	pr_info("unbound from %s: %llu blocks kept\n", d->path, s.frames_used);
	fsnvm_ns_close(d);
	return 0;
}

int fsnvm_device_write(const char *val)
{
	char path[FSNVM_PATH_MAX];
	char *p;
	int ret;

	if (strscpy(path, val, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	p = strim(path);
	mutex_lock(&fsnvm_bind_mutex);
	ret = p[0] ? fsnvm_swapdev_bind(p) : fsnvm_swapdev_unbind();
	mutex_unlock(&fsnvm_bind_mutex);
	return ret;
}

/* An offline CPU's stash goes back (fsnvm_cpu_dead()). */
static enum cpuhp_state fsnvm_cpuhp_state;

static int __init fsnvm_swapdev_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fsnvm_block_locks); i++)
		spin_lock_init(&fsnvm_block_locks[i]);
	fsnvm_major = register_blkdev(0, FSNVM_NAME);
	if (fsnvm_major < 0)
		return fsnvm_major;
	ret = fsnvm_sysfs_init(kernel_kobj);
	if (ret) {
		unregister_blkdev(fsnvm_major, FSNVM_NAME);
		return ret;
	}
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, FSNVM_NAME ":dead",
					NULL, fsnvm_cpu_dead);
	if (ret < 0)	/* stashes of offline CPUs then stay stashed */
		pr_warn("no CPU hotplug callback (%d)\n", ret);
	else
		fsnvm_cpuhp_state = ret;
	pr_info("loaded; bind a namespace through " FSNVM_SYSFS_DIR "/device\n");
	return 0;
}

/*
 * Unloading is refused while the disk is open (the block layer holds the
 * module then); otherwise the bound namespace is let go of first, with
 * its blocks kept.
 */
static void __exit fsnvm_swapdev_exit(void)
{
	mutex_lock(&fsnvm_bind_mutex);
	WARN_ON(fsnvm_swapdev_unbind());
	mutex_unlock(&fsnvm_bind_mutex);
	if (fsnvm_cpuhp_state > 0)
		cpuhp_remove_state_nocalls(fsnvm_cpuhp_state);
	fsnvm_sysfs_exit();
	unregister_blkdev(fsnvm_major, FSNVM_NAME);
}

module_init(fsnvm_swapdev_init);
module_exit(fsnvm_swapdev_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("frontswap-nvm: a wear-levelled swap block device on persistent memory");
MODULE_SOFTDEP("pre: libcrc32c");
