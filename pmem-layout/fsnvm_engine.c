// SPDX-License-Identifier: GPL-2.0
/*
 * frontswap-nvm engine: store, load and invalidate on a slab of pmem frames.
 * The contract, the locking and the frame states are described in
 * fsnvm_engine.h; the on-media commit rules in fsnvm_format.h.
 *
 * A store makes durable, under one fence:
 *   1. the page data in a free frame nobody else can see (BUSY),
 *   2. that frame's index entry with the key, a new sequence number, the
 *      writer's id and a vouch for the writer's stores before this one
 *      (their fences have passed);
 * and then, if the key was already stored, its previous frame's cleared
 * entry.  A crash before the fence may leave the entry without its data:
 * recovery trusts an entry only once a vouch covers it (fsnvm_format.h),
 * so the key holds nothing, and the entry, having the higher seq, still
 * hides the key's older copy.  One fence instead of two is what keeps a
 * store near the cost of the bare copy.  A store running as writer 0
 * fences between 1 and 2 instead.  Frontswap itself invalidates a
 * slot before storing it again, so the duplicate case is rare in the
 * kernel.  A frame is released only after its cleared entry is durable, so
 * data written into a reused frame is never attributed to the key it held.
 */
#include "fsnvm_internal.h"

static u64 fsnvm_pool_wear_of(void *ctx, u32 frame)
{
	return fsnvm_entry_wear(ctx, frame);
}

struct fsnvm_engine *fsnvm_engine_open(void *base, u64 device_bytes,
				       enum fsnvm_media_status *status)
{
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;
	struct fsnvm_super sb;
	struct fsnvm_engine *e;
	enum fsnvm_media_status st;

	/* Either copy of the superblock; fsnvm_bind.c logs and repairs. */
	st = fsnvm_super_pick(base, device_bytes, &sb, &geo, &pick);
	e = st == FSNVM_MEDIA_OK ? kvcalloc(1, sizeof(*e), GFP_KERNEL) : NULL;
	if (st == FSNVM_MEDIA_OK && !e)
		st = FSNVM_MEDIA_NO_MEMORY;
	*status = st;
	if (st != FSNVM_MEDIA_OK) {
		kvfree(e);
		return NULL;
	}
	e->geo = geo;
	e->super = sb;
	e->super_pick = pick;
	e->base = base;
	e->data_crc = e->geo.compat & FSNVM_COMPAT_DATA_CRC;
	spin_lock_init(&e->lock);
	e->state = kvcalloc(e->geo.nr_frames ? e->geo.nr_frames : 1, 1,
			    GFP_KERNEL);
	e->gen = kvcalloc(e->geo.nr_frames ? e->geo.nr_frames : 1,
			  sizeof(*e->gen), GFP_KERNEL);
	e->lost = kvcalloc(BITS_TO_LONGS(e->geo.nr_frames ? e->geo.nr_frames : 1),
			   sizeof(*e->lost), GFP_KERNEL);
	e->bounce = kvcalloc(1, FSNVM_PAGE_SIZE, GFP_KERNEL);
	e->nr_writers = fsnvm_nr_writers(FSNVM_MAX_WRITERS);
	e->writers = kvcalloc(e->nr_writers, sizeof(*e->writers), GFP_KERNEL);
	e->pend_stored = kvcalloc(e->nr_writers, FSNVM_PENDING_BUCKETS,
				  GFP_KERNEL);
	e->pend_published = kvcalloc(e->nr_writers, FSNVM_PENDING_BUCKETS,
				     GFP_KERNEL);
	e->vouched = kvcalloc(FSNVM_MAX_WRITERS, sizeof(*e->vouched),
			      GFP_KERNEL);
	if (!e->state || !e->gen || !e->lost || !e->bounce || !e->writers ||
	    !e->pend_stored || !e->pend_published || !e->vouched ||
	    fsnvm_keymap_init(&e->map, e->geo.nr_frames, &e->lock) ||
	    fsnvm_wear_pool_init(&e->pool, e->geo.nr_frames,
				 fsnvm_pool_wear_of, e)) {
		*status = FSNVM_MEDIA_NO_MEMORY;
		fsnvm_engine_close(e);
		return NULL;
	}
	e->stats.frames_total = e->geo.nr_frames;
	e->used_wear_floor = 0;
	e->pass_min = ~0ULL;
	e->readonly = true;	/* until fsnvm_recover() attaches it */
	return e;
}

