/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frontswap-nvm engine: a slab of page frames on persistent memory,
 * served with the frontswap contract (Documentation/vm/frontswap.rst):
 *
 *  store(type, offset, page)  0, or a refusal (the page then goes to the
 *                             disk swap); a store of a key that exists puts
 *                             the new data in a new frame, and if that
 *                             cannot be done invalidates the old copy and
 *                             refuses: stale data is never returned
 *  load(type, offset, page)   0 and the page, or -ENOENT; the page stays
 *  invalidate_page(type, off) forget one page
 *  invalidate_area(type)      forget every page of a swap type (swapoff)
 *
 * Writes go out of place to the least-worn free frame (fsnvm_wear.h);
 * same-filled pages live in their index entry only.  fsnvm_balance.c moves
 * cold data off young frames; fsnvm_recover.c rebuilds the DRAM state from
 * the media.
 *
 * Locking: one spinlock, fsnvm_engine.lock, protects the key map, the free
 * pool, the frame states, the generations and the counters; every change
 * to them is made under it.  Copies of page data run outside it: a frame
 * being written is BUSY (owned by its writer, invisible to everyone else).
 * Most stores take the lock only once per FSNVM_STASH stores: they use
 * frames their writer stashed, and their mappings wait in the writer's
 * ring for the next lock holder to publish them (fsnvm_writer.c).
 * Loads take no lock at all: they look the key up under the map's
 * seqcount and check, after copying, that the frame's generation did not
 * change, i.e. that the frame was not unmapped (and maybe reused) under
 * them; if it did they retry (fsnvm_engine.c).  Index entries are written
 * under the lock, except the new entry of a BUSY frame.
 *
 * The caller serializes the operations on one key: a key's store, load and
 * invalidate_page never overlap, nor does invalidate_area(type) overlap
 * any operation on a key of that type.  The kernel guarantees this through
 * the swap cache: a slot is stored and loaded with its page locked in the
 * swap cache, and freed (invalidated) only once no page holds it.  The
 * balancer moves pages under all of them and is handled (fsnvm_balance.c).
 */
#ifndef FSNVM_ENGINE_H
#define FSNVM_ENGINE_H

#include "fsnvm_keymap.h"
#include "fsnvm_layout.h"

/* Where fsnvm_race_point() is called (the platform's, for tests). */
enum fsnvm_race {
	FSNVM_RACE_LOAD_MISSED,	/* a lockless load's lookup found nothing */
	FSNVM_RACE_AREA_YIELD,	/* invalidate_area dropped the lock */
	FSNVM_RACE_BALANCE_COPIED,	/* a move copied, not yet finished */
};

/* Frame state, one byte per frame: bits 0..2 state, then flags, pins. */
#define FSNVM_FS_FREE		0	/* in the wear pool */
#define FSNVM_FS_BUSY		1	/* taken by a store or a migration */
#define FSNVM_FS_USED		2	/* mapped in the key map */
#define FSNVM_FS_DEAD		3	/* unmapped, entry cleared, still pinned */
#define FSNVM_FS_BAD		4	/* retired: never used again */
#define FSNVM_FS_STATE_MASK	0x07
#define FSNVM_FS_MOVING		0x08	/* the balancer is copying it */
#define FSNVM_FS_FILLED		0x10	/* same-filled page, no data */

struct fsnvm_stats {
	/* frontswap's own (Documentation/vm/frontswap.rst) */
	u64 succ_stores;
	u64 failed_stores;
	u64 loads;
	u64 invalidates;
	/* the engine's */
	u64 failed_loads;	/* key not present */
	u64 invalidate_areas;
	u64 same_filled;	/* stores kept in the entry only */
	u64 duplicate_stores;	/* store of a key already present */
	u64 refused_full;
	u64 refused_range;	/* offset or type beyond what the map holds */
	u64 load_errors;	/* media errors on load: data lost, reported */
	u64 crc_errors;		/* data crc mismatches on load */
	u64 frames_retired;
	u64 migrations;		/* balancer data moves */
	u64 balancer_runs;
	u64 data_writes;	/* frame data writes, user and balancer */
	u64 wear_max;		/* highest wear of any frame */
	u64 wear_sum;		/* total wear of all frames */
	u64 frames_total;
	u64 frames_used;
	u64 frames_free;
	u64 frames_bad;
	u64 pages_filled;	/* stored pages that are same-filled */
	u64 frames_poisoned;	/* frames a reported memory error hit */
	u64 pages_lost;		/* stored pages on those, not yet loaded */
};

