// SPDX-License-Identifier: GPL-2.0
/*
 * The writers' stashes: how most stores take no lock (fsnvm_engine.h has
 * the ring and who writes what).
 *
 * Why: a locked instruction issued after non-temporal stores waits for
 * them to drain, which a bare copy leaves to overlap the next one (the
 * README has what the stashes saved).  So a writer takes
 * FSNVM_STASH least-worn frames and as many sequence numbers per lock
 * hold, and a store made with them goes to the key map later, in a batch:
 * at its writer's next restock, or at the next lock hold of anyone who
 * needs every store in the map (a locked store, a load that missed, an
 * invalidation, the balancer or the stats).  A restock publishes only its
 * own writer's stores: the other writers' slots and counts stay on their
 * CPUs' cache lines.
 *
 * What keeps this correct:
 *  - A pending store is durable and owns its frame (BUSY), so the balancer
 *    never sees it, and neither does a load: a load that misses the map
 *    while some store is pending publishes them under the lock and looks
 *    again; one that finds nothing pending also looks again, lockless,
 *    since the key may have been published after its first look (only a
 *    lookup after the "nothing pending" check is sure to see it).
 *  - A key is never pending twice, nor pending while mapped, so publishing
 *    never replaces a mapping: a store runs lockless only if no writer
 *    has a store of the key's bucket pending and the key is not mapped,
 *    looked up in that order.  A store of the key that returned earlier,
 *    on any writer, is then either visible in the map or counted pending
 *    (fsnvm_pending_key()); otherwise the store takes the locked path,
 *    which publishes first.  This is what a duplicate store across CPUs
 *    needs without ordering sequence numbers across CPUs.  It costs two
 *    byte reads per writer seen, on lines the other writers seldom write
 *    (the buckets follow the kernel's per-CPU swap clusters); CPUs
 *    storing different keys at the same time all stay lockless, where
 *    refusing whenever another writer has anything pending would send
 *    most of their stores down the locked path, and scanning the other
 *    writers' rings would read, on every store, the lines they wrote on
 *    their last one.
 *  - Each writer's sequence numbers grow (its batches come from the
 *    engine's counter, and a locked store of a writer takes its own batch
 *    first), which its vouches need (fsnvm_format.h).  The balancer takes
 *    numbers past every batch handed out, as its moves need.
 *  - Up to FSNVM_STASH free frames per writer sit in its stash; a store
 *    that finds the pool empty gives its own back first, so a lone writer
 *    is refused only when no frame is free.  Other writers' stashes are
 *    not taken: their stores may be using them.  A writer known to store
 *    no more (a CPU gone offline) gives its stash back through
 *    fsnvm_writer_gone().
 */
#include "fsnvm_internal.h"

/* A writer's count of a key's bucket, in pend_stored or pend_published. */
static u8 *fsnvm_pending_count(u8 *counts, unsigned int writer,
			       unsigned int type, u32 offset)
{
	return &counts[(size_t)(writer - 1) * FSNVM_PENDING_BUCKETS +
		       fsnvm_pending_bucket(fsnvm_key(type, offset))];
}

static void fsnvm_publish_slot(struct fsnvm_engine *e, unsigned int writer,
			       struct fsnvm_stash_slot *s)
{
	u8 *published = fsnvm_pending_count(e->pend_published, writer,
					    s->type, s->offset);
	u32 old;

	lockdep_assert_held(&e->lock);
	/* The state first: a lockless load that finds the key sees USED. */
	WRITE_ONCE(e->state[s->frame],
		   FSNVM_FS_USED | (s->filled ? FSNVM_FS_FILLED : 0));
	old = fsnvm_keymap_set(&e->map, s->type, s->offset, s->frame);
	e->stats.succ_stores++;
	if (s->filled) {
		e->stats.same_filled++;
		e->stats.pages_filled++;
	} else {
		fsnvm_count_user_write(e, s->wear);
	}
	/*
	 * Cannot happen (a key is never pending while mapped, see above).
	 * Were it to, the older frame would stay used until the next attach,
	 * where the pending store's entry wins by its seq.
	 */
	WARN_ON_ONCE(old != FSNVM_NO_FRAME);
	/* Release: whoever sees it counted sees the key map too. */
	smp_store_release(published, *published + 1);
}

static void fsnvm_publish_writer(struct fsnvm_engine *e, unsigned int writer)
{
	struct fsnvm_writer *w = &e->writers[writer - 1];
	u64 n, used;

	lockdep_assert_held(&e->lock);
	/* Acquire: the slots below it are written. */
	used = smp_load_acquire(&w->used);
	for (n = w->drained; n < used; n++) {
		struct fsnvm_stash_slot *s = &w->slot[n % FSNVM_STASH];

		if (!s->taken)
			fsnvm_publish_slot(e, writer, s);
	}
	/* Release: whoever sees it drained sees the map too. */
	smp_store_release(&w->drained, used);
}