/*
 * A clean close vouches for every store of every writer, so the index then
 * holds every page (what `fsnvmctl check` and a test reopening the media
 * see).  A store's vouch can be lost while the engine runs: another
 * writer's store may take a free frame whose cleared entry held it, which
 * after a crash only means those pages hold nothing.  So each writer's
 * vouch (writer, done) is written anew, covering all its stores (its seqs
 * grow), and an entry carries one vouch, so no two writers may be given
 * the same entry.
 *
 * First choice: a free frame, each given once (the stashes go back to
 * the pool first); its entry keeps its seq and wear, and whatever older
 * vouch it carried is superseded by the ones written here.  A full device
 * may have none left for some writers.  What is always true then: every
 * entry that needs a vouch names its writer and carries that same
 * writer's vouch (fsnvm_commit_entry(); moved, cleared and retired
 * entries name no writer).  So if writer w has a page that needs a vouch,
 * there is an entry naming w, and rewriting its vouch drops only w's own
 * older one; if there is none, no page of w needs a vouch and none is
 * written.  The newest such entry is taken (its done store's, if that is
 * still mapped).  Two writers never share it, and it is never a free
 * frame, so every writer's vouch lands in an entry of its own.  (A crash
 * inside the close may find a free entry's older vouch overwritten and
 * the new one not yet durable: as during a run, those pages then hold
 * nothing, never stale data.)
 */
static bool fsnvm_vouch_into(struct fsnvm_engine *e, u32 frame,
			     unsigned int writer, u64 seq)
{
	struct fsnvm_entry ent;

	if (fsnvm_read_entry(e, frame, &ent) || !fsnvm_entry_crc_ok(&ent))
		return false;
	ent.vouch_writer = cpu_to_le16(writer);
	ent.vouch_seq = cpu_to_le64(seq);
	fsnvm_entry_seal(&ent);
	fsnvm_pmem_copy(fsnvm_entry_at(e->base, &e->geo, frame), &ent,
			sizeof(ent));
	return true;
}

/* The next free frame from *next on whose entry can be rewritten. */
static u32 fsnvm_close_free_frame(struct fsnvm_engine *e, u64 *next)
{
	struct fsnvm_entry ent;

	for (; *next < e->geo.nr_frames; (*next)++) {
		if (fsnvm_fstate(e, *next) != FSNVM_FS_FREE ||
		    fsnvm_read_entry(e, *next, &ent) ||
		    !fsnvm_entry_crc_ok(&ent))
			continue;
		return (u32)(*next)++;
	}
	return FSNVM_NO_FRAME;
}

/* Each writer in need: its newest entry naming it, into done_frame. */
static void fsnvm_close_own_entries(struct fsnvm_engine *e, const u64 *need)
{
	struct fsnvm_entry ent, best;
	struct fsnvm_writer *w;
	unsigned int writer;
	u64 f;

	for (f = 0; f < e->geo.nr_frames; f++) {
		if (f % 4096 == 0)
			cond_resched();
		if (fsnvm_fstate(e, f) != FSNVM_FS_USED ||
		    fsnvm_read_entry(e, f, &ent) || !fsnvm_entry_crc_ok(&ent) ||
		    !le64_to_cpu(ent.key))
			continue;
		writer = le16_to_cpu(ent.writer);
		if (!writer || writer > e->nr_writers ||
		    !(need[(writer - 1) / 64] & BIT_ULL((writer - 1) % 64)))
			continue;
		w = &e->writers[writer - 1];
		if (w->done_frame != FSNVM_NO_FRAME &&
		    !fsnvm_read_entry(e, w->done_frame, &best) &&
		    le64_to_cpu(best.seq) >= le64_to_cpu(ent.seq))
			continue;
		w->done_frame = (u32)f;
	}
}

static void fsnvm_vouch_at_close(struct fsnvm_engine *e)
{
	u64 need[FSNVM_MAX_WRITERS / 64] = { 0 }, next = 0;
	bool any_need = false, wrote = false;
	struct fsnvm_writer *w;
	unsigned int i;
	u32 f;

	spin_lock(&e->lock);
	fsnvm_publish_pending(e);
	for (i = 0; i < e->writers_seen; i++)
		fsnvm_writer_unstock(e, i + 1);
	spin_unlock(&e->lock);
	/* Nothing else runs on the engine now: the rest needs no lock. */
	for (i = 0; i < e->nr_writers; i++) {
		w = &e->writers[i];
		if (!w->done)
			continue;
		f = fsnvm_close_free_frame(e, &next);
		if (f != FSNVM_NO_FRAME) {
			wrote |= fsnvm_vouch_into(e, f, i + 1, w->done);
			continue;
		}
		need[i / 64] |= BIT_ULL(i % 64);
		w->done_frame = FSNVM_NO_FRAME;	/* found below */
		any_need = true;
	}
	if (any_need)
		fsnvm_close_own_entries(e, need);
	for (i = 0; any_need && i < e->nr_writers; i++) {
		w = &e->writers[i];
		if ((need[i / 64] & BIT_ULL(i % 64)) &&
		    w->done_frame != FSNVM_NO_FRAME)
			wrote |= fsnvm_vouch_into(e, w->done_frame, i + 1,
						  w->done);
	}
	if (wrote)
		fsnvm_pmem_fence();
}

void fsnvm_engine_close(struct fsnvm_engine *e)
{
	if (!e)
		return;
	if (!e->readonly && e->writers) {
		/* Frames a memory error hit while a store held them. */
		spin_lock(&e->lock);
		fsnvm_retire_lost(e);
		spin_unlock(&e->lock);
		fsnvm_vouch_at_close(e);
	}
	fsnvm_wear_pool_destroy(&e->pool);
	fsnvm_keymap_destroy(&e->map);
	kvfree(e->state);
	kvfree(e->gen);
	kvfree(e->lost);
	kvfree(e->bounce);
	kvfree(e->writers);
	kvfree(e->pend_stored);
	kvfree(e->pend_published);
	kvfree(e->vouched);
	kvfree(e);
}

