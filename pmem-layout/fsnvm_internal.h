/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's internals, shared by its files (fsnvm_engine.c, _writer.c,
 * _balance.c, _recover.c, _poison.c) and by the tests that look inside;
 * kernel-backend/ and fsnvmctl use fsnvm_engine.h only.
 *
 * Locking: one spinlock, fsnvm_engine.lock, protects the key map, the free
 * pool, the frame states, the generations and the counters; every change
 * to them is made under it.  Copies of page data run outside it: a frame
 * being written is BUSY (owned by its writer, invisible to everyone else).
 * Most stores take the lock only once per FSNVM_STASH stores: they use
 * frames their writer stashed, and their mappings wait in the writer's
 * ring until its next restock, or until someone else needs every store
 * in the map, publishes them (fsnvm_writer.c).
 * Loads take no lock at all: they look the key up under the map's
 * seqcount and check, after copying, that the frame's generation did not
 * change, i.e. that the frame was not unmapped (and maybe reused) under
 * them; if it did they retry (fsnvm_engine.c).  Index entries are written
 * under the lock, except the new entry of a BUSY frame.
 */
#ifndef FSNVM_INTERNAL_H
#define FSNVM_INTERNAL_H

#include "fsnvm_engine.h"
#include "fsnvm_keymap.h"

/* Where fsnvm_race_point() is called (the platform's, for tests). */
enum fsnvm_race {
	FSNVM_RACE_LOAD_MISSED,	/* a lockless load's lookup found nothing */
	FSNVM_RACE_AREA_YIELD,	/* invalidate_area dropped the lock */
	FSNVM_RACE_BALANCE_COPIED,	/* a move copied, not yet finished */
};

/* Frame state, one byte per frame: bits 0..2 the state, then flags. */
#define FSNVM_FS_FREE		0	/* in the wear pool */
#define FSNVM_FS_BUSY		1	/* taken by a store or a migration */
#define FSNVM_FS_USED		2	/* mapped in the key map */
/* unmapped, entry cleared, while the balancer still copies from it */
#define FSNVM_FS_DEAD		3
#define FSNVM_FS_BAD		4	/* retired: never used again */
#define FSNVM_FS_STATE_MASK	GENMASK(2, 0)
#define FSNVM_FS_MOVING		BIT(3)	/* the balancer is copying it */
#define FSNVM_FS_FILLED		BIT(4)	/* same-filled page, no data */

/*
 * A writer's stash (fsnvm_writer.c): frames and sequence numbers it took
 * under the lock, so that most stores take no lock at all, and the stores
 * it made with them that are not yet in the key map ("pending").  The
 * slots form a ring indexed by three counters that only grow:
 *
 *   [drained, used)   pending stores, published at the writer's next
 *                     restock or by whoever next needs every store in
 *                     the key map (fsnvm_publish_pending())
 *   [used, stocked)   stashed free frames, least worn first
 *
 * Only the writer writes `used` (release: the slot first), `stocked`, the
 * slots and the seq batch; `drained` is written under the lock (release:
 * the key map first).  Anyone may read `drained` then `used` (acquire)
 * to learn that the writer has nothing pending.
 */
#define FSNVM_STASH		16	/* frames and seqs taken per lock hold */

/*
 * The pending counts' buckets (struct fsnvm_engine).  A bucket is a hash
 * of the key's run of 256 offsets.  The kernel hands swap slots out per
 * CPU in clusters of 256 offsets, or 512 with THP_SWAP (two buckets), so
 * CPUs storing at once count in buckets, and mostly on cache lines, the
 * others do not read.
 */
#define FSNVM_PENDING_BUCKET_BITS	10
#define FSNVM_PENDING_BUCKETS	BIT(FSNVM_PENDING_BUCKET_BITS)
#define FSNVM_PENDING_CLUSTER_SHIFT	8

static inline unsigned int fsnvm_pending_bucket(u64 key)
{
	u64 h = (key >> FSNVM_PENDING_CLUSTER_SHIFT) * 0x9e3779b97f4a7c15ULL;

	return h >> (64 - FSNVM_PENDING_BUCKET_BITS);
}

