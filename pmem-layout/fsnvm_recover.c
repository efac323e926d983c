// SPDX-License-Identifier: GPL-2.0
/*
 * Recovery: rebuild the engine's DRAM state from the index on the media.
 *
 * Every entry is read with the machine-check-safe copy and checked: crc,
 * known flags, key in range.  A frame whose entry says it was retired (a
 * media error or a data crc mismatch in an earlier boot) stays bad.  A key
 * named by two entries (a crash inside a store or a migration) goes to the
 * higher sequence number.  Wear never goes down: it is taken from every
 * trusted entry, valid or not, and a torn or implausible entry
 * (fsnvm_layout.h: crc-valid, but a counter no engine writes) counts as
 * the highest wear of those, since its own field is untrusted.  Such an
 * entry is not mapped, and neither its seq nor its vouch counts: a forged
 * seq would wrap the engine's counter, a forged vouch would make torn
 * pages trusted.
 * A key whose newest entry no vouch on the media covers (fsnvm_format.h:
 * a crash inside the store, or before its writer's next store) holds
 * nothing, as its data may be torn.
 *
 * A frame on the badblocks list before recovery (fsnvm_mark_bad()) is
 * never used again, but its entry, when it can be read and is trusted,
 * still counts: its seq and vouch as any other's, and a key it names takes
 * part in that key's resolution with the frame left bad.  A key whose
 * newest entry it is must not be served from an older copy elsewhere, nor
 * read as never written: its page is lost, and its load fails
 * (fsnvm_recover_bad_listed()).
 *
 * An entry that cannot be read hides the key it named: KEEP refuses to
 * go on, before writing anything (fsnvm_recover_refuse_keep()), as any
 * page it kept could be older than that key's hidden copy.
 *
 * FSNVM_RECOVER_INSPECT only reads: the result is the index as the media
 * has it (what the crash test and `fsnvmctl check` look at).
 * An entry naming a key below the superblock's stale_below was released
 * by an earlier attach (fsnvm_format.h) and is read as a free one.
 *
 * FSNVM_RECOVER_ATTACH then makes the device ready for a new boot's swap:
 * swap contents never outlive the swap device's own state, so every page
 * found is stale.  It releases them all at once by raising stale_below
 * past every seq found, writing no entry (entry by entry only when a
 * superblock copy cannot be read); torn and implausible entries
 * are then rewritten clean with the highest wear known, and all frames go
 * to the free pool with their wear.  As nothing found is kept, no key is
 * mapped or resolved, and the report counts every entry naming one as
 * released (none as duplicate or uncommitted).
 * FSNVM_RECOVER_KEEP makes it ready to serve with the pages kept: a block
 * device's blocks outlive a bind (a swap header, for one).  The frames
 * that hold nothing are cleaned (torn, implausible, a duplicate's loser,
 * an uncommitted store) and go to the pool, and so do the pages the
 * device cannot address: any of a type other than 0 (a frontswap user's),
 * and those at or beyond its capacity (fsnvm_engine_capacity()), which
 * fewer good frames or more CPUs than at the last bind may have lowered.
 * The clears go in two fence windows: first every entry that does not
 * hold its key's newest copy, then those that do but hold nothing (an
 * uncommitted store, a page beyond the device, a lost page's retired
 * frame), so that no crash leaves an older copy of a key named alone.
 *
 * Recovery runs before the engine is shared with anyone (the kernel
 * publishes it only afterwards).  It holds the engine's lock all the same,
 * as the helpers it shares with the running engine assert, and lets go of
 * it every FSNVM_RECOVER_YIELD frames to reschedule (fsnvm_recover_yield()):
 * so it may sleep between those, and allocates nothing.
 */
#include "fsnvm_internal.h"

#define FSNVM_RECOVER_YIELD 4096	/* frames per lock hold */

static void fsnvm_recover_yield(struct fsnvm_engine *e, u64 f)
{
	lockdep_assert_held(&e->lock);
	if (f % FSNVM_RECOVER_YIELD)
		return;
	spin_unlock(&e->lock);
	cond_resched();
	spin_lock(&e->lock);
}

