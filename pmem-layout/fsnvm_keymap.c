// SPDX-License-Identifier: GPL-2.0
/*
 * Swap slot -> frame map; the design is explained in fsnvm_keymap.h.
 */
#include "fsnvm_keymap.h"

/* Every slot empty, no key counted: at init and, under the seqcount, clear. */
static void fsnvm_keymap_empty(struct fsnvm_keymap *map)
{
	u64 i;

	for (i = 0; i < map->nr_slots; i++)
		WRITE_ONCE(map->slots[i].frame, FSNVM_NO_FRAME);
	map->nr_keys = 0;
	memset(map->nr_type_keys, 0, sizeof(map->nr_type_keys));
}

int fsnvm_keymap_init(struct fsnvm_keymap *map, u64 nr_frames, spinlock_t *lock)
{
	memset(map, 0, sizeof(*map));
	map->lock = lock;
	seqcount_spinlock_init(&map->seq, lock);
	map->nr_slots = nr_frames + nr_frames / 4 + 16;
	map->slots = kvcalloc(map->nr_slots, sizeof(*map->slots), GFP_KERNEL);
	map->frame_type = kvcalloc(nr_frames ? nr_frames : 1, 1, GFP_KERNEL);
	if (!map->slots || !map->frame_type) {
		fsnvm_keymap_destroy(map);
		return -ENOMEM;
	}
	fsnvm_keymap_empty(map);	/* nobody can look yet */
	return 0;
}

void fsnvm_keymap_clear(struct fsnvm_keymap *map)
{
	write_seqcount_begin(&map->seq);
	fsnvm_keymap_empty(map);
	write_seqcount_end(&map->seq);
}

void fsnvm_keymap_destroy(struct fsnvm_keymap *map)
{
	kvfree(map->slots);
	kvfree(map->frame_type);
	map->slots = NULL;
	map->frame_type = NULL;
}

static u64 fsnvm_slot_next(const struct fsnvm_keymap *map, u64 i)
{
	return i + 1 == map->nr_slots ? 0 : i + 1;
}

/*
 * The slot holding (type, offset), or the empty slot ending its probe;
 * *frame is what it holds.  Without the lock a concurrent change may show
 * a torn view, which the seqcount retry discards; the probe still ends,
 * as it looks at no more than every slot once.
 */
static u64 fsnvm_probe(const struct fsnvm_keymap *map, unsigned int type,
		       u32 offset, u32 *frame)
{
	u64 i = fsnvm_keymap_home(map, type, offset), n;
	u32 f = FSNVM_NO_FRAME;

	for (n = 0; n < map->nr_slots; n++) {
		f = READ_ONCE(map->slots[i].frame);
		if (f == FSNVM_NO_FRAME ||
		    (READ_ONCE(map->slots[i].offset) == offset &&
		     READ_ONCE(map->frame_type[f]) == type))
			break;
		i = fsnvm_slot_next(map, i);
	}
	*frame = n < map->nr_slots ? f : FSNVM_NO_FRAME;
	return i;
}

void fsnvm_keymap_prefetch(const struct fsnvm_keymap *map, unsigned int type,
			   u32 offset)
{
	prefetch(&map->slots[fsnvm_keymap_home(map, type, offset)]);
}

u32 fsnvm_keymap_find(const struct fsnvm_keymap *map, unsigned int type,
		      u32 offset)
{
	u32 frame;

	fsnvm_probe(map, type, offset, &frame);
	return frame;
}

u32 fsnvm_keymap_find_lockless(const struct fsnvm_keymap *map,
			       unsigned int type, u32 offset)
{
	unsigned int seq;
	u32 frame;

	do {
		seq = read_seqcount_begin(&map->seq);
		frame = fsnvm_keymap_find(map, type, offset);
	} while (read_seqcount_retry(&map->seq, seq));
	return frame;
}