u64 fsnvm_engine_reserve(const struct fsnvm_engine *e)
{
	return (u64)(e->nr_writers + 1) * (FSNVM_STASH + 1) + 1;
}

u64 fsnvm_engine_capacity(const struct fsnvm_engine *e)
{
	return e->capacity;
}

const struct fsnvm_geometry *fsnvm_engine_geo(const struct fsnvm_engine *e)
{
	return &e->geo;
}

const struct fsnvm_super *fsnvm_engine_super(const struct fsnvm_engine *e)
{
	return &e->super;
}

const struct fsnvm_super_pick *
fsnvm_engine_super_pick(const struct fsnvm_engine *e)
{
	return &e->super_pick;
}

void fsnvm_engine_media_gone(struct fsnvm_engine *e)
{
	WRITE_ONCE(e->readonly, true);
}

enum fsnvm_frame_use fsnvm_frame_use(const struct fsnvm_engine *e, u64 frame)
{
	switch (fsnvm_fstate(e, frame)) {
	case FSNVM_FS_BAD:
		return FSNVM_FRAME_BAD;
	case FSNVM_FS_USED:
		return READ_ONCE(e->state[frame]) & FSNVM_FS_FILLED ?
		       FSNVM_FRAME_FILLED : FSNVM_FRAME_USED;
	default:
		return FSNVM_FRAME_FREE;
	}
}

u64 fsnvm_frame_wear(struct fsnvm_engine *e, u64 frame)
{
	return fsnvm_entry_wear(e, frame);
}

u64 fsnvm_entry_wear(struct fsnvm_engine *e, u32 frame)
{
	struct fsnvm_entry ent;

	/*
	 * Unreadable: say "most worn" so the frame is the last choice; torn
	 * or implausible: its wear is unknown, the highest known stands for
	 * it (fsnvm_layout.h).
	 */
	if (fsnvm_read_entry(e, frame, &ent) || fsnvm_entry_untrusted(&ent))
		return e->stats.wear_max;
	return le64_to_cpu(ent.wear);
}

void fsnvm_write_entry(struct fsnvm_engine *e, u32 frame, u64 key, u64 seq,
		       u64 wear, u64 fill, u32 flags, u32 data_crc,
		       const struct fsnvm_vouch *vouch)
{
	struct fsnvm_entry ent;

	memset(&ent, 0, sizeof(ent));
	ent.key = cpu_to_le64(key);
	ent.seq = cpu_to_le64(seq);
	ent.wear = cpu_to_le64(wear);
	ent.fill = cpu_to_le64(fill);
	ent.flags = cpu_to_le32(flags);
	ent.data_crc = cpu_to_le32(data_crc);
	if (vouch) {
		ent.writer = cpu_to_le16(vouch->writer);
		ent.vouch_writer = cpu_to_le16(vouch->vouch_writer);
		ent.vouch_seq = cpu_to_le64(vouch->vouch_seq);
	}
	fsnvm_entry_seal(&ent);
	fsnvm_pmem_copy(fsnvm_entry_at(e->base, &e->geo, frame), &ent,
			sizeof(ent));
}

/*
 * Read a frame's entry for rewriting it: 0 and what the rewrite keeps,
 * its seq, wear and the vouch it carries (fsnvm_format.h), or -EIO when
 * it cannot be read or is torn
 * or implausible (fsnvm_layout.h), with seq 0, no vouch and the highest
 * wear known (wear must never go down).
 */
static int fsnvm_entry_kept(struct fsnvm_engine *e, u32 frame, u64 *seq,
			    u64 *wear, struct fsnvm_vouch *vouch)
{
	struct fsnvm_entry ent;

	memset(vouch, 0, sizeof(*vouch));
	if (fsnvm_read_entry(e, frame, &ent) || fsnvm_entry_untrusted(&ent)) {
		*seq = 0;
		*wear = e->stats.wear_max;
		return -EIO;
	}
	*seq = le64_to_cpu(ent.seq);
	*wear = le64_to_cpu(ent.wear);
	vouch->vouch_writer = le16_to_cpu(ent.vouch_writer);
	vouch->vouch_seq = le64_to_cpu(ent.vouch_seq);
	return 0;
}

void fsnvm_entry_vouch_of(struct fsnvm_engine *e, u32 frame,
			  struct fsnvm_vouch *vouch)
{
	u64 seq, wear;

	fsnvm_entry_kept(e, frame, &seq, &wear, vouch);
}

/*
 * Rewrite a frame's entry as a free one with the given flags, keeping
 * what fsnvm_entry_kept() keeps; the caller fences.  Returns that
 * function's result, and in *wear the wear written.
 */