void fsnvm_mark_bad(struct fsnvm_engine *e, u64 frame)
{
	spin_lock(&e->lock);
	if (frame < e->geo.nr_frames && fsnvm_fstate(e, frame) != FSNVM_FS_BAD) {
		WRITE_ONCE(e->state[frame], FSNVM_FS_BAD);
		e->stats.frames_bad++;
	}
	spin_unlock(&e->lock);
}

/*
 * The seq of an entry the scan read before; an entry that cannot be read
 * again is counted unreadable, which refuses a KEEP bind after the scan,
 * and gives 0: the key goes to the other entry.
 */
static u64 fsnvm_entry_seq(struct fsnvm_engine *e, u32 frame,
			   struct fsnvm_recovery *rep)
{
	struct fsnvm_entry ent;

	if (fsnvm_read_entry(e, frame, &ent)) {
		rep->unreadable++;
		return 0;
	}
	return le64_to_cpu(ent.seq);
}

/*
 * Map one valid entry, resolving a key named twice by sequence number.  A
 * bad-listed frame (the header) takes part with its state left bad, and
 * its bit in e->lost set while it holds the key: recovery's own mark
 * until fsnvm_recover_bad_listed() settles it (e->lost is written under
 * the lock; a bit on a bad frame the map does not hold means nothing).
 */
static void fsnvm_recover_key(struct fsnvm_engine *e, u32 frame,
			      const struct fsnvm_entry *ent,
			      struct fsnvm_recovery *rep)
{
	u64 key = le64_to_cpu(ent->key);
	unsigned int type = fsnvm_key_type(key);
	u32 offset = (u32)fsnvm_key_offset(key);
	u32 other = fsnvm_keymap_find(&e->map, type, offset);
	bool bad = fsnvm_fstate(e, frame) == FSNVM_FS_BAD;
	u8 filled = (le32_to_cpu(ent->flags) & FSNVM_ENT_FILLED) ?
		    FSNVM_FS_FILLED : 0;

	lockdep_assert_held(&e->lock);
	rep->valid++;
	if (other != FSNVM_NO_FRAME) {
		rep->duplicates++;
		if (fsnvm_entry_seq(e, other, rep) >= le64_to_cpu(ent->seq)) {
			if (!bad)
				WRITE_ONCE(e->state[frame], FSNVM_FS_FREE);
			return;
		}
		if (fsnvm_fstate(e, other) == FSNVM_FS_BAD) {
			__clear_bit(other, e->lost);
		} else {
			if (e->state[other] & FSNVM_FS_FILLED)
				e->stats.pages_filled--;
			WRITE_ONCE(e->state[other], FSNVM_FS_FREE);
		}
	}
	fsnvm_keymap_set(&e->map, type, offset, frame);
	if (bad) {
		__set_bit(frame, e->lost);	/* fsnvm_recover_bad_listed() */
		return;
	}
	WRITE_ONCE(e->state[frame], FSNVM_FS_USED | filled);
	if (filled)
		e->stats.pages_filled++;
}

/*
 * KEEP: does the block device address this key?  Only swap type 0 below
 * its capacity (fsnvm_recover_keep_capacity()); any other key it holds is
 * released.
 */
static bool fsnvm_keep_addresses(const struct fsnvm_engine *e,
				 unsigned int type, u64 offset)
{
	return !type && offset < e->capacity;
}

/* A trusted entry's seqs and vouch (fsnvm_format.h). */
static void fsnvm_recover_seqs(struct fsnvm_engine *e,
			       const struct fsnvm_entry *ent,
			       struct fsnvm_recovery *rep)
{
	fsnvm_entry_vouch(ent, e->vouched);
	if (le64_to_cpu(ent->seq) > rep->max_seq)
		rep->max_seq = le64_to_cpu(ent->seq);
	if (le64_to_cpu(ent->vouch_seq) > rep->max_seq)
		rep->max_seq = le64_to_cpu(ent->vouch_seq);
}

/*
 * In the scan, a frame on the badblocks list (the header): what its
 * entry says, if it can be read and is trusted.  Its wear is not taken:
 * the frame is out of use.  An entry naming a key that is not released
 * counts as released in ATTACH, and in KEEP and INSPECT takes part in
 * the key's resolution.  Returns true if the entry names a key, released
 * or not: for fsnvm_recover_bad_listed().
 */