u32 fsnvm_keymap_set(struct fsnvm_keymap *map, unsigned int type, u32 offset,
		     u32 frame)
{
	u32 old;
	u64 i;

	lockdep_assert_held(map->lock);
	i = fsnvm_probe(map, type, offset, &old);
	write_seqcount_begin(&map->seq);
	if (old == FSNVM_NO_FRAME) {
		map->nr_keys++;
		map->nr_type_keys[type]++;
	}
	WRITE_ONCE(map->frame_type[frame], type);
	WRITE_ONCE(map->slots[i].offset, offset);
	WRITE_ONCE(map->slots[i].frame, frame);
	write_seqcount_end(&map->seq);
	return old;
}

/* A shift filled slot i: tell the walks (fsnvm_keymap_walk). */
static void fsnvm_walks_filled(struct fsnvm_keymap *map, u64 i)
{
	struct fsnvm_keymap_walk *w;

	for (w = map->walks; w; w = w->next)
		if (i < w->low_fill)
			w->low_fill = i;
}

void fsnvm_keymap_walk_start(struct fsnvm_keymap *map,
			     struct fsnvm_keymap_walk *walk)
{
	lockdep_assert_held(map->lock);
	walk->low_fill = ~0ULL;
	walk->next = map->walks;
	map->walks = walk;
}

void fsnvm_keymap_walk_end(struct fsnvm_keymap *map,
			   struct fsnvm_keymap_walk *walk)
{
	struct fsnvm_keymap_walk **p;

	lockdep_assert_held(map->lock);
	for (p = &map->walks; *p; p = &(*p)->next) {
		if (*p == walk) {
			*p = walk->next;
			return;
		}
	}
}

/*
 * Backward-shift deletion: pull each later member of the cluster into the
 * hole unless that would move it before its home slot.  Under the lock, so
 * plain reads; the writes are seen by lockless lookups.
 */
static void fsnvm_slot_delete(struct fsnvm_keymap *map, u64 hole)
{
	u64 i = hole;

	write_seqcount_begin(&map->seq);
	map->nr_keys--;
	map->nr_type_keys[map->frame_type[map->slots[hole].frame]]--;
	for (;;) {
		struct fsnvm_keymap_slot *s;
		u64 home;

		i = fsnvm_slot_next(map, i);
		s = &map->slots[i];
		if (s->frame == FSNVM_NO_FRAME)
			break;
		home = fsnvm_keymap_home(map, map->frame_type[s->frame],
					 s->offset);
		/* Is home cyclically in (hole, i]?  Then it must stay. */
		if (hole <= i ? (home > hole && home <= i) :
				(home > hole || home <= i))
			continue;
		WRITE_ONCE(map->slots[hole].offset, s->offset);
		WRITE_ONCE(map->slots[hole].frame, s->frame);
		fsnvm_walks_filled(map, hole);
		hole = i;
	}
	WRITE_ONCE(map->slots[hole].frame, FSNVM_NO_FRAME);
	write_seqcount_end(&map->seq);
}

u32 fsnvm_keymap_remove(struct fsnvm_keymap *map, unsigned int type,
			u32 offset)
{
	u32 frame;
	u64 i;

	lockdep_assert_held(map->lock);
	i = fsnvm_probe(map, type, offset, &frame);
	if (frame != FSNVM_NO_FRAME)
		fsnvm_slot_delete(map, i);
	return frame;
}

u32 fsnvm_keymap_remove_next_of_type(struct fsnvm_keymap *map,
				     unsigned int type, u64 *cursor, u64 scan)
{
	u64 i, end = *cursor + scan < map->nr_slots ? *cursor + scan :
		     map->nr_slots;

	lockdep_assert_held(map->lock);
	/*
	 * A deletion only shifts entries backwards into the hole, so
	 * re-examining the cursor slot after each removal misses nothing;
	 * one that wraps from slot 0 to the end is seen when we get there.
	 */
	for (i = *cursor; i < end; i++) {
		struct fsnvm_keymap_slot *s = &map->slots[i];
		u32 frame = s->frame;

		if (frame == FSNVM_NO_FRAME || map->frame_type[frame] != type)
			continue;
		fsnvm_slot_delete(map, i);
		*cursor = i;
		return frame;
	}
	*cursor = i;
	return FSNVM_NO_FRAME;
}