void fsnvm_publish_pending(struct fsnvm_engine *e)
{
	unsigned int i;

	lockdep_assert_held(&e->lock);
	for (i = 0; i < e->writers_seen; i++)
		fsnvm_publish_writer(e, i + 1);
}

void fsnvm_publish_stores(struct fsnvm_engine *e)
{
	spin_lock(&e->lock);
	fsnvm_publish_pending(e);
	spin_unlock(&e->lock);
}

/*
 * Fill the writer's stash with the least-worn free frames, after
 * publishing its pending stores (which frees its ring), and give it a new
 * seq batch if it used up its own.
 */
static void fsnvm_writer_restock(struct fsnvm_engine *e, unsigned int writer)
{
	struct fsnvm_writer *w = &e->writers[writer - 1];
	struct fsnvm_stash_slot *s;
	u64 wear;
	u32 frame;

	spin_lock(&e->lock);
	if (writer > e->writers_seen)
		WRITE_ONCE(e->writers_seen, writer);
	fsnvm_publish_writer(e, writer);
	while (w->stocked - w->used < FSNVM_STASH) {
		frame = fsnvm_wear_pool_get_least(&e->pool, &wear);
		if (frame == FSNVM_NO_FRAME)
			break;
		WRITE_ONCE(e->state[frame], FSNVM_FS_BUSY);
		s = &w->slot[w->stocked % FSNVM_STASH];
		s->frame = frame;
		s->wear = wear;
		s->taken = false;
		w->stocked++;
	}
	if (w->seq_next == w->seq_end) {
		w->seq_next = e->seq;
		e->seq += FSNVM_STASH;
		w->seq_end = e->seq;
	}
	spin_unlock(&e->lock);
}

void fsnvm_writer_unstock(struct fsnvm_engine *e, unsigned int writer)
{
	struct fsnvm_writer *w = &e->writers[writer - 1];
	struct fsnvm_stash_slot *s;

	lockdep_assert_held(&e->lock);
	for (; w->stocked > w->used; w->stocked--) {
		s = &w->slot[(w->stocked - 1) % FSNVM_STASH];
		fsnvm_release_frame(e, s->frame, s->wear);
	}
}

void fsnvm_writer_gone(struct fsnvm_engine *e, unsigned int writer)
{
	if (!writer || writer > e->nr_writers)
		return;
	spin_lock(&e->lock);
	fsnvm_publish_pending(e);
	fsnvm_writer_unstock(e, writer);
	spin_unlock(&e->lock);
}

/*
 * The frames of the writers' stashes and of their stores not yet
 * published, as of the last fsnvm_publish_pending(): a store finishing
 * meanwhile is then counted once, here, not in the map.
 */
u64 fsnvm_stashed_frames(struct fsnvm_engine *e)
{
	u64 n = 0;
	unsigned int i;

	lockdep_assert_held(&e->lock);
	for (i = 0; i < e->writers_seen; i++)
		n += e->writers[i].stocked - e->writers[i].drained;
	return n;
}

/*
 * drained, then used, both acquire: seen equal, everything the writer had
 * pending is in the key map, and a later lookup sees it.
 */
static bool fsnvm_writer_pending(struct fsnvm_writer *w)
{
	/* Acquire: pairs with the publisher's release. */
	u64 drained = smp_load_acquire(&w->drained);

	/* Acquire: pairs with the writer's release. */
	return smp_load_acquire(&w->used) != drained;
}

bool fsnvm_pending_elsewhere(struct fsnvm_engine *e, unsigned int writer)
{
	unsigned int i, seen = READ_ONCE(e->writers_seen);

	for (i = 0; i < seen; i++)
		if (i + 1 != writer && fsnvm_writer_pending(&e->writers[i]))
			return true;
	return false;
}

/* Is a store of this key pending in the writer's own ring? */
static bool fsnvm_own_pending_key(struct fsnvm_writer *w, unsigned int type,
				  u32 offset)
{
	/* Acquire: pairs with the publisher's release. */
	u64 n = smp_load_acquire(&w->drained);

	for (; n < w->used; n++) {
		struct fsnvm_stash_slot *s = &w->slot[n % FSNVM_STASH];

		if (!s->taken && s->type == type && s->offset == offset)
			return true;
	}
	return false;
}

