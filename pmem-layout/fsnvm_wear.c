// SPDX-License-Identifier: GPL-2.0
/*
 * Wear-ordered free-frame pool; the design is explained in fsnvm_wear.h.
 */
#include "fsnvm_wear.h"

#define NBUCKETS FSNVM_WEAR_BUCKETS

int fsnvm_wear_pool_init(struct fsnvm_wear_pool *pool, u64 nr_frames,
			 u64 (*wear_of)(void *ctx, u32 frame), void *ctx)
{
	memset(pool, 0, sizeof(*pool));
	pool->next = kvcalloc(nr_frames ? nr_frames : 1, sizeof(u32), GFP_KERNEL);
	if (!pool->next)
		return -ENOMEM;
	pool->wear_of = wear_of;
	pool->ctx = ctx;
	fsnvm_wear_pool_reset(pool, 0);
	return 0;
}

void fsnvm_wear_pool_destroy(struct fsnvm_wear_pool *pool)
{
	kvfree(pool->next);
	pool->next = NULL;
}

void fsnvm_wear_pool_reset(struct fsnvm_wear_pool *pool, u64 base)
{
	unsigned int i;

	for (i = 0; i < NBUCKETS; i++)
		pool->head[i] = FSNVM_NO_FRAME;
	memset(pool->nonempty, 0, sizeof(pool->nonempty));
	pool->base = base;
	pool->low = FSNVM_NO_FRAME;
	pool->overflow = FSNVM_NO_FRAME;
	pool->overflow_min = ~0ULL;
	pool->nr_free = 0;
}

static u32 fsnvm_pop(struct fsnvm_wear_pool *pool, u32 *stack)
{
	u32 frame = *stack;

	*stack = pool->next[frame];
	return frame;
}

static u32 fsnvm_bucket_pop(struct fsnvm_wear_pool *pool, unsigned int slot)
{
	u32 frame = fsnvm_pop(pool, &pool->head[slot]);

	if (pool->head[slot] == FSNVM_NO_FRAME)
		__clear_bit(slot, pool->nonempty);
	return frame;
}

/* Distance (0..NBUCKETS-1) from the base slot to the first non-empty one. */
static int fsnvm_first_bucket(struct fsnvm_wear_pool *pool)
{
	unsigned int start = pool->base % NBUCKETS;
	unsigned long slot = find_next_bit(pool->nonempty, NBUCKETS, start);

	if (slot >= NBUCKETS) {		/* wrap: the slots below start */
		slot = find_first_bit(pool->nonempty, start);
		if (slot >= start)
			return -1;
	}
	return (slot + NBUCKETS - start) % NBUCKETS;
}

/* Distance from the base slot to the last non-empty bucket at most dmax. */
static int fsnvm_last_bucket_upto(struct fsnvm_wear_pool *pool,
				  unsigned int dmax)
{
	unsigned int start = pool->base % NBUCKETS;
	unsigned int top = (start + dmax) % NBUCKETS;
	/* the range is [start, top], wrapping past the ring's end if top < start */
	unsigned long slot = find_last_bit(pool->nonempty, top + 1);

	if (top >= start)
		return slot <= top && slot >= start ? (int)(slot - start) : -1;
	if (slot > top) {
		slot = find_last_bit(pool->nonempty, NBUCKETS);
		if (slot >= NBUCKETS || slot < start)
			return -1;
	}
	return (slot + NBUCKETS - start) % NBUCKETS;
}

static int fsnvm_last_bucket(struct fsnvm_wear_pool *pool)
{
	return fsnvm_last_bucket_upto(pool, NBUCKETS - 1);
}

/*
 * Move overflow frames that the window now covers into their buckets.
 * O(overflow); the window only moves up as the least-worn frames are used,
 * so each frame is pulled in at most once per pass through the overflow.
 */
