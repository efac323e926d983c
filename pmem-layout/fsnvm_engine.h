/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frontswap-nvm engine: a slab of page frames on persistent memory,
 * served with the frontswap contract (Documentation/mm/frontswap.rst):
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
 * The engine's internals, its locking among them, are in fsnvm_internal.h.
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

#include "fsnvm_layout.h"

struct fsnvm_engine;

struct fsnvm_stats {
	/* frontswap's own (Documentation/mm/frontswap.rst) */
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
	u64 bad_unreadable;	/* the same, of frames on the badblocks list */
	u64 bad_frames;		/* frames retired: badblocks, media errors */
	u64 retired;		/* of those, by an entry (FSNVM_ENT_RETIRED) */
	u64 uncommitted;	/* keys whose newest entry lacks its data */
	/*
	 * keys whose newest entry, committed, is on a bad-listed frame (and
	 * in KEEP, one the device addresses): their loads fail
	 */
	u64 lost;
	u64 stale;		/* entries naming a key below stale_below */
	/* pages released: ATTACH all, KEEP those beyond the device */
	u64 released;
	u64 max_seq;
};

enum fsnvm_recover_mode {
	FSNVM_RECOVER_INSPECT,	/* read only; the engine refuses writes */
	FSNVM_RECOVER_ATTACH,	/* release every page found, ready to serve */
	FSNVM_RECOVER_KEEP,	/* keep the pages found, ready to serve */
};

/* Never use this frame (e.g. it is on the namespace's badblocks list). */
void fsnvm_mark_bad(struct fsnvm_engine *e, u64 frame);
/*
 * Rebuild the key map and the free pool from the index (fsnvm_recover.c).
 * INSPECT always returns 0; ATTACH and KEEP 0, or -EOVERFLOW when the
 * seqs found leave no room for new stores (the device needs a format
 * --keep-wear; the engine stays read-only).
 */
int fsnvm_recover(struct fsnvm_engine *e, enum fsnvm_recover_mode mode,
		  struct fsnvm_recovery *rep);

/*
 * Free frames a serving engine may need beyond one per key: each writer's
 * stash (its free frames, and the frames its pending rewrites still hold)
 * and one store in flight per writer and for the balancer.  A front end
 * that cannot refuse a store (a block device) offers at most the usable
 * frames minus this many keys, so a store always finds a free frame.
 */
u64 fsnvm_engine_reserve(const struct fsnvm_engine *e);
/*
 * After a KEEP recovery: the pages a block device may address, as keys
 * (0, 0 .. capacity - 1): the good frames less the reserve, 0 if none.
 */
u64 fsnvm_engine_capacity(const struct fsnvm_engine *e);

/* What the engine was opened with. */
const struct fsnvm_geometry *fsnvm_engine_geo(const struct fsnvm_engine *e);
const struct fsnvm_super *fsnvm_engine_super(const struct fsnvm_engine *e);
const struct fsnvm_super_pick *
fsnvm_engine_super_pick(const struct fsnvm_engine *e);
/*
 * The media can no longer be written (its device went away): refuse
 * stores from now on, and write nothing at close.
 */
void fsnvm_engine_media_gone(struct fsnvm_engine *e);

/* What a frame holds, as recovery left it (fsnvmctl's wear report). */
enum fsnvm_frame_use {
	FSNVM_FRAME_FREE,
	FSNVM_FRAME_USED,	/* a page's data */
	FSNVM_FRAME_FILLED,	/* a same-filled page, kept in the entry */
	FSNVM_FRAME_BAD,
};

enum fsnvm_frame_use fsnvm_frame_use(const struct fsnvm_engine *e, u64 frame);
/* Its wear; for a torn or implausible entry the highest known. */
u64 fsnvm_frame_wear(struct fsnvm_engine *e, u64 frame);

#endif /* FSNVM_ENGINE_H */
