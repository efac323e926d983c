/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DRAM map from swap slot (type, offset) to frame.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones, so lookups stay short after any number of invalidations).
 * A slot is 8 bytes: the swap offset and the frame; the swap type lives in
 * a per-frame byte and is compared only when the offsets match.  With
 * 1.25 slots per frame the map costs 11 bytes per frame, the larger part
 * of the engine's DRAM per frame (measured in the README).  The price is
 * that offsets must fit in 32 bits (16 TiB of swap per device); the engine
 * refuses larger ones, which then simply go to the disk swap.
 *
 * Changes are made under the lock given at init (fsnvm_engine.lock), which
 * they assert.  fsnvm_keymap_find() may also run without it, inside a
 * read_seqcount_begin()/read_seqcount_retry() pair on map->seq, which
 * every change bumps: a lookup that overlapped a change (which may shift
 * slots) is retried.  Slots and frame types are
 * therefore read with READ_ONCE and written with WRITE_ONCE.
 */
#ifndef FSNVM_KEYMAP_H
#define FSNVM_KEYMAP_H

#include "fsnvm_layout.h"	/* FSNVM_MAX_SWAP_TYPES, FSNVM_MAX_MAP_OFFSET */
#include "fsnvm_wear.h"

struct fsnvm_keymap_slot {
	u32 offset;
	u32 frame;		/* FSNVM_NO_FRAME: empty */
};

/*
 * A walk over the slots that drops the lock between its steps
 * (fsnvm_invalidate_area()).  Deletions meanwhile shift keys backwards,
 * maybe into slots the walk has passed; every registered walk learns the
 * lowest slot a shift filled, and resumes there.  Registering,
 * unregistering and reading low_fill take the map's lock.
 */
struct fsnvm_keymap_walk {
	struct fsnvm_keymap_walk *next;
	u64 low_fill;		/* lowest slot a shift filled, ~0: none */
};

struct fsnvm_keymap {
	spinlock_t *lock;	/* held for every change */
	seqcount_spinlock_t seq;	/* bumped around every change */
	struct fsnvm_keymap_slot *slots;
	u64 nr_slots;
	u8 *frame_type;		/* per frame: swap type of its key */
	u64 nr_keys;
	/* keys per swap type: < 2^31 frames, so a u32 holds any count */
	u32 nr_type_keys[FSNVM_MAX_SWAP_TYPES];
	struct fsnvm_keymap_walk *walks;	/* registered walks */
};

/* lock: the one held for every change, which the changes assert. */
int fsnvm_keymap_init(struct fsnvm_keymap *map, u64 nr_frames, spinlock_t *lock);
void fsnvm_keymap_destroy(struct fsnvm_keymap *map);
/* Forget every mapping (allocates nothing). */
void fsnvm_keymap_clear(struct fsnvm_keymap *map);
u32 fsnvm_keymap_find(const struct fsnvm_keymap *map, unsigned int type,
		      u32 offset);
/* The same without the lock: retried until no change overlapped it. */
u32 fsnvm_keymap_find_lockless(const struct fsnvm_keymap *map,
			       unsigned int type, u32 offset);
/*
 * Start loading the slot where a lookup of (type, offset) begins; safe
 * without the lock (it only reads nr_slots, fixed at init).  The map is
 * too big for the CPU caches, so the miss is worth overlapping with work
 * done before the lock is taken.
 */
void fsnvm_keymap_prefetch(const struct fsnvm_keymap *map, unsigned int type,
			   u32 offset);
/* Map (type, offset) to frame; returns the frame it replaced, if any. */
u32 fsnvm_keymap_set(struct fsnvm_keymap *map, unsigned int type, u32 offset,
		     u32 frame);
/* Unmap (type, offset); returns its frame or FSNVM_NO_FRAME. */
u32 fsnvm_keymap_remove(struct fsnvm_keymap *map, unsigned int type,
			u32 offset);
void fsnvm_keymap_walk_start(struct fsnvm_keymap *map,
			     struct fsnvm_keymap_walk *walk);
void fsnvm_keymap_walk_end(struct fsnvm_keymap *map,
			   struct fsnvm_keymap_walk *walk);
/* How many keys of a swap type are mapped. */
static inline u64 fsnvm_keymap_keys_of_type(const struct fsnvm_keymap *map,
					    unsigned int type)
{
	lockdep_assert_held(map->lock);
	return type < FSNVM_MAX_SWAP_TYPES ? map->nr_type_keys[type] : 0;
}

/*
 * The slot a lookup of (type, offset) starts at: Fibonacci hashing, then
 * Lemire's multiply-shift range reduction.
 */
static inline u64 fsnvm_keymap_home(const struct fsnvm_keymap *map,
				    unsigned int type, u32 offset)
{
	u64 h = (((u64)type << 32) | offset) * 0x9e3779b97f4a7c15ULL;

	return ((h >> 32) * map->nr_slots) >> 32;
}

/*
 * Remove one mapping of the given type found in the `scan` slots from
 * *cursor on; returns its frame, or FSNVM_NO_FRAME with
 * *cursor moved past the slots looked at (== nr_slots at the end).  Used
 * to empty a whole swap type without allocating.
 */
u32 fsnvm_keymap_remove_next_of_type(struct fsnvm_keymap *map,
				     unsigned int type, u64 *cursor, u64 scan);

#endif /* FSNVM_KEYMAP_H */