static int fsnvm_free_entry(struct fsnvm_engine *e, u32 frame, u32 flags,
			    u64 *wear)
{
	struct fsnvm_vouch vouch;
	u64 seq;
	int ret = fsnvm_entry_kept(e, frame, &seq, wear, &vouch);

	fsnvm_write_entry(e, frame, 0, seq, *wear, 0, flags, 0, &vouch);
	return ret;
}

/*
 * Rewrite a frame's entry with the key cleared (wear in *wear); on -EIO
 * the caller retires the frame.
 */
int fsnvm_clear_entry(struct fsnvm_engine *e, u32 frame, u64 *wear)
{
	lockdep_assert_held(&e->lock);
	return fsnvm_free_entry(e, frame, 0, wear);
}

/*
 * Never use the frame again, in this boot and the next: its entry becomes
 * a free one marked FSNVM_ENT_RETIRED, which recovery turns back into a
 * bad frame.  The caller fences.  The namespace's badblocks list covers
 * media errors the kernel knows of; this also covers the ones only the
 * data crc saw.
 */
void fsnvm_retire(struct fsnvm_engine *e, u32 frame)
{
	u64 wear;

	lockdep_assert_held(&e->lock);
	fsnvm_free_entry(e, frame, FSNVM_ENT_RETIRED, &wear);
	if (fsnvm_fstate(e, frame) != FSNVM_FS_BAD)	/* else bad-listed */
		e->stats.frames_bad++;
	WRITE_ONCE(e->state[frame],
		   (e->state[frame] & ~FSNVM_FS_STATE_MASK) | FSNVM_FS_BAD);
	e->stats.frames_retired++;
}

/*
 * Give back an unmapped frame whose cleared entry is durable.  A frame the
 * balancer is still copying from becomes DEAD; the balancer then puts it
 * in the pool.  (A load copying from it needs no such care: it sees the
 * generation bumped at the unmap and retries.)  wear is the wear its entry
 * holds, as the clear wrote it: reading back a line just written with
 * non-temporal stores would wait for it to reach the media.  Called with
 * the lock held.
 */
void fsnvm_release_frame(struct fsnvm_engine *e, u32 frame, u64 wear)
{
	u8 st = e->state[frame];

	lockdep_assert_held(&e->lock);
	if ((st & FSNVM_FS_STATE_MASK) == FSNVM_FS_BAD)
		return;
	if (unlikely(fsnvm_frame_lost(e, frame)) && !(st & FSNVM_FS_MOVING)) {
		fsnvm_retire(e, frame);	/* its owner let go: now it can */
		fsnvm_pmem_fence();
		return;
	}
	if (st & FSNVM_FS_MOVING) {
		WRITE_ONCE(e->state[frame],
			   (st & ~(FSNVM_FS_STATE_MASK | FSNVM_FS_FILLED)) |
			   FSNVM_FS_DEAD);
		return;
	}
	WRITE_ONCE(e->state[frame], FSNVM_FS_FREE);
	fsnvm_wear_pool_put(&e->pool, frame, wear);
}

/*
 * Unmap a frame that held a key: clear its entry, then release it.  No
 * fence between the generation bump and the clear, unlike the balancer's
 * move: a load that could see the cleared entry would be a load of this
 * very key, which the caller never runs alongside (fsnvm_engine.h).
 */
void fsnvm_drop_frame(struct fsnvm_engine *e, u32 frame)
{
	u64 wear;

	lockdep_assert_held(&e->lock);
	if (e->state[frame] & FSNVM_FS_FILLED)
		e->stats.pages_filled--;
	if (fsnvm_unmap_retired(e, frame))
		return;
	fsnvm_frame_unmapped(e, frame);
	if (fsnvm_clear_entry(e, frame, &wear))
		fsnvm_retire(e, frame);
	fsnvm_pmem_fence();
	fsnvm_release_frame(e, frame, wear);
}

static bool fsnvm_same_filled(const void *page, u64 *fill)
{
	const u64 *word = page;
	unsigned int i;

	for (i = 1; i < FSNVM_PAGE_SIZE / sizeof(u64); i++)
		if (word[i] != word[0])
			return false;
	*fill = word[0];
	return true;
}

static bool fsnvm_key_in_range(unsigned int type, u64 offset)
{
	return type < FSNVM_MAX_SWAP_TYPES && offset <= FSNVM_MAX_MAP_OFFSET;
}

void fsnvm_count_write(struct fsnvm_engine *e, u64 wear)
{
	lockdep_assert_held(&e->lock);
	e->stats.data_writes++;
	e->stats.wear_sum = fsnvm_add_sat(e->stats.wear_sum, 1);
	if (wear > e->stats.wear_max)
		e->stats.wear_max = wear;
}

void fsnvm_count_user_write(struct fsnvm_engine *e, u64 wear)
{
	lockdep_assert_held(&e->lock);
	fsnvm_count_write(e, wear);
	if (wear > e->user_wear_max)
		e->user_wear_max = wear;
}