static bool fsnvm_recover_bad_entry(struct fsnvm_engine *e, u32 frame,
				    u64 stale_below, bool maps,
				    struct fsnvm_recovery *rep)
{
	enum fsnvm_entry_class cls;
	struct fsnvm_entry ent;

	lockdep_assert_held(&e->lock);
	if (fsnvm_read_entry(e, frame, &ent)) {
		rep->bad_unreadable++;
		return false;
	}
	cls = fsnvm_entry_classify(&ent);
	if (cls == FSNVM_ENTRY_TORN || cls == FSNVM_ENTRY_IMPLAUSIBLE)
		return false;
	fsnvm_recover_seqs(e, &ent, rep);
	if (cls != FSNVM_ENTRY_MAPPED)
		return false;
	if (fsnvm_entry_released(&ent, stale_below)) {
		rep->stale++;
		return true;
	}
	if (maps) {
		fsnvm_recover_key(e, frame, &ent, rep);
	} else {
		rep->valid++;
		rep->released++;
	}
	return true;
}

/*
 * After the scan (and in KEEP the device's range), without writing:
 * settle the keys a bad-listed frame holds (marked in e->lost by
 * fsnvm_recover_key()).  Uncommitted, or beyond what a KEEP device
 * addresses, they hold nothing, as on any frame.  Otherwise the page is
 * lost: the key stays mapped to the bad frame, whose lost bit makes its
 * load fail and say so (fsnvm_load_failed()), as after a memory error
 * while bound (fsnvm_poison.c).  An entry that cannot be read again
 * counts as lost.  The marks stay: fsnvm_recover_bad_retire() rewrites
 * those entries, and on frames the map does not hold they mean nothing.
 */
static void fsnvm_recover_bad_listed(struct fsnvm_engine *e,
				     enum fsnvm_recover_mode mode,
				     struct fsnvm_recovery *rep)
{
	struct fsnvm_entry ent;
	unsigned int type;
	u32 offset;
	u64 f, key;

	lockdep_assert_held(&e->lock);
	for (f = 0; f < e->geo.nr_frames; f++) {
		fsnvm_recover_yield(e, f);
		if (fsnvm_fstate(e, f) != FSNVM_FS_BAD ||
		    !fsnvm_frame_lost(e, (u32)f))
			continue;
		if (!fsnvm_read_entry(e, f, &ent)) {
			key = le64_to_cpu(ent.key);
			type = fsnvm_key_type(key);
			offset = (u32)fsnvm_key_offset(key);
			if (!fsnvm_entry_committed(&ent, e->vouched)) {
				fsnvm_keymap_remove(&e->map, type, offset);
				rep->uncommitted++;
				continue;
			}
			if (mode == FSNVM_RECOVER_KEEP &&
			    !fsnvm_keep_addresses(e, type, offset)) {
				fsnvm_keymap_remove(&e->map, type, offset);
				rep->released++;
				continue;
			}
			if (mode == FSNVM_RECOVER_KEEP)
				pr_err_ratelimited("frame %llu is on the badblocks list: page of swap type %u offset %u lost\n",
						   (unsigned long long)f, type,
						   offset);
		}
		e->stats.pages_lost++;
		rep->lost++;
	}
}

/*
 * KEEP: no bad-listed entry may name a key once the bind is done, or it
 * would come back once its block leaves the list.  They are rewritten in
 * the order that keeps a crash from serving an older copy: first those
 * not holding their key (an older copy, released, superseded), before the
 * fill, whose fence makes them durable with the other frames' clears;
 * then (after) those the scan marked, which hold or held their key's
 * newest entry: retired, a lost page's key staying mapped until its load
 * or invalidation, and made durable by fsnvm_drop_unheld()'s fence.
 */
