/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The free-frame pool, ordered by wear: hands out the least-worn free frame
 * for data and the most-worn one for pages that cost no data write.
 *
 * Free frames sit in singly linked stacks, one per exact wear value, in a
 * ring of FSNVM_WEAR_BUCKETS buckets covering [base, base + BUCKETS); a
 * bitmap of non-empty buckets makes both ends O(BUCKETS / BITS_PER_LONG).  Two side
 * lists catch what falls outside the window: "low" (wear < base, e.g. a
 * long-held cold frame being released) and "overflow" (wear >= base +
 * BUCKETS).  The low list is unordered, so a query folds it into the
 * buckets first (the window moves down; buckets falling off its top go to
 * the overflow); every answer then comes from the buckets and is exact,
 * except get_most's, which takes any overflow frame (all of them are more
 * worn than every bucket).  Only frames on the side lists need their wear
 * read back through wear_of(); with the balancer working, the free frames'
 * wear stays within a few units of each other and the side lists stay
 * empty.
 *
 * Not thread-safe: the engine calls it under fsnvm_engine.lock.
 */
#ifndef FSNVM_WEAR_H
#define FSNVM_WEAR_H

#include "fsnvm_platform.h"

#define FSNVM_NO_FRAME		0xffffffffU
/* 2 KiB of heads; a spread of 512 is far past any balancer threshold. */
#define FSNVM_WEAR_BUCKETS	512

struct fsnvm_wear_pool {
	u32 *next;		/* per frame: next frame in its stack */
	u32 head[FSNVM_WEAR_BUCKETS];
	DECLARE_BITMAP(nonempty, FSNVM_WEAR_BUCKETS);
	u64 base;		/* wear of the lowest bucket */
	u32 low;		/* stack of frames with wear < base */
	u32 overflow;		/* stack of frames with wear >= base+BUCKETS */
	u64 overflow_min;	/* lower bound of the overflow wears */
	u64 nr_free;
	u64 (*wear_of)(void *ctx, u32 frame);
	void *ctx;
};

int fsnvm_wear_pool_init(struct fsnvm_wear_pool *pool, u64 nr_frames,
			 u64 (*wear_of)(void *ctx, u32 frame), void *ctx);
void fsnvm_wear_pool_destroy(struct fsnvm_wear_pool *pool);
/* Empty the pool and centre its window on base (bulk loading). */
void fsnvm_wear_pool_reset(struct fsnvm_wear_pool *pool, u64 base);

/*
 * put and noted are inline: an attach's fill calls them once per frame of
 * the namespace, and the calls cost more than what they do.
 *
 * Does the window [base, base + BUCKETS) cover wear?  Written without
 * base + BUCKETS, which overflows for a base near 2^64: the engine keeps
 * wear far below (FSNVM_WEAR_MAX), but the pool must not depend on it.
 */
static inline bool fsnvm_wear_in_window(const struct fsnvm_wear_pool *pool,
					u64 wear)
{
	return wear >= pool->base && wear - pool->base < FSNVM_WEAR_BUCKETS;
}

static inline void fsnvm_wear_push(struct fsnvm_wear_pool *pool, u32 *stack,
				   u32 frame)
{
	pool->next[frame] = *stack;
	*stack = frame;
}

static inline void fsnvm_wear_bucket_put(struct fsnvm_wear_pool *pool,
					 u32 frame, u64 wear)
{
	unsigned int slot = wear % FSNVM_WEAR_BUCKETS;

	fsnvm_wear_push(pool, &pool->head[slot], frame);
	__set_bit(slot, pool->nonempty);
}

static inline void fsnvm_wear_pool_put(struct fsnvm_wear_pool *pool,
				       u32 frame, u64 wear)
{
	if (!pool->nr_free && pool->low == FSNVM_NO_FRAME &&
	    pool->overflow == FSNVM_NO_FRAME)
		pool->base = wear;	/* empty: centre the window here */
	pool->nr_free++;
	if (wear < pool->base) {
		fsnvm_wear_push(pool, &pool->low, frame);
	} else if (fsnvm_wear_in_window(pool, wear)) {
		fsnvm_wear_bucket_put(pool, frame, wear);
	} else {
		fsnvm_wear_push(pool, &pool->overflow, frame);
		if (wear < pool->overflow_min)
			pool->overflow_min = wear;
	}
}

/*
 * Bulk loading when the window's base is known only after a pass over
 * every frame: the pass notes each frame's wear in the frame's link,
 * unused while the frame is out of the pool, and the fill after the
 * reset reads it back once to put the frame.  A wear too large for a
 * link reads back as unknown (false): the caller finds it again.
 */
#define FSNVM_WEAR_UNKNOWN 0xffffffffU	/* a noted wear that did not fit */

void fsnvm_wear_pool_note(struct fsnvm_wear_pool *pool, u32 frame, u64 wear);

static inline bool fsnvm_wear_pool_noted(const struct fsnvm_wear_pool *pool,
					 u32 frame, u64 *wear)
{
	if (pool->next[frame] == FSNVM_WEAR_UNKNOWN)
		return false;
	*wear = pool->next[frame];
	return true;
}

/* Take a frame; FSNVM_NO_FRAME when empty.  *wear is its exact wear. */
u32 fsnvm_wear_pool_get_least(struct fsnvm_wear_pool *pool, u64 *wear);
u32 fsnvm_wear_pool_get_most(struct fsnvm_wear_pool *pool, u64 *wear);
/* The most-worn free frame with wear <= limit: peek (0 if none), take. */
u64 fsnvm_wear_pool_most_upto(struct fsnvm_wear_pool *pool, u64 limit);
u32 fsnvm_wear_pool_get_most_upto(struct fsnvm_wear_pool *pool, u64 limit,
				  u64 *wear);

/*
 * Take one given frame out of the pool, wherever it sits (a memory error
 * hit it); false if it is not there.  O(free frames): for rare events.
 */
bool fsnvm_wear_pool_remove(struct fsnvm_wear_pool *pool, u32 frame);

#endif /* FSNVM_WEAR_H */