/*
 * A writer's stash (fsnvm_writer.c): frames and sequence numbers it took
 * under the lock, so that most stores take no lock at all, and the stores
 * it made with them that are not yet in the key map ("pending").  The
 * slots form a ring indexed by three counters that only grow:
 *
 *   [drained, used)   pending stores, published by whoever next holds the
 *                     lock (fsnvm_publish_pending())
 *   [used, stocked)   stashed free frames, least worn first
 *
 * Only the writer writes `used` (release: the slot first), `stocked`, the
 * slots and the seq batch; `drained` is written under the lock (release:
 * the key map first).  Anyone may read `drained` then `used` (acquire)
 * to learn that the writer has nothing pending.
 */
#define FSNVM_STASH		16	/* frames and seqs taken per lock hold */

struct fsnvm_stash_slot {
	u64 wear;		/* the frame's; once stored, as written */
	u32 frame;
	u32 offset;		/* the key, once stored */
	u8 type;
	bool taken;		/* used by a locked store: nothing to publish */
};

/*
 * What a writer (fsnvm_writer_begin(): a CPU, or a thread in userspace)
 * has made durable: the seq of its last store whose fence has passed, and
 * that store's frame.  Its next store's entry vouches for `done`
 * (fsnvm_format.h).  Only the writer itself writes it (one store at a time
 * per writer), so it needs no lock; fsnvm_engine_close() reads it once all
 * stores are over.  A whole number of cache lines, so that writers share
 * none when the array is line aligned.
 */
struct fsnvm_writer {
	u64 drained;		/* the stash counters, see above */
	u64 used;
	u64 stocked;
	u64 seq_next;		/* the seq batch: [seq_next, seq_end) */
	u64 seq_end;
	u64 done;
	u32 done_frame;
	/* its loads' counters, summed by fsnvm_get_stats() */
	u64 loads;
	/*
	 * Each slot's key once stored (fsnvm_key(); 0 if a locked store
	 * took the slot), packed on two lines of their own: what other
	 * writers' key checks read on every store (fsnvm_pending_key()).
	 */
	u64 key[FSNVM_STASH];
	u64 failed_loads;
	struct fsnvm_stash_slot slot[FSNVM_STASH];
	u8 pad[56];
};

static_assert(sizeof(struct fsnvm_writer) % 64 == 0, "writer lines");

/* The trust fields of an entry (fsnvm_format.h); all zero for none. */
struct fsnvm_vouch {
	unsigned int writer;		/* must be vouched for, or 0 */
	unsigned int vouch_writer;
	u64 vouch_seq;
};

struct fsnvm_engine {
	void *base;			/* the mapped namespace */
	struct fsnvm_geometry geo;
	struct fsnvm_super super;	/* the copy opened with */
	struct fsnvm_super_pick super_pick;	/* which, and the other's state */
	bool data_crc;			/* COMPAT_DATA_CRC: verify on load */
	bool readonly;			/* inspected only: refuse stores */
	u8 *bounce;			/* the balancer's page buffer */
	struct fsnvm_writer *writers;	/* [nr_writers], see above */
	unsigned int nr_writers;	/* fsnvm_nr_writers() */
	unsigned int writers_seen;	/* writers that ever stocked, lock */
	u64 *vouched;			/* [FSNVM_MAX_WRITERS], by recovery */

	spinlock_t lock;		/* protects everything below */
	u8 *state;			/* per frame: FSNVM_FS_* */
	u32 *gen;			/* per frame: bumped when unmapped */
	/*
	 * Per frame, one bit: a memory error hit it (fsnvm_poison.c).  Set
	 * before the frame's generation is bumped, never cleared; lockless
	 * loads read it after the generation.  Kept apart from state, which
	 * is rewritten whole on every transition, so that no transition
	 * loses it: whoever next owns the frame retires it.
	 */
	unsigned long *lost;
	struct fsnvm_keymap map;
	struct fsnvm_wear_pool pool;
	u64 seq;			/* next store sequence number */
	u64 balance_cursor;		/* next frame the balancer looks at */
	u64 used_wear_floor;		/* least used wear of the last pass */
	u64 pass_min;			/* least used wear so far this pass */
	u64 user_wear_max;		/* highest wear a user store produced */
	struct fsnvm_stats stats;
};

