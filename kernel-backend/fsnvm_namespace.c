// SPDX-License-Identifier: GPL-2.0
/*
 * A pmem namespace opened for an engine: what both front ends (frontswap
 * and the swap block device) do to bind one, and to let go of it.
 *
 * Opening takes the block device exclusively (a second front end, or a
 * second bind, gets -EBUSY), takes its DAX device (only an fsdax
 * namespace has one), maps the whole namespace with dax_direct_access()
 * as dm-writecache does, checks the format, retires frames on the
 * badblocks list, and recovers the index: wear is always kept; the pages
 * found are released (frontswap: FSNVM_RECOVER_ATTACH) or kept (the swap
 * device, whose blocks outlive a bind: FSNVM_RECOVER_KEEP).  It never
 * formats: that is `fsnvmctl format`'s job.
 *
 * As the dax device's holder it hears of memory errors on the namespace
 * (fsnvm_notify_failure()): the frames hit are retired at once and the
 * pages they held are reported lost.  The same call for the whole device
 * says that the namespace is being torn down (kill_dax()): the device is
 * then "gone", its pages lost, and it can only be unbound.
 */
#define pr_fmt(fmt) FSNVM_NAME ": " fmt

#include <linux/badblocks.h>
#include <linux/pfn_t.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "fsnvm_compat.h"
#include "fsnvm_kernel.h"

struct fsnvm_dev __rcu *fsnvm_dev;
/* Serializes bind, unbind and readers of fsnvm_dev that may sleep. */
DEFINE_MUTEX(fsnvm_bind_mutex);

/*
 * The device holding the dax device, from the claim to the release:
 * published with RCU for fsnvm_notify_failure(), which may run at any
 * time in between, the bind included.  Written under fsnvm_bind_mutex.
 */
static struct fsnvm_dev __rcu *fsnvm_holder_dev;

static int fsnvm_holder_cookie;	/* our identity as exclusive holder */
#define fsnvm_holder (&fsnvm_holder_cookie)