static void fsnvm_pull_overflow(struct fsnvm_wear_pool *pool)
{
	u32 keep = FSNVM_NO_FRAME, frame;
	u64 min = ~0ULL;

	while (pool->overflow != FSNVM_NO_FRAME) {
		u64 wear;

		frame = fsnvm_pop(pool, &pool->overflow);
		wear = pool->wear_of(pool->ctx, frame);
		if (wear < pool->base || fsnvm_wear_in_window(pool, wear)) {
			fsnvm_wear_bucket_put(pool, frame,
					      wear < pool->base ? pool->base :
					      wear);
		} else {
			fsnvm_wear_push(pool, &keep, frame);
			if (wear < min)
				min = wear;
		}
	}
	pool->overflow = keep;
	pool->overflow_min = min;
}

/*
 * Bring the low list into the window: move the window down to the least
 * worn low frame, send the buckets that fall off its top to the overflow,
 * and bucket the low frames.  Low frames are unordered, so every query that
 * would use them folds first and then answers from buckets only: exact
 * answers, and each frame is folded once per trip below the window.
 */
static void fsnvm_fold_low(struct fsnvm_wear_pool *pool)
{
	u64 min = ~0ULL, shift, d;
	u32 frame;

	for (frame = pool->low; frame != FSNVM_NO_FRAME;
	     frame = pool->next[frame]) {
		u64 wear = pool->wear_of(pool->ctx, frame);

		if (wear < min)
			min = wear;
	}
	/* low frames are below base when put; min > base only if a caller broke that */
	if (min > pool->base)
		min = pool->base;
	shift = pool->base - min;
	/* buckets for wear in [min + NBUCKETS, base + NBUCKETS) fall off */
	for (d = shift < NBUCKETS ? NBUCKETS - shift : 0; d < NBUCKETS; d++) {
		unsigned int slot = (pool->base + d) % NBUCKETS;

		while (test_bit(slot, pool->nonempty)) {
			frame = fsnvm_bucket_pop(pool, slot);
			fsnvm_wear_push(pool, &pool->overflow, frame);
			if (pool->base + d < pool->overflow_min)
				pool->overflow_min = pool->base + d;
		}
	}
	pool->base = min;
	while (pool->low != FSNVM_NO_FRAME) {
		u64 wear;

		frame = fsnvm_pop(pool, &pool->low);
		wear = pool->wear_of(pool->ctx, frame);
		if (wear < pool->base)
			wear = pool->base;	/* as fsnvm_pull_overflow */
		if (fsnvm_wear_in_window(pool, wear)) {
			fsnvm_wear_bucket_put(pool, frame, wear);
		} else {
			fsnvm_wear_push(pool, &pool->overflow, frame);
			if (wear < pool->overflow_min)
				pool->overflow_min = wear;
		}
	}
}

void fsnvm_wear_pool_note(struct fsnvm_wear_pool *pool, u32 frame, u64 wear)
{
	pool->next[frame] = wear < FSNVM_WEAR_UNKNOWN ? (u32)wear :
			    FSNVM_WEAR_UNKNOWN;
}

u32 fsnvm_wear_pool_get_least(struct fsnvm_wear_pool *pool, u64 *wear)
{
	int dist;

	if (!pool->nr_free)
		return FSNVM_NO_FRAME;
	pool->nr_free--;
	if (pool->low != FSNVM_NO_FRAME)
		fsnvm_fold_low(pool);
	dist = fsnvm_first_bucket(pool);
	/*
	 * Only overflow frames left: move the window up to them.  overflow_min
	 * is only a lower bound (get_most may have taken the frame that set
	 * it), but a pull recomputes it exactly, so the second pass at the
	 * latest brings a frame into the window.
	 */
	while (dist < 0 && pool->overflow != FSNVM_NO_FRAME) {
		pool->base = pool->overflow_min;
		fsnvm_pull_overflow(pool);
		dist = fsnvm_first_bucket(pool);
	}
	if (dist < 0) {		/* nr_free disagrees with the lists: a bug */
		pool->nr_free++;
		return FSNVM_NO_FRAME;
	}
	if (dist > 0) {
		pool->base += dist;
		dist = 0;
		if (pool->overflow_min < pool->base ||
		    fsnvm_wear_in_window(pool, pool->overflow_min))
			fsnvm_pull_overflow(pool);
	}
	*wear = pool->base + dist;
	return fsnvm_bucket_pop(pool, (pool->base + dist) % NBUCKETS);
}