/*
 * Write a store's entry and make it durable with its page (the one fence
 * of a store, fsnvm_engine.c's header).  Its vouch covers the writer's
 * stores whose fences have passed; a same-filled entry has no data to
 * wait for, and a store as writer 0 fenced its data already.  Then this
 * store's seq is what the writer has made durable.
 */
void fsnvm_commit_entry(struct fsnvm_engine *e, unsigned int writer,
			u32 frame, u64 key, u64 seq, u64 wear, u64 fill,
			bool filled, u32 data_crc)
{
	struct fsnvm_writer *w = writer ? &e->writers[writer - 1] : NULL;
	struct fsnvm_vouch vouch = { 0 };

	if (w) {
		vouch.writer = filled ? 0 : writer;
		vouch.vouch_writer = writer;
		vouch.vouch_seq = w->done;
	}
	fsnvm_write_entry(e, frame, key, seq, wear, fill,
			  filled ? FSNVM_ENT_FILLED : 0, data_crc, &vouch);
	fsnvm_pmem_fence();
	if (w) {
		w->done = seq;
		w->done_frame = frame;
	}
}

/*
 * A free frame for a locked store: the least-worn one for data, the most
 * worn for a same-filled page (it costs no data write).  When the pool is
 * empty the writer's own stash goes back into it first.
 */
static u32 fsnvm_take_frame(struct fsnvm_engine *e, unsigned int writer,
			    bool filled, u64 *wear)
{
	u32 frame;
	int i;

	lockdep_assert_held(&e->lock);
	for (i = 0; i < 2; i++) {
		if (filled)
			frame = fsnvm_wear_pool_get_most(&e->pool, wear);
		else
			frame = fsnvm_wear_pool_get_least(&e->pool, wear);
		if (frame != FSNVM_NO_FRAME || !writer)
			break;
		fsnvm_writer_unstock(e, writer);
	}
	return frame;
}

/*
 * The store that takes the lock: writer 0, and what the lockless path
 * hands over (fsnvm_writer.c).  prewritten is a stash frame the lockless
 * path already copied the page into (a same-filled page: took), or
 * FSNVM_NO_FRAME; wear is then its wear with that write.
 */
static int fsnvm_store_locked(struct fsnvm_engine *e, unsigned int writer,
			      unsigned int type, u32 offset, const void *page,
			      u64 fill, bool filled, u32 prewritten, u64 wear)
{
	struct fsnvm_writer *w = writer ? &e->writers[writer - 1] : NULL;
	u32 frame = prewritten, old, data_crc = 0;
	u64 seq;

	spin_lock(&e->lock);
	fsnvm_publish_pending(e);
	if (unlikely(e->readonly)) {	/* inspected only: never write */
		e->stats.failed_stores++;
		spin_unlock(&e->lock);
		return -EROFS;
	}
	if (frame == FSNVM_NO_FRAME) {
		frame = fsnvm_take_frame(e, writer, filled, &wear);
		if (!filled)	/* what the frame will have taken */
			wear = fsnvm_wear_inc(wear);
	}
	if (unlikely(frame == FSNVM_NO_FRAME)) {
		/* Cannot go out of place: the old copy must not survive. */
		old = fsnvm_keymap_remove(&e->map, type, offset);
		if (old != FSNVM_NO_FRAME) {
			fsnvm_drop_frame(e, old);
			e->stats.invalidates++;
		}
		e->stats.refused_full++;
		e->stats.failed_stores++;
		spin_unlock(&e->lock);
		return -ENOSPC;
	}
	/* The writer's own batch first: its seqs must grow (fsnvm_writer.c). */
	seq = w && w->seq_next < w->seq_end ? w->seq_next++ : e->seq++;
	/*
	 * Publish now, BUSY: nobody loads the key before this store returns
	 * (the caller serializes a key's operations, fsnvm_engine.h) and the
	 * balancer leaves BUSY frames alone.  A key stored again loses its
	 * old copy here, and durably, before the new entry exists: a crash
	 * in between finds nothing, never the old page.
	 */
	old = fsnvm_keymap_set(&e->map, type, offset, frame);
	WRITE_ONCE(e->state[frame],
		   FSNVM_FS_BUSY | (filled ? FSNVM_FS_FILLED : 0));
	e->stats.succ_stores++;
	if (filled) {
		e->stats.same_filled++;
		e->stats.pages_filled++;
	} else {
		fsnvm_count_user_write(e, wear);
	}
	if (old != FSNVM_NO_FRAME) {
		fsnvm_drop_frame(e, old);
		e->stats.duplicate_stores++;
	}
	spin_unlock(&e->lock);

	if (!filled) {
		if (e->data_crc)	/* first, as in fsnvm_store_lockless() */
			data_crc = crc32c(~0U, page, FSNVM_PAGE_SIZE);
		if (prewritten == FSNVM_NO_FRAME)
			fsnvm_pmem_copy(fsnvm_frame_at(e->base, &e->geo, frame),
					page, FSNVM_PAGE_SIZE);
		if (!writer)	/* nothing will vouch: the data goes first */
			fsnvm_pmem_fence();
	}
	fsnvm_commit_entry(e, writer, frame, fsnvm_key(type, offset), seq, wear,
			   fill, filled, data_crc);
	/*
	 * No lock: only this store changes a BUSY frame's state.  Release:
	 * whoever sees USED (the balancer) also sees the entry and the page.
	 */
	smp_store_release(&e->state[frame],
			  FSNVM_FS_USED | (filled ? FSNVM_FS_FILLED : 0));
	return 0;
}