static void fsnvm_recover_bad_clear(struct fsnvm_engine *e)
{
	struct fsnvm_entry ent;
	u64 f, wear;

	lockdep_assert_held(&e->lock);
	for (f = 0; f < e->geo.nr_frames; f++) {
		fsnvm_recover_yield(e, f);
		if (fsnvm_fstate(e, f) == FSNVM_FS_BAD &&
		    !fsnvm_frame_lost(e, (u32)f) &&
		    !fsnvm_read_entry(e, f, &ent) &&
		    fsnvm_entry_classify(&ent) == FSNVM_ENTRY_MAPPED)
			fsnvm_clear_entry(e, f, &wear);
	}
}

static void fsnvm_recover_bad_retire(struct fsnvm_engine *e)
{
	u64 f;

	lockdep_assert_held(&e->lock);
	for (f = 0; f < e->geo.nr_frames; f++) {
		fsnvm_recover_yield(e, f);
		if (fsnvm_fstate(e, f) == FSNVM_FS_BAD &&
		    fsnvm_frame_lost(e, (u32)f))
			fsnvm_retire(e, (u32)f);
	}
}

/*
 * Rewrite a torn or implausible entry clean with the highest wear known
 * (stats.wear_max, complete after the scan), and with clear_key also clear
 * one that still names a key though its frame is not mapped (a duplicate's
 * loser, a page released).  Returns the wear the entry now holds, as
 * fsnvm_entry_wear() would read it.  Called in ATTACH and KEEP.
 */
static u64 fsnvm_recover_clean(struct fsnvm_engine *e, u32 frame,
			       bool clear_key)
{
	struct fsnvm_entry ent;
	u64 wear;

	lockdep_assert_held(&e->lock);
	if (fsnvm_read_entry(e, frame, &ent))
		return e->stats.wear_max;
	if (fsnvm_entry_untrusted(&ent)) {
		fsnvm_write_entry(e, frame, 0, 0, e->stats.wear_max, 0, 0, 0,
				  NULL);
		return e->stats.wear_max;
	}
	wear = le64_to_cpu(ent.wear);
	if (clear_key && le64_to_cpu(ent.key))
		fsnvm_clear_entry(e, frame, &wear);
	return wear;
}

/*
 * ATTACH, in the scan (the header): count an entry naming a key as
 * released, and note every frame's wear for fsnvm_recover_fill().  A torn
 * or implausible entry is left to that fill: the highest wear known,
 * which stands for its own, is complete only after the scan.
 */
static void fsnvm_recover_attach_one(struct fsnvm_engine *e, u32 frame,
				     const struct fsnvm_entry *ent,
				     enum fsnvm_entry_class cls,
				     struct fsnvm_recovery *rep)
{
	lockdep_assert_held(&e->lock);
	if (cls == FSNVM_ENTRY_TORN || cls == FSNVM_ENTRY_IMPLAUSIBLE) {
		fsnvm_wear_pool_note(&e->pool, frame, ~0ULL);	/* unknown */
		return;
	}
	if (cls == FSNVM_ENTRY_MAPPED) {
		rep->valid++;
		rep->released++;
	}
	fsnvm_wear_pool_note(&e->pool, frame, le64_to_cpu(ent->wear));
}

/*
 * ATTACH when the superblock cannot be updated (fsnvm_super_set_stale_below()):
 * release the pages entry by entry, bad-listed frames' too; the fill's
 * fence makes it durable.
 */
static void fsnvm_recover_clear_keys(struct fsnvm_engine *e)
{
	struct fsnvm_entry ent;
	u64 f, wear;

	lockdep_assert_held(&e->lock);
	pr_warn("a superblock copy cannot be read: releasing the pages found entry by entry\n");
	for (f = 0; f < e->geo.nr_frames; f++) {
		fsnvm_recover_yield(e, f);
		if ((fsnvm_fstate(e, f) == FSNVM_FS_FREE ||
		     fsnvm_fstate(e, f) == FSNVM_FS_BAD) &&
		    !fsnvm_read_entry(e, f, &ent) &&
		    fsnvm_entry_classify(&ent) == FSNVM_ENTRY_MAPPED)
			fsnvm_clear_entry(e, f, &wear);
	}
}

/*
 * After the scan, every free frame goes to the pool with its wear: the
 * one ATTACH's scan noted; else, in KEEP and where ATTACH's note did not
 * fit, the one its entry holds once cleaned (fsnvm_recover_clean(), which
 * rewrites a torn or implausible entry, and in KEEP clears a key the
 * frame no longer holds; ATTACH's stale_below has released those);
 * INSPECT only reads it.
 */