/* Map an already formatted image; fails with the media status. */
struct fsnvm_engine *fsnvm_engine_open(void *base, u64 device_bytes,
				       enum fsnvm_media_status *status);
void fsnvm_engine_close(struct fsnvm_engine *e);

int fsnvm_store(struct fsnvm_engine *e, unsigned int type, u64 offset,
		const void *page);
int fsnvm_load(struct fsnvm_engine *e, unsigned int type, u64 offset,
	       void *page);
void fsnvm_invalidate_page(struct fsnvm_engine *e, unsigned int type,
			   u64 offset);
/* Returns the number of pages dropped. */
u64 fsnvm_invalidate_area(struct fsnvm_engine *e, unsigned int type);

void fsnvm_get_stats(struct fsnvm_engine *e, struct fsnvm_stats *out);

/* Balancer policy (fsnvm_balance.c). */
struct fsnvm_balance_params {
	/* act on a used frame this far behind the least-worn free frame */
	u64 threshold;
	/* ... or first_move times that if never moved before (0 acts as 1) */
	unsigned int first_move;
	unsigned int budget;	/* at most this many moves per step */
	unsigned int scan;	/* at most this many frames looked at per step */
};

bool fsnvm_balance_wanted(struct fsnvm_engine *e,
			  const struct fsnvm_balance_params *p);
unsigned int fsnvm_balance_step(struct fsnvm_engine *e,
				const struct fsnvm_balance_params *p);

/*
 * Put every acknowledged store in the key map (fsnvm_writer.c); after it,
 * fsnvm_keymap_find() sees every store that returned before the call.
 */
void fsnvm_publish_stores(struct fsnvm_engine *e);
/*
 * A writer stores no more for now (in the kernel: its CPU went offline):
 * publish its stores and give its stashed frames back to the pool.  No
 * store may run as that writer during the call (fsnvm_writer.c).
 */
void fsnvm_writer_gone(struct fsnvm_engine *e, unsigned int writer);

/*
 * A memory error on bytes [off, off + len) of the namespace, reported
 * while bound (fsnvm_poison.c): every frame whose data or entry lies there
 * is retired at once where it is free or holds a page, or as soon as its
 * owner lets go of it where a store or the balancer holds it; a stored
 * page there is lost, and its load fails and says so.  Returns the number
 * of frames newly hit.
 */
u64 fsnvm_media_failure(struct fsnvm_engine *e, u64 off, u64 len);

/* Recovery (fsnvm_recover.c). */
struct fsnvm_recovery {
	u64 valid;		/* entries naming a key */
	u64 duplicates;		/* older entries of a key named twice */
	u64 torn;		/* entries with a bad crc (kept free) */
	u64 implausible;	/* crc ok, a counter out of bounds (as torn) */
	u64 unreadable;		/* entries behind a media error */
	u64 bad_frames;		/* frames retired: badblocks, media errors */
	u64 retired;		/* of those, by an entry (FSNVM_ENT_RETIRED) */
	u64 uncommitted;	/* keys whose newest entry lacks its data */
	u64 released;		/* valid entries cleared by release_stale */
	u64 max_seq;
};

enum fsnvm_recover_mode {
	FSNVM_RECOVER_INSPECT,	/* read only; the engine refuses writes */
	FSNVM_RECOVER_ATTACH,	/* clear stale entries, ready to serve */
};

/* Never use this frame (e.g. it is on the namespace's badblocks list). */
void fsnvm_mark_bad(struct fsnvm_engine *e, u64 frame);
/*
 * Rebuild the key map and the free pool from the index (fsnvm_recover.c).
 * 0, or in ATTACH -EOVERFLOW when the seqs found leave no room for new
 * stores (the device needs a format --keep-wear; the engine stays
 * read-only).
 */
int fsnvm_recover(struct fsnvm_engine *e, enum fsnvm_recover_mode mode,
		  struct fsnvm_recovery *rep);

