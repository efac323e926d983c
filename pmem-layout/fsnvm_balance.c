// SPDX-License-Identifier: GPL-2.0
/*
 * Balancer policy: the step the kernel's balancer thread calls.
 *
 * Out-of-place writes to the least-worn free frame level the wear of the
 * frames that take writes.  Frames whose data is never rewritten (cold
 * pages) would stay young forever, so the balancer moves their data to a
 * worn free frame, handing the young frame back to the writers.  As in UBI
 * (drivers/mtd/ubi/wl.c) it acts only when a used frame is at least
 * `threshold` writes younger than that destination.
 *
 * The destination is the most-worn free frame no more worn than the top of
 * the user writes (user_wear_max), not simply the most-worn free frame:
 * pages the balancer moves are often rewritten soon after (warm pages that
 * merely lagged), which frees the destination again, and since user writes
 * take the least-worn frames, the most-worn free frame would keep going to
 * the balancer and run ever further ahead of everything else.
 *
 * Cost model: a cold page moves once every `threshold` levels of wear the
 * rest of the device gains, so extra writes ~= cold fraction / threshold
 * (30% cold, threshold 20: 1.5%), while the cold frames lag the others by
 * at most `threshold` (endurance loss ~= cold fraction * threshold / 2 /
 * mean wear).  Pages that merely lag (warm ones, rewritten now and then)
 * add to both.  The kernel's default threshold is in
 * kernel-backend/fsnvm_balancer.c; the README has the trade-off measured.
 *
 * A page is moved at `threshold` once the balancer has moved it before
 * (FSNVM_ENT_MOVED: it stayed unwritten for a whole move interval, so it
 * is cold), but at `first_move` times that the first time: most
 * pages that fall behind are warm and get rewritten before lagging that
 * far, and a move of a page about to be rewritten is a wasted write; too
 * large a factor moves cold pages too late.  The kernel's default came
 * from a sweep with bench_core (BENCH_WEAR_ONLY=1, --first-move), in the
 * README.
 *
 * Candidates are found by a cursor that sweeps the frames, `scan` frames
 * per step, reading wear from the index under the lock in small chunks so
 * the lock is never held long.  A sweep also yields the least used wear,
 * which fsnvm_balance_wanted() compares with the free pool's.
 *
 * Races: the source frame is marked MOVING (it cannot be freed and reused
 * while it is copied) and the target is BUSY.  If the key was invalidated
 * or rewritten while the data was being copied, the copy is thrown away.
 * Lockless loads of the key may be copying the source when the key moves
 * to the target: its generation is bumped first, and they retry.  Only
 * one balancer may run at a time (it owns e->bounce).
 */
#include "fsnvm_internal.h"

#define FSNVM_BALANCE_CHUNK 16	/* frames examined per lock hold */

/*
 * Find a used frame `threshold` younger than target; its entry, as read,
 * is left in *ent.
 */
static u32 fsnvm_balance_find(struct fsnvm_engine *e, u64 target,
			      const struct fsnvm_balance_params *p,
			      unsigned int *scanned, struct fsnvm_entry *ent)
{
	u64 factor = p->first_move ? p->first_move : 1;
	u64 first = fsnvm_mul_sat(p->threshold, factor);
	unsigned int i;

	lockdep_assert_held(&e->lock);
	for (i = 0; i < FSNVM_BALANCE_CHUNK && *scanned < p->scan; i++) {
		u32 frame = (u32)e->balance_cursor;
		u64 wear, lag;

		(*scanned)++;
		if (++e->balance_cursor == e->geo.nr_frames) {
			e->balance_cursor = 0;
			e->used_wear_floor = e->pass_min == ~0ULL ?
					     e->stats.wear_max : e->pass_min;
			e->pass_min = ~0ULL;
		}
		/* Acquire: pairs with the end of fsnvm_store(). */
		if ((smp_load_acquire(&e->state[frame]) & ~FSNVM_FS_FILLED) !=
		    FSNVM_FS_USED || fsnvm_frame_lost(e, frame))
			continue;
		if (fsnvm_read_entry(e, frame, ent))
			continue;	/* a load will find and report it */
		wear = le64_to_cpu(ent->wear);
		if (wear < e->pass_min)
			e->pass_min = wear;
		lag = le32_to_cpu(ent->flags) & FSNVM_ENT_MOVED ?
		      p->threshold : first;
		if (wear <= target && target - wear >= lag)	/* no overflow */
			return frame;
	}
	return FSNVM_NO_FRAME;
}

bool fsnvm_balance_wanted(struct fsnvm_engine *e,
			  const struct fsnvm_balance_params *p)
{
	bool wanted;
	u64 target;

	spin_lock(&e->lock);
	target = fsnvm_wear_pool_most_upto(&e->pool, e->user_wear_max);
	wanted = !e->readonly && e->pool.nr_free && e->map.nr_keys &&
		 target >= e->used_wear_floor &&
		 target - e->used_wear_floor >= p->threshold;
	spin_unlock(&e->lock);
	return wanted;
}

/* Copy a page's data from src to dst (both ours); 0 or -EIO. */
static int fsnvm_balance_copy(struct fsnvm_engine *e, u32 src, u32 dst,
			      const struct fsnvm_entry *ent)
{
	if (le32_to_cpu(ent->flags) & FSNVM_ENT_FILLED)
		return 0;	/* lives in the entry: nothing to copy */
	if (fsnvm_pmem_read(e->bounce, fsnvm_frame_at(e->base, &e->geo, src),
			    FSNVM_PAGE_SIZE))
		return -EIO;
	fsnvm_pmem_copy(fsnvm_frame_at(e->base, &e->geo, dst), e->bounce,
			FSNVM_PAGE_SIZE);
	fsnvm_pmem_fence();
	return 0;
}