static void fsnvm_recover_fill(struct fsnvm_engine *e,
			       enum fsnvm_recover_mode mode)
{
	u64 f, wear;

	lockdep_assert_held(&e->lock);
	for (f = 0; f < e->geo.nr_frames; f++) {
		fsnvm_recover_yield(e, f);
		if (fsnvm_fstate(e, f) != FSNVM_FS_FREE)
			continue;
		if (mode == FSNVM_RECOVER_INSPECT)
			wear = fsnvm_entry_wear(e, f);
		else if (mode != FSNVM_RECOVER_ATTACH ||
			 !fsnvm_wear_pool_noted(&e->pool, f, &wear))
			wear = fsnvm_recover_clean(e, f,
						   mode == FSNVM_RECOVER_KEEP);
		fsnvm_wear_pool_put(&e->pool, f, wear);
	}
	if (mode != FSNVM_RECOVER_INSPECT)
		fsnvm_pmem_fence();
}

/*
 * KEEP: a kept page whose entry the scan read but cannot read again
 * (fsnvm_drop_unheld()) may not be committed: it is lost as after a memory
 * error (fsnvm_poison_mapped()), its key left mapped to the retired frame
 * so that its load fails and says so.
 */
static void fsnvm_recover_lose(struct fsnvm_engine *e, u32 frame,
			       struct fsnvm_recovery *rep)
{
	lockdep_assert_held(&e->lock);
	__set_bit(frame, e->lost);
	fsnvm_poison_mapped(e, frame);
	rep->lost++;
}

/*
 * Unmap every key that holds nothing: its winning entry is not committed,
 * or (KEEP) it is beyond what the device addresses (the header's).  KEEP
 * does this after the fill, whose fence made the clears of the keys'
 * older entries durable, and only then clears the winners' (and fences,
 * for fsnvm_recover_bad_retire() too): cleared in one fence window, a
 * crash could leave an older copy named alone, for a later bind to serve.
 */
static void fsnvm_drop_unheld(struct fsnvm_engine *e,
			      enum fsnvm_recover_mode mode,
			      struct fsnvm_recovery *rep)
{
	bool committed, keep = mode == FSNVM_RECOVER_KEEP;
	struct fsnvm_entry ent;
	unsigned int type;
	u64 f, key, offset;

	lockdep_assert_held(&e->lock);
	for (f = 0; f < e->geo.nr_frames; f++) {
		fsnvm_recover_yield(e, f);
		if (fsnvm_fstate(e, f) != FSNVM_FS_USED)
			continue;
		if (fsnvm_read_entry(e, f, &ent)) {
			if (keep)
				fsnvm_recover_lose(e, (u32)f, rep);
			continue;
		}
		committed = fsnvm_entry_committed(&ent, e->vouched);
		key = le64_to_cpu(ent.key);
		type = fsnvm_key_type(key);
		offset = fsnvm_key_offset(key);
		if (committed && (!keep || fsnvm_keep_addresses(e, type, offset)))
			continue;
		fsnvm_keymap_remove(&e->map, type, (u32)offset);
		if (e->state[f] & FSNVM_FS_FILLED)
			e->stats.pages_filled--;
		WRITE_ONCE(e->state[f], FSNVM_FS_FREE);
		if (committed)
			rep->released++;
		else
			rep->uncommitted++;
		if (keep)
			fsnvm_wear_pool_put(&e->pool, f,
					    fsnvm_recover_clean(e, f, true));
	}
	if (keep)
		fsnvm_pmem_fence();
}

/*
 * The scan's key map lookups go to random slots, each a cache miss that
 * would otherwise stall it: look at the key of the entry this far ahead
 * and prefetch its slot.  Only the key is read, machine-check safe; a
 * garbage key still hashes into the map, so the hint is always harmless.
 */
#define FSNVM_RECOVER_AHEAD 8