/* Internal, shared by the engine's files. */
u64 fsnvm_entry_wear(struct fsnvm_engine *e, u32 frame);
void fsnvm_write_entry(struct fsnvm_engine *e, u32 frame, u64 key, u64 seq,
		       u64 wear, u64 fill, u32 flags, u32 data_crc,
		       const struct fsnvm_vouch *vouch);
/* The vouch a frame's entry carries, to keep when it is rewritten. */
void fsnvm_entry_vouch_of(struct fsnvm_engine *e, u32 frame,
			  struct fsnvm_vouch *vouch);
int fsnvm_clear_entry(struct fsnvm_engine *e, u32 frame, u64 *wear);
void fsnvm_release_frame(struct fsnvm_engine *e, u32 frame, u64 wear);
/* Account one frame data write that left the frame at `wear`. */
void fsnvm_count_write(struct fsnvm_engine *e, u64 wear);
/* The same for a user store's write, which also raises user_wear_max. */
void fsnvm_count_user_write(struct fsnvm_engine *e, u64 wear);
/* Never use the frame again, this boot or the next (fsnvm_engine.c). */
void fsnvm_retire(struct fsnvm_engine *e, u32 frame);
/* Retire every frame a memory error hit that is not yet (lock held). */
void fsnvm_retire_lost(struct fsnvm_engine *e);
/* Retire a lost frame that holds a key, which stays mapped (lock held). */
void fsnvm_poison_mapped(struct fsnvm_engine *e, u32 frame);
/* Unmap a frame that held a key: clear, fence, release (lock held). */
void fsnvm_drop_frame(struct fsnvm_engine *e, u32 frame);
/*
 * The writers' stashes (fsnvm_writer.c).  With the lock held: publish
 * every writer's pending stores; give a writer's stashed frames back to
 * the pool; count the frames stashed (as of the last publish).  Without
 * it: restock a writer (takes the lock); does any writer but this one, or
 * this one for this key, have a store pending?
 */
void fsnvm_publish_pending(struct fsnvm_engine *e);
void fsnvm_writer_unstock(struct fsnvm_engine *e, unsigned int writer);
u64 fsnvm_stashed_frames(struct fsnvm_engine *e);
void fsnvm_writer_restock(struct fsnvm_engine *e, unsigned int writer);
bool fsnvm_pending_elsewhere(struct fsnvm_engine *e, unsigned int writer);
bool fsnvm_pending_key(struct fsnvm_engine *e, unsigned int type, u32 offset);

/* Machine-check-safe read of a frame's entry: bytes NOT read, 0 is success. */
static inline size_t fsnvm_read_entry(struct fsnvm_engine *e, u32 frame,
				      struct fsnvm_entry *ent)
{
	return fsnvm_pmem_read(ent, fsnvm_entry_at(e->base, &e->geo, frame),
			       sizeof(*ent));
}

static inline bool fsnvm_frame_lost(const struct fsnvm_engine *e, u32 f)
{
	return READ_ONCE(e->lost[f / BITS_PER_LONG]) & (1UL << (f % BITS_PER_LONG));
}

/*
 * A frame that held a key and was retired for a memory error, with the
 * key still mapped to it so that its load fails loudly: the key leaves
 * the map now; the entry already says retired (lock held).
 */
static inline bool fsnvm_unmap_retired(struct fsnvm_engine *e, u32 f)
{
	if ((e->state[f] & FSNVM_FS_STATE_MASK) != FSNVM_FS_BAD)
		return false;
	WRITE_ONCE(e->gen[f], e->gen[f] + 1);
	e->stats.pages_lost--;
	return true;
}

static inline unsigned int fsnvm_fstate(const struct fsnvm_engine *e, u32 f)
{
	return e->state[f] & FSNVM_FS_STATE_MASK;
}

/*
 * A mapped frame stops holding its key's page: tell lockless loads that
 * may be copying it.  Under the lock, before its entry is cleared.
 */
static inline void fsnvm_frame_unmapped(struct fsnvm_engine *e, u32 f)
{
	WRITE_ONCE(e->gen[f], e->gen[f] + 1);
}

#endif /* FSNVM_ENGINE_H */