u32 fsnvm_wear_pool_get_most(struct fsnvm_wear_pool *pool, u64 *wear)
{
	u32 frame;
	int dist;

	if (!pool->nr_free)
		return FSNVM_NO_FRAME;
	pool->nr_free--;
	if (pool->overflow != FSNVM_NO_FRAME) {
		frame = fsnvm_pop(pool, &pool->overflow);
		*wear = pool->wear_of(pool->ctx, frame);
		if (pool->overflow == FSNVM_NO_FRAME)
			pool->overflow_min = ~0ULL;
		return frame;
	}
	dist = fsnvm_last_bucket(pool);
	if (dist < 0 && pool->low != FSNVM_NO_FRAME) {
		fsnvm_fold_low(pool);
		dist = fsnvm_last_bucket(pool);
	}
	if (dist < 0) {		/* nr_free disagrees with the lists: a bug */
		pool->nr_free++;
		return FSNVM_NO_FRAME;
	}
	*wear = pool->base + dist;
	return fsnvm_bucket_pop(pool, (pool->base + dist) % NBUCKETS);
}

/*
 * The most-worn free frame whose wear is at most limit: where the balancer
 * puts cold data (see fsnvm_balance.c).  Frames on the overflow list are
 * beyond any limit the balancer uses and are not considered.
 */
static int fsnvm_upto_dist(struct fsnvm_wear_pool *pool, u64 limit)
{
	if (limit < pool->base)
		return -1;
	return fsnvm_last_bucket_upto(pool, limit - pool->base >= NBUCKETS ?
				      NBUCKETS - 1 : (unsigned int)(limit - pool->base));
}

u64 fsnvm_wear_pool_most_upto(struct fsnvm_wear_pool *pool, u64 limit)
{
	int dist;

	if (!pool->nr_free)
		return 0;
	if (pool->low != FSNVM_NO_FRAME)
		fsnvm_fold_low(pool);
	dist = fsnvm_upto_dist(pool, limit);
	return dist >= 0 ? pool->base + dist : 0;
}

u32 fsnvm_wear_pool_get_most_upto(struct fsnvm_wear_pool *pool, u64 limit,
				  u64 *wear)
{
	int dist;

	if (!pool->nr_free)
		return FSNVM_NO_FRAME;
	if (pool->low != FSNVM_NO_FRAME)
		fsnvm_fold_low(pool);
	dist = fsnvm_upto_dist(pool, limit);
	if (dist < 0)
		return FSNVM_NO_FRAME;
	pool->nr_free--;
	*wear = pool->base + dist;
	return fsnvm_bucket_pop(pool, (pool->base + dist) % NBUCKETS);
}

/* Unlink frame from a stack; false if it is not on it. */
static bool fsnvm_unlink(struct fsnvm_wear_pool *pool, u32 *stack, u32 frame)
{
	u32 *link = stack;

	while (*link != FSNVM_NO_FRAME) {
		if (*link == frame) {
			*link = pool->next[frame];
			return true;
		}
		link = &pool->next[*link];
	}
	return false;
}

bool fsnvm_wear_pool_remove(struct fsnvm_wear_pool *pool, u32 frame)
{
	unsigned int slot;

	/* overflow_min stays a lower bound, which is all it promises. */
	if (fsnvm_unlink(pool, &pool->low, frame) ||
	    fsnvm_unlink(pool, &pool->overflow, frame))
		goto found;
	for (slot = 0; slot < NBUCKETS; slot++) {
		if (!test_bit(slot, pool->nonempty) ||
		    !fsnvm_unlink(pool, &pool->head[slot], frame))
			continue;
		if (pool->head[slot] == FSNVM_NO_FRAME)
			__clear_bit(slot, pool->nonempty);
		goto found;
	}
	return false;
found:
	pool->nr_free--;
	return true;
}