static void fsnvm_recover_prefetch(struct fsnvm_engine *e, u64 f)
{
	__le64 key;
	u64 k;

	if (f >= e->geo.nr_frames ||
	    fsnvm_pmem_read(&key, &fsnvm_entry_at(e->base, &e->geo, f)->key,
			    sizeof(key)))
		return;
	k = le64_to_cpu(key);
	if (k & FSNVM_KEY_VALID)
		fsnvm_keymap_prefetch(&e->map, fsnvm_key_type(k),
				      (u32)fsnvm_key_offset(k));
}

/*
 * KEEP cannot go on past an entry the scan could not read: the key it
 * named is unknown, so any page kept may be older than that key's newest
 * copy, or read as never written where it was written.  Refuse before
 * anything is written, and keep nothing mapped for a caller that goes on
 * regardless (the engine is read-only, as after any failed recovery).
 * INSPECT reads on (fsnvmctl check); ATTACH keeps nothing.
 */
static int fsnvm_recover_refuse_keep(struct fsnvm_engine *e,
				     const struct fsnvm_recovery *rep)
{
	lockdep_assert_held(&e->lock);
	fsnvm_keymap_clear(&e->map);
	e->readonly = true;
	pr_err("%llu index entries cannot be read (a media error), so a kept page may not be its newest copy: nothing kept, bind refused; `fsnvmctl format --keep-wear` starts the device again with its wear\n",
	       (unsigned long long)(rep->unreadable + rep->bad_unreadable));
	return -EIO;
}

/* KEEP: the pages the block device may address (fsnvm_engine_capacity()). */
static void fsnvm_recover_keep_capacity(struct fsnvm_engine *e)
{
	u64 good = e->geo.nr_frames - e->stats.frames_bad;
	u64 reserve = fsnvm_engine_reserve(e);

	lockdep_assert_held(&e->lock);
	e->capacity = good > reserve ? good - reserve : 0;
	if (e->capacity > (u64)FSNVM_MAX_MAP_OFFSET + 1)
		e->capacity = (u64)FSNVM_MAX_MAP_OFFSET + 1;
}

static int fsnvm_recover_locked(struct fsnvm_engine *e,
				enum fsnvm_recover_mode mode,
				struct fsnvm_recovery *rep)
{
	/* ATTACH maps nothing: every page it finds is stale (the header). */
	bool maps = mode != FSNVM_RECOVER_ATTACH;
	u64 stale_below = fsnvm_super_stale_below(&e->super);
	u64 f, untrusted, bad_named = 0, min_wear = ~0ULL;