static_assert(FSNVM_STASH < 256, "pending counts are u8");

struct fsnvm_stash_slot {
	u64 wear;		/* the frame's; once stored, as written */
	u32 frame;
	u32 offset;		/* the key, once stored */
	u8 type;
	bool taken;		/* used by a locked store: nothing to publish */
	bool filled;		/* a same-filled page: no data in the frame */
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
	u64 capacity;			/* KEEP: keys of type 0 below this */
	u8 *bounce;			/* the balancer's page buffer */
	struct fsnvm_writer *writers;	/* [nr_writers], see above */
	unsigned int nr_writers;	/* fsnvm_nr_writers() */
	unsigned int writers_seen;	/* writers that ever stocked, lock */
	/*
	 * Which keys may be pending, per writer, counted in buckets
	 * (fsnvm_pending_bucket()): [writer - 1][bucket].  A writer adds one
	 * to its pend_stored bucket for each store it makes pending (only
	 * it writes them); whoever publishes the store adds one to the
	 * writer's pend_published bucket (under the lock).  The two differ
	 * while a store of some key of that bucket is pending.  Wrapping
	 * is harmless: a writer has at most FSNVM_STASH stores pending.
	 * Two arrays, so that a writer's own counts and the publisher's
	 * share no line.
	 */
	u8 *pend_stored;
	u8 *pend_published;
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
/* Retire every frame a memory error hit that is not yet. */
void fsnvm_retire_lost(struct fsnvm_engine *e);
/* Retire a lost frame that holds a key, which stays mapped. */
void fsnvm_poison_mapped(struct fsnvm_engine *e, u32 frame);
/* Unmap a frame that held a key: clear, fence, release. */
void fsnvm_drop_frame(struct fsnvm_engine *e, u32 frame);
/*
 * Write a store's entry and make it durable with its page: the one fence
 * of a store (fsnvm_engine.c).
 */
void fsnvm_commit_entry(struct fsnvm_engine *e, unsigned int writer,
			u32 frame, u64 key, u64 seq, u64 wear, u64 fill,
			bool filled, u32 data_crc);
/*
 * The writers' stashes (fsnvm_writer.c).  With the lock held: publish
 * every writer's pending stores; give a writer's stashed frames back to
 * the pool; count the frames stashed (as of the last publish).  Without
 * it: a store on the writer's stash (0, or -EAGAIN for the locked path to
 * finish it, with *prewritten the frame already holding the page); does
 * any writer but this one have a store pending?
 */
void fsnvm_publish_pending(struct fsnvm_engine *e);
void fsnvm_writer_unstock(struct fsnvm_engine *e, unsigned int writer);
u64 fsnvm_stashed_frames(struct fsnvm_engine *e);
int fsnvm_store_lockless(struct fsnvm_engine *e, unsigned int writer,
			 unsigned int type, u32 offset, const void *page,
			 u64 fill, bool filled, u32 *prewritten, u64 *wear);
bool fsnvm_pending_elsewhere(struct fsnvm_engine *e, unsigned int writer);

/* Machine-check-safe read of a frame's entry: bytes NOT read, 0 is success. */
static inline size_t fsnvm_read_entry(struct fsnvm_engine *e, u32 frame,
				      struct fsnvm_entry *ent)
{
	return fsnvm_pmem_read(ent, fsnvm_entry_at(e->base, &e->geo, frame),
			       sizeof(*ent));
}

static inline bool fsnvm_frame_lost(const struct fsnvm_engine *e, u32 f)
{
	return test_bit(f, e->lost);
}

/*
 * A frame that held a key and was retired for a memory error, with the
 * key still mapped to it so that its load fails loudly: the key leaves
 * the map now; the entry already says retired.
 */
static inline bool fsnvm_unmap_retired(struct fsnvm_engine *e, u32 f)
{
	lockdep_assert_held(&e->lock);
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
 * may be copying it, before its entry is cleared.
 */
static inline void fsnvm_frame_unmapped(struct fsnvm_engine *e, u32 f)
{
	lockdep_assert_held(&e->lock);
	WRITE_ONCE(e->gen[f], e->gen[f] + 1);
}

#endif /* FSNVM_INTERNAL_H */
