// SPDX-License-Identifier: GPL-2.0
/*
 * invalidate_area(T) must leave no key of T mapped, whatever other types
 * do while it yields the lock between batches.  The key map deletes by
 * backward shift (fsnvm_keymap.c), so an invalidate_page of another type
 * can move a key of T from the slot the walk resumes at to the slot just
 * before it, which the walk has passed.
 *
 * Built every run, not searched for: on a map of more than
 * FSNVM_AREA_SCAN (4096) slots the walk yields at slot 4096 even when it
 * has found nothing.  Key Y (type 1) is stored with home slot 4095 and
 * key X (type 0) with home slot 4095 too, so X probes on to slot 4096.
 * At the yield, Y is invalidated: X shifts back to 4095, behind the
 * cursor.  After invalidate_area(0), X must be gone and no frame used.
 * A second round puts other type-0 keys before the cursor, so the pass
 * that misses X has found something (the walk must not stop at a pass
 * that finds nothing either way).  Then 20 storms: 3000 keys of both
 * types, and at every yield 40 random keys of the other type dropped.
 */
#include "test_util.h"

#define BOUNDARY 4096	/* FSNVM_AREA_SCAN in fsnvm_engine.c */

static struct fsnvm_engine *e;
static int armed, yields, storm;
static u32 y_offset;
static u64 rng = 1;

#define STORM_KEYS 3000

void fsnvm_race_point(int where)
{
	if (where != FSNVM_RACE_AREA_YIELD)
		return;
	yields++;
	if (armed) {
		armed = 0;
		fsnvm_invalidate_page(e, 1, y_offset);	/* as another CPU */
	}
	/* random drops of the other type at every yield */
	for (int i = 0; storm && i < 40; i++)
		fsnvm_invalidate_page(e, 1, splitmix64(&rng) % STORM_KEYS);
}

/* The first offset from `from` on whose home slot is `slot`. */
static u32 offset_at(unsigned int type, u64 slot, u32 from)
{
	for (u32 off = from; off < from + 10000000; off++)
		if (fsnvm_keymap_home(&e->map, type, off) == slot)
			return off;
	CHECK(0, "no offset of type %u has home slot %llu", type,
	      (unsigned long long)slot);
	return 0;
}

static u64 slot_of(unsigned int type, u32 offset)
{
	u32 frame = fsnvm_keymap_find(&e->map, type, offset);

	for (u64 i = 0; i < e->map.nr_slots; i++)
		if (e->map.slots[i].frame == frame &&
		    e->map.slots[i].offset == offset)
			return i;
	return ~0ULL;
}

static void round_of(int with_early_keys)
{
	static u8 page[FSNVM_PAGE_SIZE];
	u32 x, early = 0;
	struct fsnvm_stats s;
	u64 dropped;

	fill_page(page, 1, 1);
	page[0] |= 1;	/* a data page */
	y_offset = offset_at(1, BOUNDARY - 1, 0);
	x = offset_at(0, BOUNDARY - 1, 0);
	CHECK(fsnvm_store(e, 1, y_offset, page) == 0, "store Y");
	CHECK(fsnvm_store(e, 0, x, page) == 0, "store X");
	if (with_early_keys) {
		/* type-0 keys homed well before the cursor's first stop */
		early = offset_at(0, 100, x + 1);
		CHECK(fsnvm_store(e, 0, early, page) == 0, "store early");
	}
	fsnvm_publish_stores(e);
	CHECK(slot_of(1, y_offset) == BOUNDARY - 1 && slot_of(0, x) == BOUNDARY,
	      "Y in slot %llu, X in slot %llu: not the layout built",
	      (unsigned long long)slot_of(1, y_offset),
	      (unsigned long long)slot_of(0, x));
	armed = 1;
	yields = 0;
	dropped = fsnvm_invalidate_area(e, 0);
	CHECK(!armed, "invalidate_area never yielded (%d)", yields);
	CHECK(fsnvm_keymap_find(&e->map, 0, x) == FSNVM_NO_FRAME,
	      "key X of type 0 still mapped after invalidate_area(0) (%llu dropped)",
	      (unsigned long long)dropped);
	CHECK(dropped == 1 + !!with_early_keys, "%llu pages dropped",
	      (unsigned long long)dropped);
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_used == 0, "%llu frames still used",
	      (unsigned long long)s.frames_used);
}

/* Both types over most of the map, the other type dropped at random. */
static void storm_round(void)
{
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_stats s;
	u64 dropped, stored0 = 0;

	for (u32 off = 0; off < STORM_KEYS; off++) {
		fill_page(page, off, 2);
		if (fsnvm_store(e, off % 2, off, page) == 0)
			stored0 += off % 2 == 0;
	}
	storm = 1;
	dropped = fsnvm_invalidate_area(e, 0);
	storm = 0;
	for (u32 off = 0; off < STORM_KEYS; off += 2)
		CHECK(fsnvm_keymap_find(&e->map, 0, off) == FSNVM_NO_FRAME,
		      "storm: key %u of type 0 still mapped (%llu of %llu dropped)",
		      off, (unsigned long long)dropped,
		      (unsigned long long)stored0);
	CHECK(dropped == stored0, "storm: %llu of %llu dropped",
	      (unsigned long long)dropped, (unsigned long long)stored0);
	fsnvm_invalidate_area(e, 1);
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_used == 0, "storm: %llu frames still used",
	      (unsigned long long)s.frames_used);
}

int main(void)
{
	const u64 bytes = 16 * 1024 * 1024;
	void *img = make_image(bytes, 0);

	e = attach(img, bytes);
	CHECK(e->map.nr_slots > BOUNDARY + 1, "map of %llu slots too small",
	      (unsigned long long)e->map.nr_slots);
	round_of(0);
	round_of(1);
	for (int i = 0; i < 20; i++)
		storm_round();
	printf("area race: a key of the area's type shifted behind the walk's cursor while it yielded; invalidate_area still dropped it, 0 frames used\n");
	fsnvm_engine_close(e);
	free(img);
	return 0;
}