static int fsnvm_store_as(struct fsnvm_engine *e, unsigned int writer,
			  unsigned int type, u64 offset, const void *page)
{
	u32 prewritten = FSNVM_NO_FRAME;
	u64 fill = 0, wear = 0;
	bool filled;

	if (unlikely(!fsnvm_key_in_range(type, offset))) {
		spin_lock(&e->lock);
		e->stats.refused_range++;
		e->stats.failed_stores++;
		spin_unlock(&e->lock);
		return -E2BIG;
	}
	fsnvm_keymap_prefetch(&e->map, type, (u32)offset);
	filled = fsnvm_same_filled(page, &fill);
	if (writer && !READ_ONCE(e->readonly) &&
	    !fsnvm_store_lockless(e, writer, type, (u32)offset, page, fill,
				  filled, &prewritten, &wear))
		return 0;
	return fsnvm_store_locked(e, writer, type, (u32)offset, page, fill,
				  filled, prewritten, wear);
}

int fsnvm_store(struct fsnvm_engine *e, unsigned int type, u64 offset,
		const void *page)
{
	unsigned int writer = fsnvm_writer_begin(e->nr_writers);
	int ret = fsnvm_store_as(e, writer, type, offset, page);

	fsnvm_writer_end();
	return ret;
}

enum fsnvm_load_fault {
	FSNVM_LOAD_MEDIA_ERROR,	/* the copy hit a media error */
	FSNVM_LOAD_CRC,		/* the data does not match its crc */
	FSNVM_LOAD_POISONED,	/* a memory error was reported on the frame */
};

static const char *const fsnvm_load_fault_str[] = {
	[FSNVM_LOAD_MEDIA_ERROR] = "media error",
	[FSNVM_LOAD_CRC] = "data crc mismatch",
	[FSNVM_LOAD_POISONED] = "memory error reported earlier",
};

/*
 * A load that found a media error or bad data: unmap, retire, report.  An
 * inspected engine only reports: it never writes the media, and its
 * state stays the media's, so the page stays mapped and fails again.
 */
static int fsnvm_load_failed(struct fsnvm_engine *e, unsigned int type,
			     u64 offset, u32 frame, enum fsnvm_load_fault why)
{
	bool retire = !e->readonly;

	lockdep_assert_held(&e->lock);
	if (retire && fsnvm_keymap_find(&e->map, type, (u32)offset) == frame) {
		fsnvm_keymap_remove(&e->map, type, (u32)offset);
		if (e->state[frame] & FSNVM_FS_FILLED)
			e->stats.pages_filled--;
		if (!fsnvm_unmap_retired(e, frame))
			fsnvm_frame_unmapped(e, frame);
	}
	/* The retired entry also unmaps the key on the media. */
	if (retire) {
		if (fsnvm_fstate(e, frame) != FSNVM_FS_BAD)
			fsnvm_retire(e, frame);
		fsnvm_pmem_fence();
	}
	if (why == FSNVM_LOAD_CRC)
		e->stats.crc_errors++;
	else
		e->stats.load_errors++;
	pr_err("%s on load of swap type %u offset %llu (frame %u): %s\n",
	       fsnvm_load_fault_str[why], type, (unsigned long long)offset, frame,
	       retire ? "page lost, frame retired" :
	       "page unreadable, inspected only: nothing retired");
	return -EIO;
}

/*
 * Copy a stored page out; the entry was read with it (filled pages, data
 * crc).  read is fsnvm_pmem_read or, without the lock,
 * fsnvm_pmem_read_optimistic.
 */
static size_t fsnvm_read_page(struct fsnvm_engine *e, u32 frame, bool filled,
			      void *page, bool *crc_bad,
			      size_t (*read)(void *, const void *, size_t))
{
	struct fsnvm_entry ent;
	size_t left = 0;

	*crc_bad = false;
	if (filled || e->data_crc)
		left = read(&ent, fsnvm_entry_at(e->base, &e->geo, frame),
			    sizeof(ent));
	if (left)
		return left;
	if (filled) {
		u64 *word = page, fill = le64_to_cpu(ent.fill);
		unsigned int i;

		for (i = 0; i < FSNVM_PAGE_SIZE / sizeof(u64); i++)
			word[i] = fill;
		return 0;
	}
	left = read(page, fsnvm_frame_at(e->base, &e->geo, frame),
		    FSNVM_PAGE_SIZE);
	if (!left && e->data_crc &&
	    crc32c(~0U, page, FSNVM_PAGE_SIZE) != le32_to_cpu(ent.data_crc))
		*crc_bad = true;
	return left;
}

/*
 * The fallback of a load: look up and copy under the lock.  Also where a
 * media error or a crc mismatch is confirmed and reported.
 */
