// SPDX-License-Identifier: GPL-2.0
/*
 * Memory errors reported while bound: in the kernel, the memory-failure
 * path calls the dax holder (fsnvm_bind.c) with the byte range it lost.
 *
 * Every frame whose data or index entry lies in the range is lost for
 * good, and so is the page it holds: the bit in e->lost says so before the
 * frame's generation changes, so a lockless load copying the frame retries
 * and then takes the locked path, which fails the load and logs the key.
 * What becomes of the frame depends on who holds it:
 *
 *   free (in the pool)    out of the pool and retired now
 *   holding a page        retired now, the key left mapped to it so that
 *                         its load (or invalidation) finds it gone:
 *                         counted in pages_lost until then
 *   a store's or the      retired when that owner lets go of it
 *   balancer's            (fsnvm_release_frame()), at the latest when the
 *                         engine is closed (fsnvm_retire_lost())
 *
 * A retired frame's entry says so on the media, so the next bind keeps
 * it out too.  A same-filled page whose entry was not hit is counted lost
 * all the same: the rule stays simple and errs towards saying so.
 */
#include "fsnvm_internal.h"

/*
 * The frames [*first, *last] whose `size`-byte slots from `start` meet the
 * bytes [off, end]; false if none.  Nothing here can overflow: the slots
 * end within the device, whose geometry was checked at open.
 */
static bool fsnvm_slots_hit(const struct fsnvm_engine *e, u64 start, u64 size,
			    u64 off, u64 end, u64 *first, u64 *last)
{
	u64 span = e->geo.nr_frames * size, top;

	if (!span || end < start || off > start + span - 1)
		return false;
	top = end < start + span - 1 ? end : start + span - 1;
	*first = off > start ? (off - start) / size : 0;
	*last = (top - start) / size;
	return true;
}

void fsnvm_poison_mapped(struct fsnvm_engine *e, u32 frame)
{
	struct fsnvm_entry ent;
	u64 key;

	lockdep_assert_held(&e->lock);
	if (fsnvm_read_entry(e, frame, &ent) ||
	    !(le64_to_cpu(ent.key) & FSNVM_KEY_VALID)) {
		pr_err("memory error on frame %u: the page it held is lost\n",
		       frame);
	} else {
		key = le64_to_cpu(ent.key);
		pr_err("memory error on frame %u: page of swap type %u offset %llu lost\n",
		       frame, fsnvm_key_type(key),
		       (unsigned long long)fsnvm_key_offset(key));
	}
	fsnvm_retire(e, frame);
	e->stats.pages_lost++;
}

/* One frame; true if it was not hit before. */
static bool fsnvm_poison_frame(struct fsnvm_engine *e, u32 frame)
{
	/*
	 * A store finishing outside the lock turns its BUSY frame USED once
	 * its entry is written (acquire: pairs with the end of fsnvm_store()),
	 * so a USED frame's entry may be rewritten here.
	 */
	u8 st = smp_load_acquire(&e->state[frame]);

	lockdep_assert_held(&e->lock);
	if (test_and_set_bit(frame, e->lost))
		return false;
	if ((st & FSNVM_FS_STATE_MASK) == FSNVM_FS_BAD)
		return false;	/* out of use already: nothing was lost */
	smp_wmb();	/* the lost bit before the generation (lockless loads) */
	fsnvm_frame_unmapped(e, frame);
	e->stats.frames_poisoned++;
	switch (st & FSNVM_FS_STATE_MASK) {
	case FSNVM_FS_FREE:
		if (fsnvm_wear_pool_remove(&e->pool, frame))
			fsnvm_retire(e, frame);
		break;
	case FSNVM_FS_USED:
		if (!(st & FSNVM_FS_MOVING))	/* else fsnvm_balance_finish() */
			fsnvm_poison_mapped(e, frame);
		break;
	default:	/* BUSY or DEAD: their owner retires it */
		break;
	}
	return true;
}

u64 fsnvm_media_failure(struct fsnvm_engine *e, u64 off, u64 len)
{
	u64 end, first, last, f, hit = 0;

	if (!len || e->readonly)
		return 0;
	end = off + len - 1 < off ? ~0ULL : off + len - 1;
	spin_lock(&e->lock);
	fsnvm_publish_pending(e);	/* so that every stored page is mapped */
	if (off < FSNVM_SUPER_BACKUP + sizeof(struct fsnvm_super))
		pr_err("memory error on a superblock copy: run `fsnvmctl check` after unbinding\n");
	if (fsnvm_slots_hit(e, e->geo.index_offset, FSNVM_ENTRY_BYTES, off, end,
			    &first, &last))
		for (f = first; f <= last; f++)
			hit += fsnvm_poison_frame(e, (u32)f);
	if (fsnvm_slots_hit(e, e->geo.data_offset, e->geo.page_size, off, end,
			    &first, &last))
		for (f = first; f <= last; f++)
			hit += fsnvm_poison_frame(e, (u32)f);
	if (hit)
		fsnvm_pmem_fence();	/* the retirements */
	spin_unlock(&e->lock);
	return hit;
}

void fsnvm_retire_lost(struct fsnvm_engine *e)
{
	unsigned long f, n = e->geo.nr_frames;

	lockdep_assert_held(&e->lock);
	for_each_set_bit(f, e->lost, n)
		if (fsnvm_fstate(e, (u32)f) != FSNVM_FS_BAD)
			fsnvm_retire(e, (u32)f);
	fsnvm_pmem_fence();
}