/*
 * After the copy.  Only if the key still maps to the
 * source does the destination's entry name it, with a sequence number
 * taken now (later than any store of the key already published), made
 * durable before the source is cleared: a crash then finds the key in the
 * source, the destination or both (same data), never in neither, and never
 * resurrects a key invalidated or rewritten during the copy.
 */
static void fsnvm_balance_finish(struct fsnvm_engine *e, u32 src, u32 dst,
				 const struct fsnvm_entry *ent, u64 dst_wear,
				 int copied)
{
	u64 key = le64_to_cpu(ent->key);
	unsigned int type = fsnvm_key_type(key);
	u32 offset = (u32)fsnvm_key_offset(key);
	u32 flags = le32_to_cpu(ent->flags);
	bool filled = flags & FSNVM_ENT_FILLED;
	bool wrote = copied == 0 && !filled;
	struct fsnvm_vouch vouch;
	u64 src_wear;

	lockdep_assert_held(&e->lock);
	WRITE_ONCE(e->state[src], e->state[src] & ~FSNVM_FS_MOVING);
	if (wrote)
		fsnvm_count_write(e, dst_wear);
	/*
	 * A memory error on either frame during the copy: the key stays with
	 * the source, which, if it was hit, now says the page is lost.
	 */
	if (unlikely(fsnvm_frame_lost(e, src) || fsnvm_frame_lost(e, dst)))
		copied = -EIO;
	if (copied == 0 && fsnvm_fstate(e, src) == FSNVM_FS_USED &&
	    fsnvm_keymap_find(&e->map, type, offset) == src) {
		fsnvm_entry_vouch_of(e, dst, &vouch);	/* carried forward */
		fsnvm_write_entry(e, dst, key, e->seq++, dst_wear,
				  le64_to_cpu(ent->fill), flags | FSNVM_ENT_MOVED,
				  le32_to_cpu(ent->data_crc), &vouch);
		fsnvm_pmem_fence();
		WRITE_ONCE(e->state[dst],
			   FSNVM_FS_USED | (filled ? FSNVM_FS_FILLED : 0));
		fsnvm_keymap_set(&e->map, type, offset, dst);
		e->stats.migrations++;
		/*
		 * A load may still be copying src: its generation changes
		 * before its entry does (a fence orders the non-temporal
		 * clear after it), so the load retries and finds dst.
		 */
		fsnvm_frame_unmapped(e, src);
		fsnvm_pmem_fence();
		if (fsnvm_clear_entry(e, src, &src_wear))
			fsnvm_retire(e, src);
		fsnvm_pmem_fence();
		fsnvm_release_frame(e, src, src_wear);
		return;
	}
	/* The key moved on (or the source was unreadable): drop the copy. */
	if (wrote) {	/* the frame took a write: record its wear */
		fsnvm_entry_vouch_of(e, dst, &vouch);
		fsnvm_write_entry(e, dst, 0, 0, dst_wear, 0, 0, 0, &vouch);
		fsnvm_pmem_fence();
	}
	fsnvm_release_frame(e, dst, dst_wear);
	/* Unmapped during the copy: its clear is long durable, read it. */
	if (e->state[src] == FSNVM_FS_DEAD)
		fsnvm_release_frame(e, src, fsnvm_entry_wear(e, src));
	else if (fsnvm_frame_lost(e, src) &&
		 fsnvm_fstate(e, src) == FSNVM_FS_USED)
		fsnvm_poison_mapped(e, src);
}

unsigned int fsnvm_balance_step(struct fsnvm_engine *e,
				const struct fsnvm_balance_params *p)
{
	unsigned int moved = 0, scanned = 0;

	spin_lock(&e->lock);
	e->stats.balancer_runs++;
	fsnvm_publish_pending(e);	/* so that it sees recent stores */
	spin_unlock(&e->lock);
	while (moved < p->budget && scanned < p->scan) {
		struct fsnvm_entry ent;
		u64 target, dst_wear;
		u32 src, dst;
		int copied;

		spin_lock(&e->lock);
		if (e->readonly || !e->pool.nr_free) {
			spin_unlock(&e->lock);
			break;
		}
		target = fsnvm_wear_pool_most_upto(&e->pool, e->user_wear_max);
		src = fsnvm_balance_find(e, target, p, &scanned, &ent);
		if (src == FSNVM_NO_FRAME) {
			spin_unlock(&e->lock);
			continue;
		}
		dst = fsnvm_wear_pool_get_most_upto(&e->pool, e->user_wear_max,
						    &dst_wear);
		if (dst == FSNVM_NO_FRAME) {
			spin_unlock(&e->lock);
			break;
		}
		WRITE_ONCE(e->state[dst], FSNVM_FS_BUSY);
		WRITE_ONCE(e->state[src], e->state[src] | FSNVM_FS_MOVING);
		spin_unlock(&e->lock);

		if (!(le32_to_cpu(ent.flags) & FSNVM_ENT_FILLED))
			dst_wear = fsnvm_wear_inc(dst_wear);
		copied = fsnvm_balance_copy(e, src, dst, &ent);
		fsnvm_race_point(FSNVM_RACE_BALANCE_COPIED);

		spin_lock(&e->lock);
		fsnvm_balance_finish(e, src, dst, &ent, dst_wear, copied);
		spin_unlock(&e->lock);
		if (copied == 0)
			moved++;
	}
	return moved;
}