/*
 * Is a store of this key pending on any writer?  The writer's own ring is
 * scanned: a writer storing a run of keys has some of the same bucket
 * pending most of the time.  Every other writer's counts of the key's
 * bucket are read, its stores' then its publishers', in that order
 * (acquire).  A store of the key that returned earlier is counted in what
 * the first read sees; the publishers' count catches up with it only
 * once that store and every earlier one of the bucket are published, as
 * stores are published in the order they were made, and the acquire then
 * orders the caller's lookup after the key map insert.  Modulo 256 the
 * counts cannot meet early: a writer's restock publishes its ring, under
 * the lock, so when it counts a store (release) it has seen all but its
 * last FSNVM_STASH stores published, and so has whoever reads that count
 * (acquire): the publishers' count read next is never more than
 * FSNVM_STASH below it.  A hit for another key of the bucket only sends
 * the store down the locked path.  The lines read are the other writers'
 * only where they store in a bucket of the same line.
 */
static bool fsnvm_pending_key(struct fsnvm_engine *e, unsigned int writer,
			      unsigned int type, u32 offset)
{
	unsigned int i, seen = READ_ONCE(e->writers_seen);
	size_t b = fsnvm_pending_bucket(fsnvm_key(type, offset));
	u8 stored;

	if (fsnvm_own_pending_key(&e->writers[writer - 1], type, offset))
		return true;
	for (i = 0; i < seen; i++, b += FSNVM_PENDING_BUCKETS) {
		if (i + 1 == writer)
			continue;
		/* Acquire: the publishers' count is read after it. */
		stored = smp_load_acquire(&e->pend_stored[b]);
		/* Acquire: pairs with the publisher's release. */
		if (smp_load_acquire(&e->pend_published[b]) != stored)
			return true;
	}
	smp_rmb();	/* the counts before the caller's lookup */
	return false;
}

/*
 * The store that takes no lock: the page goes into the
 * writer's next stashed frame and its entry follows, under one fence; the
 * store then waits in the writer's ring to be published.  The copy comes
 * before the checks, so that the key map's cache miss overlaps it.  A
 * same-filled page (filled, its word in fill) writes no data: only its
 * entry, and the frame keeps its wear.  Returns 0, or -EAGAIN for the
 * locked path to finish the store, with *prewritten the frame already
 * holding the page (or FSNVM_NO_FRAME) and *wear its wear.
 */
int fsnvm_store_lockless(struct fsnvm_engine *e, unsigned int writer,
			 unsigned int type, u32 offset, const void *page,
			 u64 fill, bool filled, u32 *prewritten, u64 *wear)
{
	struct fsnvm_writer *w = &e->writers[writer - 1];
	struct fsnvm_stash_slot *s;
	u32 data_crc = 0;
	u8 *stored;
	u64 seq;

	*prewritten = FSNVM_NO_FRAME;
	if (w->used == w->stocked || w->seq_next == w->seq_end)
		fsnvm_writer_restock(e, writer);
	if (w->used == w->stocked)
		return -EAGAIN;		/* the pool is empty too */
	s = &w->slot[w->used % FSNVM_STASH];
	/*
	 * The crc first: it brings the page into L1 for the copy, and costs
	 * less there than after the copy, where its loads wait behind the
	 * copy's non-temporal stores.
	 */
	if (filled) {
		*wear = s->wear;
	} else {
		if (e->data_crc)
			data_crc = crc32c(~0U, page, FSNVM_PAGE_SIZE);
		fsnvm_pmem_copy(fsnvm_frame_at(e->base, &e->geo, s->frame),
				page, FSNVM_PAGE_SIZE);
		*wear = fsnvm_wear_inc(s->wear);
	}
	if (fsnvm_pending_key(e, writer, type, offset) ||
	    fsnvm_keymap_find_lockless(&e->map, type, offset) !=
	    FSNVM_NO_FRAME) {
		/* Not ours to publish: the locked path takes the frame. */
		*prewritten = s->frame;
		s->taken = true;
		/* Release: a publisher sees the slot taken. */
		smp_store_release(&w->used, w->used + 1);
		return -EAGAIN;
	}
	seq = w->seq_next++;
	fsnvm_commit_entry(e, writer, s->frame, fsnvm_key(type, offset), seq,
			   *wear, fill, filled, data_crc);
	s->wear = *wear;
	s->type = type;
	s->offset = offset;
	s->filled = filled;
	stored = fsnvm_pending_count(e->pend_stored, writer, type, offset);
	/*
	 * Release: a checker that reads this count has seen every earlier
	 * publish of the bucket this writer saw, so the published count it
	 * reads next is not from before them (fsnvm_pending_key()).
	 */
	smp_store_release(stored, *stored + 1);
	/* Release: whoever publishes it sees the slot (fsnvm_engine.h). */
	smp_store_release(&w->used, w->used + 1);
	return 0;
}