	lockdep_assert_held(&e->lock);
	memset(rep, 0, sizeof(*rep));
	memset(e->vouched, 0, FSNVM_MAX_WRITERS * sizeof(*e->vouched));
	for (f = 0; f < e->geo.nr_frames; f++) {
		enum fsnvm_entry_class cls;
		struct fsnvm_entry ent;
		u64 wear;

		fsnvm_recover_yield(e, f);
		if (maps)
			fsnvm_recover_prefetch(e, f + FSNVM_RECOVER_AHEAD);
		if (fsnvm_fstate(e, f) == FSNVM_FS_BAD) {
			bad_named += fsnvm_recover_bad_entry(e, f, stale_below,
							     maps, rep);
			continue;
		}
		if (fsnvm_read_entry(e, f, &ent)) {
			rep->unreadable++;
			WRITE_ONCE(e->state[f], FSNVM_FS_BAD);
			e->stats.frames_bad++;
			continue;
		}
		WRITE_ONCE(e->state[f], FSNVM_FS_FREE);
		cls = fsnvm_entry_classify(&ent);
		if (cls == FSNVM_ENTRY_MAPPED &&
		    fsnvm_entry_released(&ent, stale_below)) {
			rep->stale++;
			cls = FSNVM_ENTRY_FREE;
		}
		if (!maps)
			fsnvm_recover_attach_one(e, f, &ent, cls, rep);
		if (cls == FSNVM_ENTRY_TORN) {
			rep->torn++;
			continue;
		}
		if (cls == FSNVM_ENTRY_IMPLAUSIBLE) {
			rep->implausible++;
			continue;
		}
		wear = le64_to_cpu(ent.wear);
		e->stats.wear_sum = fsnvm_add_sat(e->stats.wear_sum, wear);
		if (wear > e->stats.wear_max)
			e->stats.wear_max = wear;
		if (cls == FSNVM_ENTRY_FREE &&
		    (le32_to_cpu(ent.flags) & FSNVM_ENT_RETIRED)) {
			WRITE_ONCE(e->state[f], FSNVM_FS_BAD);
			e->stats.frames_bad++;
			rep->retired++;
		} else if (wear < min_wear) {
			min_wear = wear;
		}
		fsnvm_recover_seqs(e, &ent, rep);
		if (cls == FSNVM_ENTRY_MAPPED && maps)
			fsnvm_recover_key(e, f, &ent, rep);
	}
	if (mode == FSNVM_RECOVER_KEEP &&
	    (rep->unreadable || rep->bad_unreadable))
		return fsnvm_recover_refuse_keep(e, rep);
	/* The untrusted entries' frames: the highest wear known each. */
	untrusted = rep->torn + rep->implausible;
	e->stats.wear_sum = fsnvm_add_sat(e->stats.wear_sum,
					  fsnvm_mul_sat(e->stats.wear_max,
							untrusted));
	if (mode == FSNVM_RECOVER_INSPECT)
		fsnvm_drop_unheld(e, mode, rep);
	rep->bad_frames = e->stats.frames_bad;
	/* New stores go above the released ones: stale_below <= SEQ_MAX + 1. */
	if (stale_below > rep->max_seq + 1)
		rep->max_seq = stale_below - 1;
	e->seq = rep->max_seq + 1;	/* <= FSNVM_SEQ_MAX + 1: no wrap */
	/* Release every page found, in one superblock update, if any. */
	if (!maps && rep->valid &&
	    fsnvm_super_set_stale_below(e->base, &e->super, &e->super_pick,
					e->seq))
		fsnvm_recover_clear_keys(e);
	e->user_wear_max = e->stats.wear_max;

	/*
	 * The pool's window starts at the least wear of any frame not bad,
	 * known from the scan without reading the index again: exact when
	 * attaching (every such frame is free), a lower bound when
	 * inspecting (mapped frames count too), which the pool handles.
	 */
	if (untrusted && e->stats.wear_max < min_wear)
		min_wear = e->stats.wear_max;
	fsnvm_wear_pool_reset(&e->pool, min_wear == ~0ULL ? 0 : min_wear);
	if (mode == FSNVM_RECOVER_KEEP)
		fsnvm_recover_keep_capacity(e);
	if (maps && bad_named)
		fsnvm_recover_bad_listed(e, mode, rep);
	if (mode == FSNVM_RECOVER_KEEP && bad_named)
		fsnvm_recover_bad_clear(e);
	fsnvm_recover_fill(e, mode);
	if (mode == FSNVM_RECOVER_KEEP && bad_named)
		fsnvm_recover_bad_retire(e);
	if (mode == FSNVM_RECOVER_KEEP)
		fsnvm_drop_unheld(e, mode, rep);
	e->readonly = mode == FSNVM_RECOVER_INSPECT;
	if (!e->readonly && rep->max_seq > FSNVM_SEQ_MAX - FSNVM_SEQ_ROOM) {
		/*
		 * No room for the seqs of stores (fsnvm_layout.h): refuse the
		 * attach.  The entries are clean and keep their wear, so a
		 * format --keep-wear, which starts the seqs again, loses
		 * nothing.  The engine stays read-only for a caller that goes
		 * on regardless.
		 */
		pr_err("index seq %llu leaves no room below %llu for new stores: reformat the device (fsnvmctl format --keep-wear)\n",
		       (unsigned long long)rep->max_seq,
		       (unsigned long long)FSNVM_SEQ_MAX);
		e->readonly = true;
		return -EOVERFLOW;
	}
	return 0;
}

int fsnvm_recover(struct fsnvm_engine *e, enum fsnvm_recover_mode mode,
		  struct fsnvm_recovery *rep)
{
	int ret;

	spin_lock(&e->lock);
	ret = fsnvm_recover_locked(e, mode, rep);
	spin_unlock(&e->lock);
	return ret;
}