static int fsnvm_load_locked(struct fsnvm_engine *e, unsigned int type,
			     u64 offset, void *page)
{
	bool crc_bad;
	size_t left;
	u32 frame;
	int ret = 0;

	spin_lock(&e->lock);
	fsnvm_publish_pending(e);	/* the key may be pending */
	frame = fsnvm_keymap_find(&e->map, type, (u32)offset);
	if (frame == FSNVM_NO_FRAME) {
		e->stats.failed_loads++;
		spin_unlock(&e->lock);
		return -ENOENT;
	}
	if (unlikely(fsnvm_frame_lost(e, frame))) {
		ret = fsnvm_load_failed(e, type, offset, frame,
					FSNVM_LOAD_POISONED);
		spin_unlock(&e->lock);
		return ret;
	}
	left = fsnvm_read_page(e, frame, e->state[frame] & FSNVM_FS_FILLED,
			       page, &crc_bad, fsnvm_pmem_read);
	if (unlikely(left || crc_bad))
		ret = fsnvm_load_failed(e, type, offset, frame, crc_bad ?
					FSNVM_LOAD_CRC : FSNVM_LOAD_MEDIA_ERROR);
	else
		e->stats.loads++;
	spin_unlock(&e->lock);
	return ret;
}

/*
 * A load takes no lock: the key map lookup is validated by its seqcount,
 * and the copy by the frame's generation, which changes before the frame
 * is unmapped, cleared or reused.  In practice only the balancer moves a
 * page under a load (the caller keeps invalidations and stores of the key
 * away); then the load retries and finds the page in its new frame.  After
 * FSNVM_LOAD_TRIES races, or on any error, the locked path decides.
 */
#define FSNVM_LOAD_TRIES 4

static int fsnvm_load_lockless(struct fsnvm_engine *e, unsigned int type,
			       u64 offset, void *page, unsigned int writer)
{
	unsigned int tries, seq;
	bool crc_bad;
	size_t left;
	u32 frame, gen = 0;
	u8 st = 0;

	for (tries = 0; tries < FSNVM_LOAD_TRIES; tries++) {
		seq = read_seqcount_begin(&e->map.seq);
		frame = fsnvm_keymap_find(&e->map, type, (u32)offset);
		if (frame != FSNVM_NO_FRAME) {
			/* The copy's first misses overlap the checks below. */
			prefetch(fsnvm_frame_at(e->base, &e->geo, frame));
			st = READ_ONCE(e->state[frame]);
			gen = READ_ONCE(e->gen[frame]);
		}
		if (read_seqcount_retry(&e->map.seq, seq))
			continue;
		if (frame == FSNVM_NO_FRAME) {
			fsnvm_race_point(FSNVM_RACE_LOAD_MISSED);
			/* Pending somewhere?  The locked path publishes it. */
			if (!writer || fsnvm_pending_elsewhere(e, 0))
				break;
			/*
			 * Nothing pending now, but the key may have been
			 * published since the lookup: only a lookup after
			 * that check is sure to see it (fsnvm_writer.c).
			 */
			if (fsnvm_keymap_find_lockless(&e->map, type,
						       (u32)offset) !=
			    FSNVM_NO_FRAME)
				continue;
			WRITE_ONCE(e->writers[writer - 1].failed_loads,
				   e->writers[writer - 1].failed_loads + 1);
			return -ENOENT;
		}
		if ((st & FSNVM_FS_STATE_MASK) != FSNVM_FS_USED)
			break;
		smp_rmb();	/* the generation before the lost bit */
		if (fsnvm_frame_lost(e, frame))
			break;	/* the locked path reports it */
		left = fsnvm_read_page(e, frame, st & FSNVM_FS_FILLED, page,
				       &crc_bad, fsnvm_pmem_read_optimistic);
		smp_rmb();	/* the copy before the second look */
		if (READ_ONCE(e->gen[frame]) != gen)
			continue;
		if (left || crc_bad || !writer)
			break;
		WRITE_ONCE(e->writers[writer - 1].loads,
			   e->writers[writer - 1].loads + 1);
		return 0;
	}
	return fsnvm_load_locked(e, type, offset, page);
}

int fsnvm_load(struct fsnvm_engine *e, unsigned int type, u64 offset,
	       void *page)
{
	unsigned int writer;
	int ret;

	if (unlikely(!fsnvm_key_in_range(type, offset)))
		return -ENOENT;
	fsnvm_keymap_prefetch(&e->map, type, (u32)offset);
	/* Its counters; in the kernel also no preemption while it copies. */
	writer = fsnvm_writer_begin(e->nr_writers);
	ret = fsnvm_load_lockless(e, type, offset, page, writer);
	fsnvm_writer_end();
	return ret;
}

void fsnvm_invalidate_page(struct fsnvm_engine *e, unsigned int type,
			   u64 offset)
{
	u32 frame;

	if (unlikely(!fsnvm_key_in_range(type, offset)))
		return;
	spin_lock(&e->lock);
	fsnvm_publish_pending(e);
	frame = e->readonly ? FSNVM_NO_FRAME :
		fsnvm_keymap_remove(&e->map, type, (u32)offset);
	if (frame != FSNVM_NO_FRAME) {
		fsnvm_drop_frame(e, frame);
		e->stats.invalidates++;
	}
	spin_unlock(&e->lock);
}