/* Exclusive open, as the kernel offers it (fsnvm_compat.h). */
#if FSNVM_BDEV_FILE
static int fsnvm_bdev_open(struct fsnvm_dev *d)
{
	struct file *f = bdev_file_open_by_path(d->path, BLK_OPEN_READ |
						BLK_OPEN_WRITE | BLK_OPEN_EXCL,
						fsnvm_holder, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	d->bdev_file = f;
	d->bdev = file_bdev(f);
	return 0;
}

static void fsnvm_bdev_close(struct fsnvm_dev *d)
{
	if (d->bdev_file)
		bdev_fput(d->bdev_file);
}
#else
static const fmode_t fsnvm_mode = FMODE_READ | FMODE_WRITE | FMODE_EXCL;

static int fsnvm_bdev_open(struct fsnvm_dev *d)
{
	struct block_device *bdev = blkdev_get_by_path(d->path, fsnvm_mode,
						       fsnvm_holder);

	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	d->bdev = bdev;
	return 0;
}

static void fsnvm_bdev_close(struct fsnvm_dev *d)
{
	if (d->bdev)
		blkdev_put(d->bdev, fsnvm_mode);
}
#endif

/*
 * Retire every frame whose data or index entry touches a bad block.  The
 * list is in sectors of the whole disk; start_off is where bdev begins.
 */
static void fsnvm_mark_badblocks(struct fsnvm_dev *d, u64 start_off)
{
	struct badblocks *bb = d->bdev->bd_disk->bb;
	const struct fsnvm_geometry *geo = fsnvm_engine_geo(d->engine);
	u64 f, bad = 0;

	if (!bb || !bb->count)
		return;
	for (f = 0; f < geo->nr_frames; f++) {
		sector_t first, data = (start_off + geo->data_offset +
					f * geo->page_size) >> 9;
		sector_t ent = (start_off + geo->index_offset +
				f * FSNVM_ENTRY_BYTES) >> 9;
		int len;

		if (badblocks_check(bb, data, geo->page_size >> 9, &first, &len) ||
		    badblocks_check(bb, ent, 1, &first, &len)) {
			fsnvm_mark_bad(d->engine, f);
			bad++;
		}
	}
	if (bad)
		pr_warn("%s: %llu frames on the badblocks list will not be used\n",
			d->path, bad);
}

/*
 * Map the whole namespace (inside the dax read section); it must come
 * back as one virtually contiguous piece.  pmem refuses a DAX_ACCESS
 * range that holds a bad block (-EIO), so on -EIO map it chunk by chunk,
 * skipping the bad pages one at a time: their frames are on the badblocks
 * list and never touched.
 */
#define FSNVM_MAP_CHUNK 512	/* pages: 2 MiB */

static int fsnvm_map(struct fsnvm_dev *d, u64 start_off, u64 bytes, void **kaddr)
{
	long pages = bytes >> PAGE_SHIFT, got, i, skipped = 0;
	pgoff_t pgoff = start_off >> PAGE_SHIFT;
	char *base = NULL;
	void *addr;
	pfn_t pfn;

	got = dax_direct_access(d->dax, pgoff, pages, DAX_ACCESS, kaddr, &pfn);
	if (got == -EIO) {
		for (i = 0; i < pages; i += got) {
			got = dax_direct_access(d->dax, pgoff + i,
						min(pages - i, (long)FSNVM_MAP_CHUNK),
						DAX_ACCESS, &addr, &pfn);
			if (got == -EIO)
				got = dax_direct_access(d->dax, pgoff + i, 1,
							DAX_ACCESS, &addr, &pfn);
			if (got == -EIO) {	/* a bad page */
				got = 1;
				skipped++;
				continue;
			}
			if (got <= 0)
				break;
			if (!base)
				base = (char *)addr - i * PAGE_SIZE;
			else if (addr != base + i * PAGE_SIZE)
				got = -EOPNOTSUPP;
			if (got < 0)
				break;
		}
		*kaddr = base;
		if (got > 0 && base)
			got = pages;
		else if (got > 0)
			got = -EIO;	/* not one good page */
	}
	if (got < 0) {
		pr_err("%s: dax_direct_access failed: %ld\n", d->path, got);
		return got;
	}
	if (got < pages) {
		pr_err("%s: namespace is not mapped contiguously (%ld of %ld pages)\n",
		       d->path, got, pages);
		return -EOPNOTSUPP;
	}
	if (skipped)
		pr_warn("%s: %ld pages behind bad blocks left unmapped\n",
			d->path, skipped);
	return 0;
}

/* Name the superblock field that refused the bind, and both copies. */
static void fsnvm_super_refused(struct fsnvm_dev *d, void *kaddr, u64 bytes)
{
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;
	struct fsnvm_super sb;
	char why[192];

	fsnvm_super_pick(kaddr, bytes, &sb, &geo, &pick);
	fsnvm_super_problem_str(&pick.primary, why, sizeof(why));
	pr_err("%s: %s; format it with `fsnvmctl format %s`\n", d->path, why,
	       d->path);
	if (pick.backup.status == FSNVM_MEDIA_OK) {
		pr_err("%s: the backup superblock at %u is valid but not used: the primary is not a damaged frontswap-nvm superblock (overwritten by another tool?)\n",
		       d->path, FSNVM_SUPER_BACKUP);
	} else if (pick.backup.status != FSNVM_MEDIA_BAD_MAGIC) {
		fsnvm_super_problem_str(&pick.backup, why, sizeof(why));
		pr_err("%s: backup superblock at %u: %s\n", d->path,
		       FSNVM_SUPER_BACKUP, why);
	}
}

/*
 * Bound with the backup superblock: the primary was damaged (a flipped
 * bit, a torn format).  The backup is as good as the primary was, so the
 * bind goes on with it, and the primary is rewritten from it now that the
 * device is attached read-write; a stale or damaged backup is rewritten
 * from the primary the same way.  Each is said in the log.
 */
static void fsnvm_super_fixup(struct fsnvm_dev *d, void *kaddr)
{
	const struct fsnvm_super_pick *pick = fsnvm_engine_super_pick(d->engine);
	const struct fsnvm_super *sb = fsnvm_engine_super(d->engine);
	enum fsnvm_super_copy fixed;
	char why[192];

	if (pick->used == FSNVM_SB_BACKUP) {
		fsnvm_super_problem_str(&pick->primary, why, sizeof(why));
		pr_warn("%s: primary superblock unusable (%s); bound with the backup at %u\n",
			d->path, why, FSNVM_SUPER_BACKUP);
	} else if (le64_to_cpu(sb->compat) & FSNVM_COMPAT_BACKUP_SB) {
		if (pick->backup_differs)
			pr_warn("%s: backup superblock differs from the primary (a format cut short?)\n",
				d->path);
		else if (pick->backup.status != FSNVM_MEDIA_OK) {
			fsnvm_super_problem_str(&pick->backup, why, sizeof(why));
			pr_warn("%s: backup superblock at %u unusable: %s\n",
				d->path, FSNVM_SUPER_BACKUP, why);
		}
	}
	fixed = fsnvm_super_repair(kaddr, sb, pick);
	if (fixed == FSNVM_SB_PRIMARY)
		pr_warn("%s: primary superblock rewritten from the backup\n",
			d->path);
	else if (fixed == FSNVM_SB_BACKUP)
		pr_warn("%s: backup superblock rewritten from the primary\n",
			d->path);
}

void fsnvm_dev_gone(struct fsnvm_dev *d)
{
	struct fsnvm_stats s;

	if (xchg(&d->gone, true))
		return;
	if (!d->engine || !READ_ONCE(d->serving)) {
		pr_err("%s: the namespace went away during the bind\n", d->path);
		return;
	}
	fsnvm_get_stats(d->engine, &s);
	pr_err("%s: the namespace went away while bound: %llu stored pages are lost; stores refused; unbind it (echo > %s/device)\n",
	       d->path, s.frames_used + s.pages_lost, FSNVM_SYSFS_DIR);
}

/* A memory error on bytes [off, off + len) of the namespace. */
static void fsnvm_media_failed(struct fsnvm_dev *d, u64 off, u64 len)
{
	u64 hit = fsnvm_media_failure(d->engine, off, len);

	pr_err("%s: memory error reported on bytes %#llx-%#llx: %llu frames retired\n",
	       d->path, off, off + len - 1, hit);
}

/*
 * dax_holder_operations.notify_failure, from the memory-failure path
 * (poison found by a machine check or a scrub, or hard_offline_page) or
 * from kill_dax() with the whole device when the namespace goes away.
 * Called inside the dax read section, in process context.  Before the
 * engine serves (during the bind) an error is kept and applied after.
 */
static int fsnvm_notify_failure(struct dax_device *dax, u64 off, u64 len,
				int mf_flags)
{
	struct fsnvm_dev *d;
	bool now = true;
	int ret = 0;

	rcu_read_lock();
	d = rcu_dereference(fsnvm_holder_dev);
	if (!d || d->dax != dax) {
		ret = -EOPNOTSUPP;
	} else if (!off && len == U64_MAX) {	/* kill_dax() */
		pr_warn("%s: the namespace is being torn down\n", d->path);
		fsnvm_dev_gone(d);
	} else {
		spin_lock(&d->failure_lock);
		if (!d->serving) {
			now = false;
			if (d->nr_early < ARRAY_SIZE(d->early)) {
				d->early[d->nr_early].off = off;
				d->early[d->nr_early].len = len;
			}
			d->nr_early++;
		}
		spin_unlock(&d->failure_lock);
		if (now)
			fsnvm_media_failed(d, off, len);
	}
	rcu_read_unlock();
	return ret;
}

static const struct dax_holder_operations fsnvm_holder_ops = {
	.notify_failure = fsnvm_notify_failure,
};

/* The engine serves: apply the memory errors reported during the bind. */
static int fsnvm_start_serving(struct fsnvm_dev *d)
{
	unsigned int i, n;

	spin_lock(&d->failure_lock);
	d->serving = true;
	n = d->nr_early;
	spin_unlock(&d->failure_lock);
	if (n > ARRAY_SIZE(d->early)) {
		pr_err("%s: %u memory errors reported during the bind, too many to track: not bound\n",
		       d->path, n);
		return -EIO;
	}
	for (i = 0; i < n; i++)
		fsnvm_media_failed(d, d->early[i].off, d->early[i].len);
	return 0;
}

static int fsnvm_ns_attach(struct fsnvm_dev *d, enum fsnvm_recover_mode mode,
			   bool quiet_missing)
{
	enum fsnvm_media_status st;
	struct fsnvm_recovery rep;
	struct fsnvm_stats s;
	u64 start_off, bytes;
	void *kaddr;
	int ret, id;

	ret = fsnvm_bdev_open(d);
	if (ret) {
		if (ret == -ENOTBLK)
			pr_err("%s: not a block device: the namespace must be in fsdax mode, not devdax\n",
			       d->path);
		else if (ret == -EBUSY)
			pr_err("%s: held by another user (a front end of frontswap-nvm, a mounted filesystem, swap...)\n",
			       d->path);
		else if (!quiet_missing || (ret != -ENOENT && ret != -ENXIO))
			pr_err("%s: cannot open exclusively: %d\n", d->path, ret);
		return ret;
	}
	d->dax = fs_dax_get_by_bdev(d->bdev, &start_off, fsnvm_holder,
				    &fsnvm_holder_ops);
	if (!d->dax) {
		pr_err("%s: no DAX: the namespace must be in fsdax mode (ndctl create-namespace -m fsdax)\n",
		       d->path);
		return -EOPNOTSUPP;
	}
	rcu_assign_pointer(fsnvm_holder_dev, d);
	if (!dax_synchronous(d->dax)) {
		pr_err("%s: DAX device is not synchronous (no persistence guarantee on CPU flush)\n",
		       d->path);
		return -EOPNOTSUPP;
	}
	bytes = bdev_nr_bytes(d->bdev);
	if (bytes < FSNVM_MIN_DEVICE_BYTES) {
		pr_err("%s: device too small: %llu bytes, needs at least %u\n",
		       d->path, bytes, FSNVM_MIN_DEVICE_BYTES);
		return -ENOSPC;
	}
	/* The namespace cannot go away while it is read and recovered. */
	if (!fsnvm_dev_enter(d, &id))
		return -ENXIO;
	ret = fsnvm_map(d, start_off, bytes, &kaddr);
	if (!ret) {
		d->engine = fsnvm_engine_open(kaddr, bytes, &st);
		if (!d->engine && st == FSNVM_MEDIA_NO_MEMORY)
			pr_err("%s: %s\n", d->path, fsnvm_media_str(st));
		else if (!d->engine)
			fsnvm_super_refused(d, kaddr, bytes);
		if (!d->engine)
			ret = fsnvm_media_errno(st);
	}
	if (!ret) {
		fsnvm_mark_badblocks(d, start_off);
		ret = fsnvm_recover(d->engine, mode, &rep);
	}
	if (!ret) {
		fsnvm_super_fixup(d, kaddr);
		ret = fsnvm_start_serving(d);
	}
	fsnvm_dev_exit(id);
	if (!ret && READ_ONCE(d->gone))	/* torn down meanwhile */
		ret = -ENXIO;
	if (ret)
		return ret;
	fsnvm_get_stats(d->engine, &s);
	if (mode == FSNVM_RECOVER_ATTACH)
		pr_info("bound to %s: %llu frames, %llu stale pages released, %llu torn, %llu bad frames, wear max %llu\n",
			d->path, s.frames_total, rep.released, rep.torn,
			rep.bad_frames, s.wear_max);
	else
		pr_info("bound to %s: %llu frames, %llu pages kept, %llu duplicate, %llu torn, %llu bad frames, wear max %llu\n",
			d->path, s.frames_total, s.frames_used, rep.duplicates,
			rep.torn, rep.bad_frames, s.wear_max);
	if (rep.lost)
		pr_warn("%s: %llu pages kept are lost: their newest copy is on the badblocks list, and their reads fail\n",
			d->path, rep.lost);
	if (rep.torn || rep.implausible)
		pr_warn("%s: %llu torn and %llu implausible index entries were reset (wear kept)\n",
			d->path, rep.torn, rep.implausible);
	if (rep.unreadable)
		pr_warn("%s: %llu index entries cannot be read: their frames stay out of use until a bind reads them\n",
			d->path, rep.unreadable);
	return 0;
}

void fsnvm_ns_close(struct fsnvm_dev *d)
{
	int id;

	/* No memory-error call reaches d once this returns. */
	if (rcu_access_pointer(fsnvm_holder_dev) == d) {
		RCU_INIT_POINTER(fsnvm_holder_dev, NULL);
		synchronize_rcu();
	}
	if (d->engine && !(d->dax && fsnvm_dev_enter(d, &id))) {
		fsnvm_engine_media_gone(d->engine);	/* no media to write */
		fsnvm_engine_close(d->engine);
	} else if (d->engine) {
		fsnvm_engine_close(d->engine);	/* writes vouches */
		fsnvm_dev_exit(id);
	}
	if (d->dax)
		fs_put_dax(d->dax, fsnvm_holder);
	fsnvm_bdev_close(d);
	kfree(d);
}

/* The bound device's path, or "" when none is (the sysfs device file). */
ssize_t fsnvm_device_show(char *buf)
{
	struct fsnvm_dev *d;
	ssize_t n;

	mutex_lock(&fsnvm_bind_mutex);
	d = rcu_dereference_protected(fsnvm_dev, lockdep_is_held(&fsnvm_bind_mutex));
	n = sysfs_emit(buf, "%s\n", d ? d->path : "");
	mutex_unlock(&fsnvm_bind_mutex);
	return n;
}

/*
 * Called on another CPU once @cpu is dead, so no store runs as its writer
 * (cpu + 1, fsnvm_platform.h): give back the free frames it stashed and
 * publish what it left pending, rather than hold them until it returns,
 * which it may never do.
 */
int fsnvm_cpu_dead(unsigned int cpu)
{
	struct fsnvm_dev *d;
	int id;

	rcu_read_lock();
	d = rcu_dereference(fsnvm_dev);
	if (d && fsnvm_dev_enter(d, &id)) {
		fsnvm_writer_gone(d->engine, cpu + 1);
		fsnvm_dev_exit(id);
	}
	rcu_read_unlock();
	return 0;
}

/*
 * Open the namespace at path and attach an engine to it, recovered in
 * mode (ATTACH or KEEP).  Called with fsnvm_bind_mutex held.
 * quiet_missing: a device that does not exist (yet) is not worth a log
 * line (boot-time retries).  Returns the device, or an ERR_PTR.
 */
struct fsnvm_dev *fsnvm_ns_open(const char *path, enum fsnvm_recover_mode mode,
				bool quiet_missing)
{
	struct fsnvm_dev *d;
	int ret;

	lockdep_assert_held(&fsnvm_bind_mutex);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	strscpy(d->path, path, sizeof(d->path));
	init_waitqueue_head(&d->balance_wait);
	spin_lock_init(&d->failure_lock);
	ret = fsnvm_ns_attach(d, mode, quiet_missing);
	if (ret) {
		fsnvm_ns_close(d);
		return ERR_PTR(ret);
	}
	return d;
}