/*
 * Drop every page of a swap type in batches (at most FSNVM_AREA_BATCH pages
 * and FSNVM_AREA_SCAN map slots per lock hold), so the lock is not held for
 * the whole swapoff; yields between batches, so the caller must be able to
 * sleep (frontswap calls it at swapon and swapoff, under swapon_mutex).
 *
 * While the lock is dropped, other types' deletions back-shift map slots
 * (fsnvm_keymap.c), and may move a key of this type from a slot ahead of
 * the cursor to one the walk has passed; backing the cursor up to its
 * cluster's start cannot help, as the slots in between may have emptied.
 * So the walk registers with the map, which tells it the lowest slot any
 * shift filled meanwhile, and resumes there when that is behind the
 * cursor.  Then every key of the type always lies at or after the cursor
 * (no key of the type is added meanwhile, fsnvm_engine.h; a shift that
 * wraps moves keys from the map's first slots, already passed and free of
 * the type, to its last ones), and one pass drops them all.  The map also
 * counts the type's keys: one left after the pass means a corrupt map,
 * which is logged, not looped on.
 */
#define FSNVM_AREA_BATCH 64
#define FSNVM_AREA_SCAN 4096	/* map slots looked at per lock hold */

/* One batch from *cursor on, lock held: the number of pages dropped. */
static unsigned int fsnvm_area_batch(struct fsnvm_engine *e,
				     unsigned int type, u64 *cursor, u64 scan)
{
	u32 batch[FSNVM_AREA_BATCH];
	u64 wear[FSNVM_AREA_BATCH];
	unsigned int n, i;

	lockdep_assert_held(&e->lock);
	for (n = 0; n < FSNVM_AREA_BATCH; n++) {
		batch[n] = fsnvm_keymap_remove_next_of_type(&e->map, type,
							    cursor, scan);
		if (batch[n] == FSNVM_NO_FRAME)
			break;
		if (e->state[batch[n]] & FSNVM_FS_FILLED)
			e->stats.pages_filled--;
		if (fsnvm_unmap_retired(e, batch[n])) {
			wear[n] = 0;	/* not released: it stays bad */
			continue;
		}
		fsnvm_frame_unmapped(e, batch[n]);
		if (fsnvm_clear_entry(e, batch[n], &wear[n]))
			fsnvm_retire(e, batch[n]);
	}
	if (n)
		fsnvm_pmem_fence();
	for (i = 0; i < n; i++)
		fsnvm_release_frame(e, batch[i], wear[i]);
	e->stats.invalidates += n;
	return n;
}

u64 fsnvm_invalidate_area(struct fsnvm_engine *e, unsigned int type)
{
	struct fsnvm_keymap_walk walk;
	u64 dropped = 0, cursor = 0;

	if (type >= FSNVM_MAX_SWAP_TYPES || e->readonly)
		return 0;
	spin_lock(&e->lock);
	fsnvm_publish_pending(e);
	fsnvm_keymap_walk_start(&e->map, &walk);
	while (cursor < e->map.nr_slots &&
	       fsnvm_keymap_keys_of_type(&e->map, type)) {
		dropped += fsnvm_area_batch(e, type, &cursor, FSNVM_AREA_SCAN);
		walk.low_fill = ~0ULL;	/* this batch's own shifts are seen */
		spin_unlock(&e->lock);
		fsnvm_race_point(FSNVM_RACE_AREA_YIELD);
		cond_resched();	/* may sleep: not from atomic context */
		spin_lock(&e->lock);
		fsnvm_publish_pending(e);
		if (walk.low_fill < cursor)
			cursor = walk.low_fill;
	}
	fsnvm_keymap_walk_end(&e->map, &walk);
	if (fsnvm_keymap_keys_of_type(&e->map, type))
		pr_err("swap type %u: %llu keys counted but not found in the map\n",
		       type,
		       (unsigned long long)fsnvm_keymap_keys_of_type(&e->map,
								     type));
	e->stats.invalidate_areas++;
	spin_unlock(&e->lock);
	return dropped;
}

void fsnvm_get_stats(struct fsnvm_engine *e, struct fsnvm_stats *out)
{
	unsigned int i;

	spin_lock(&e->lock);
	fsnvm_publish_pending(e);
	*out = e->stats;
	/* Keys whose frame a memory error took hold no frame. */
	out->frames_used = e->map.nr_keys - e->stats.pages_lost;
	out->frames_free = e->pool.nr_free + fsnvm_stashed_frames(e);
	spin_unlock(&e->lock);
	/* Lockless loads count per writer (fsnvm_engine.h). */
	for (i = 0; i < e->nr_writers; i++) {
		out->loads += READ_ONCE(e->writers[i].loads);
		out->failed_loads += READ_ONCE(e->writers[i].failed_loads);
	}
}
