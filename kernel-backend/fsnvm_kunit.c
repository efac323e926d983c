// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the shared core, run in the kernel it ships in (the
 * debug guest kernel boots them with kunit.enable=1; make check parses
 * the KTAP on the console).  The userspace tests (tests/) cover the same
 * code far more widely; these check that the kernel build of it, with the
 * kernel's own bitmaps, seqcounts, lockdep, KASAN and UBSAN, behaves the
 * same: the key map, the wear pool, the entry classifier and recovery on
 * an image in kernel memory.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/vmalloc.h>

#include "fsnvm_internal.h"
#include "fsnvm_mkfs.h"

/* ---- key map ---------------------------------------------------------- */

struct fsnvm_kunit_map {
	spinlock_t lock;	/* the map's, held for every change */
	struct fsnvm_keymap map;
};

static struct fsnvm_kunit_map *fsnvm_kunit_map_new(struct kunit *test,
						   u64 frames)
{
	struct fsnvm_kunit_map *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	spin_lock_init(&m->lock);
	KUNIT_ASSERT_EQ(test, fsnvm_keymap_init(&m->map, frames, &m->lock), 0);
	return m;
}

/* Keys that share a home slot, removed from the middle of their cluster. */
static void fsnvm_keymap_cluster_test(struct kunit *test)
{
	struct fsnvm_kunit_map *m = fsnvm_kunit_map_new(test, 64);
	u32 offs[8], off, n = 0, i;
	u64 home = fsnvm_keymap_home(&m->map, 0, 0);

	for (off = 0; n < ARRAY_SIZE(offs) && off < 1000000; off++)
		if (fsnvm_keymap_home(&m->map, 0, off) == home)
			offs[n++] = off;
	KUNIT_ASSERT_EQ(test, n, (u32)ARRAY_SIZE(offs));
	spin_lock(&m->lock);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, fsnvm_keymap_set(&m->map, 0, offs[i], i),
				FSNVM_NO_FRAME);
	KUNIT_EXPECT_EQ(test, fsnvm_keymap_remove(&m->map, 0, offs[3]), 3U);
	KUNIT_EXPECT_EQ(test, fsnvm_keymap_remove(&m->map, 0, offs[0]), 0U);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, fsnvm_keymap_find(&m->map, 0, offs[i]),
				i == 0 || i == 3 ? FSNVM_NO_FRAME : i);
	KUNIT_EXPECT_EQ(test, fsnvm_keymap_keys_of_type(&m->map, 0), (u64)n - 2);
	spin_unlock(&m->lock);
	fsnvm_keymap_destroy(&m->map);
}

/*
 * A random sequence of sets and removes against a plain array.  Each
 * frame holds one key at a time, as in the engine (the map keeps a key's
 * type per frame).
 */
static void fsnvm_keymap_random_test(struct kunit *test)
{
	const u32 frames = 512, keys = 700;
	struct fsnvm_kunit_map *m = fsnvm_kunit_map_new(test, frames);
	u32 *want = kunit_kcalloc(test, keys, sizeof(u32), GFP_KERNEL);
	u32 *free = kunit_kcalloc(test, frames, sizeof(u32), GFP_KERNEL);
	u32 i, k, nr_free = frames;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, free);
	for (k = 0; k < keys; k++)
		want[k] = FSNVM_NO_FRAME;
	for (i = 0; i < frames; i++)
		free[i] = i;
	spin_lock(&m->lock);
	for (i = 0; i < 20000; i++) {
		k = get_random_u32() % keys;
		if (want[k] == FSNVM_NO_FRAME && nr_free) {
			want[k] = free[--nr_free];
			KUNIT_EXPECT_EQ(test,
					fsnvm_keymap_set(&m->map, k % 3, k, want[k]),
					FSNVM_NO_FRAME);
		} else if (want[k] != FSNVM_NO_FRAME) {
			KUNIT_EXPECT_EQ(test,
					fsnvm_keymap_remove(&m->map, k % 3, k),
					want[k]);
			free[nr_free++] = want[k];
			want[k] = FSNVM_NO_FRAME;
		}
	}
	for (k = 0; k < keys; k++)
		KUNIT_EXPECT_EQ(test, fsnvm_keymap_find_lockless(&m->map, k % 3, k),
				want[k]);
	spin_unlock(&m->lock);
	fsnvm_keymap_destroy(&m->map);
}

static struct kunit_case fsnvm_keymap_cases[] = {
	KUNIT_CASE(fsnvm_keymap_cluster_test),
	KUNIT_CASE(fsnvm_keymap_random_test),
	{}
};

static struct kunit_suite fsnvm_keymap_suite = {
	.name = "frontswap_nvm_keymap",
	.test_cases = fsnvm_keymap_cases,
};

/* ---- wear pool -------------------------------------------------------- */

static u64 fsnvm_kunit_wear[2048];

static u64 fsnvm_kunit_wear_of(void *ctx, u32 frame)
{
	return fsnvm_kunit_wear[frame];
}

/*
 * Least and most-up-to against a scan of the free frames.  Most-up-to
 * answers from the bucket window, which a query first moves down to the
 * least-worn frame; frames past its top (the overflow) are not candidates
 * (fsnvm_wear.h).
 */
static void fsnvm_wear_pool_order_test(struct kunit *test)
{
	const u32 n = ARRAY_SIZE(fsnvm_kunit_wear);
	struct fsnvm_wear_pool *pool = kunit_kzalloc(test, sizeof(*pool),
						     GFP_KERNEL);
	bool *free = kunit_kcalloc(test, n, sizeof(bool), GFP_KERNEL);
	u64 wear, limit, best;
	u32 f, got, i;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_NOT_NULL(test, free);
	KUNIT_ASSERT_EQ(test, fsnvm_wear_pool_init(pool, n, fsnvm_kunit_wear_of,
						   NULL), 0);
	/* wears spread beyond the bucket ring, so the side lists work too */
	for (f = 0; f < n; f++) {
		fsnvm_kunit_wear[f] = get_random_u32() % (3 * FSNVM_WEAR_BUCKETS);
		fsnvm_wear_pool_put(pool, f, fsnvm_kunit_wear[f]);
		free[f] = true;
	}
	for (i = 0; i < n / 2; i++) {
		limit = get_random_u32() % (3 * FSNVM_WEAR_BUCKETS);
		wear = fsnvm_wear_pool_most_upto(pool, limit);
		best = 0;
		for (f = 0; f < n; f++)
			if (free[f] && fsnvm_kunit_wear[f] <= limit &&
			    fsnvm_kunit_wear[f] - pool->base < FSNVM_WEAR_BUCKETS &&
			    fsnvm_kunit_wear[f] > best)
				best = fsnvm_kunit_wear[f];
		KUNIT_EXPECT_EQ(test, wear, best);
		got = fsnvm_wear_pool_get_least(pool, &wear);
		KUNIT_ASSERT_NE(test, got, FSNVM_NO_FRAME);
		KUNIT_EXPECT_EQ(test, wear, fsnvm_kunit_wear[got]);
		for (f = 0; f < n; f++)
			if (free[f])
				KUNIT_EXPECT_LE(test, wear, fsnvm_kunit_wear[f]);
		free[got] = false;
	}
	fsnvm_wear_pool_destroy(pool);
}

static struct kunit_case fsnvm_wear_pool_cases[] = {
	KUNIT_CASE(fsnvm_wear_pool_order_test),
	{}
};

static struct kunit_suite fsnvm_wear_pool_suite = {
	.name = "frontswap_nvm_wear_pool",
	.test_cases = fsnvm_wear_pool_cases,
};

/* ---- entry classifier --------------------------------------------------- */

static void fsnvm_entry_classify_test(struct kunit *test)
{
	struct fsnvm_entry ent;

	memset(&ent, 0, sizeof(ent));
	fsnvm_entry_seal(&ent);
	KUNIT_EXPECT_EQ(test, fsnvm_entry_classify(&ent), FSNVM_ENTRY_FREE);

	ent.key = cpu_to_le64(fsnvm_key(1, 42));
	ent.seq = cpu_to_le64(7);
	fsnvm_entry_seal(&ent);
	KUNIT_EXPECT_EQ(test, fsnvm_entry_classify(&ent), FSNVM_ENTRY_MAPPED);

	ent.wear ^= cpu_to_le64(1);	/* not resealed: torn */
	KUNIT_EXPECT_EQ(test, fsnvm_entry_classify(&ent), FSNVM_ENTRY_TORN);

	ent.wear = cpu_to_le64(U64_MAX);	/* sealed, but no engine writes it */
	fsnvm_entry_seal(&ent);
	KUNIT_EXPECT_EQ(test, fsnvm_entry_classify(&ent),
			FSNVM_ENTRY_IMPLAUSIBLE);
	KUNIT_EXPECT_TRUE(test, fsnvm_entry_untrusted(&ent));

	ent.wear = 0;
	ent.key = cpu_to_le64(fsnvm_key(1, 42) & ~FSNVM_KEY_VALID);
	fsnvm_entry_seal(&ent);
	KUNIT_EXPECT_EQ(test, fsnvm_entry_classify(&ent), FSNVM_ENTRY_BAD_KEY);

	ent.key = cpu_to_le64(fsnvm_key(1, FSNVM_MAX_MAP_OFFSET + 1));
	fsnvm_entry_seal(&ent);
	KUNIT_EXPECT_EQ(test, fsnvm_entry_classify(&ent),
			FSNVM_ENTRY_KEY_RANGE);

	ent.key = cpu_to_le64(fsnvm_key(1, 42));
	ent.flags = cpu_to_le32(BIT(20));
	fsnvm_entry_seal(&ent);
	KUNIT_EXPECT_EQ(test, fsnvm_entry_classify(&ent), FSNVM_ENTRY_BAD_FLAGS);
}

static struct kunit_case fsnvm_entry_cases[] = {
	KUNIT_CASE(fsnvm_entry_classify_test),
	{}
};

static struct kunit_suite fsnvm_entry_suite = {
	.name = "frontswap_nvm_entry",
	.test_cases = fsnvm_entry_cases,
};

/* ---- recovery on an image in kernel memory ------------------------------ */

#define FSNVM_KUNIT_IMAGE (2 * 1024 * 1024)

static void *fsnvm_kunit_image(struct kunit *test)
{
	static const u8 uuid[16] = { 1, 2, 3, 4 };
	struct fsnvm_geometry geo;
	void *img = vzalloc(FSNVM_KUNIT_IMAGE);

	KUNIT_ASSERT_NOT_NULL(test, img);
	KUNIT_ASSERT_EQ(test, fsnvm_geometry_for_size(FSNVM_KUNIT_IMAGE, &geo),
			FSNVM_MEDIA_OK);
	fsnvm_format(img, &geo, uuid, 0, NULL, NULL);
	return img;
}

static struct fsnvm_engine *fsnvm_kunit_open(struct kunit *test, void *img,
					     enum fsnvm_recover_mode mode,
					     struct fsnvm_recovery *rep)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = fsnvm_engine_open(img, FSNVM_KUNIT_IMAGE, &st);

	KUNIT_ASSERT_NOT_NULL_MSG(test, e, "open: %s", fsnvm_media_str(st));
	KUNIT_EXPECT_EQ(test, fsnvm_recover(e, mode, rep), 0);
	return e;
}

/*
 * Pages stored, one stored twice, one invalidated, a clean close: a
 * reopen finds every page, the newer copy of the one stored twice; one
 * whose frame is on the badblocks list is lost, its load fails; a torn
 * entry is counted and kept free; attach releases everything, wear kept,
 * and a later inspection finds nothing mapped.
 */
static void fsnvm_recover_image_test(struct kunit *test)
{
	void *img = fsnvm_kunit_image(test);
	u8 *page = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct fsnvm_geometry geo;
	enum fsnvm_media_status st;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	u64 f, wear_sum;
	u32 k;

	fsnvm_geometry_for_size(FSNVM_KUNIT_IMAGE, &geo);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, got);
	e = fsnvm_kunit_open(test, img, FSNVM_RECOVER_ATTACH, &rep);
	for (k = 0; k < 100; k++) {
		memset(page, k, PAGE_SIZE);
		page[0] = k + 1;	/* not same-filled: a data frame */
		KUNIT_ASSERT_EQ(test, fsnvm_store(e, 0, k, page), 0);
	}
	memset(page, 0xab, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, fsnvm_store(e, 0, 5, page), 0);	/* again */
	fsnvm_invalidate_page(e, 0, 6);
	fsnvm_get_stats(e, &s);
	KUNIT_EXPECT_EQ(test, s.frames_used, 99ULL);
	wear_sum = s.wear_sum;
	fsnvm_engine_close(e);

	e = fsnvm_kunit_open(test, img, FSNVM_RECOVER_INSPECT, &rep);
	KUNIT_EXPECT_EQ(test, rep.valid, 99ULL);
	KUNIT_EXPECT_EQ(test, rep.torn, 0ULL);
	KUNIT_EXPECT_EQ(test, fsnvm_load(e, 0, 5, got), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, page, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, fsnvm_load(e, 0, 6, got), -ENOENT);
	KUNIT_EXPECT_EQ(test, fsnvm_load(e, 0, 7, got), 0);
	KUNIT_EXPECT_EQ(test, got[1], 7);
	f = fsnvm_keymap_find(&e->map, 0, 7);
	KUNIT_ASSERT_NE(test, f, (u64)FSNVM_NO_FRAME);
	fsnvm_engine_close(e);

	/* Key 7's frame on the badblocks list: its page is lost, loudly. */
	e = fsnvm_engine_open(img, FSNVM_KUNIT_IMAGE, &st);
	KUNIT_ASSERT_NOT_NULL(test, e);
	fsnvm_mark_bad(e, f);
	KUNIT_EXPECT_EQ(test, fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.valid, 99ULL);
	KUNIT_EXPECT_EQ(test, rep.lost, 1ULL);
	KUNIT_EXPECT_EQ(test, fsnvm_load(e, 0, 7, got), -EIO);
	KUNIT_EXPECT_EQ(test, fsnvm_load(e, 0, 8, got), 0);
	fsnvm_get_stats(e, &s);
	KUNIT_EXPECT_EQ(test, s.frames_used, 98ULL);
	fsnvm_engine_close(e);

	/* Tear key 7's entry by flipping a byte under its crc. */
	((u8 *)fsnvm_entry_at(img, &geo, f))[20] ^= 0x40;
	e = fsnvm_kunit_open(test, img, FSNVM_RECOVER_ATTACH, &rep);
	KUNIT_EXPECT_EQ(test, rep.torn, 1ULL);
	KUNIT_EXPECT_EQ(test, rep.valid, 98ULL);
	fsnvm_get_stats(e, &s);
	KUNIT_EXPECT_EQ(test, s.frames_used, 0ULL);
	KUNIT_EXPECT_EQ(test, s.frames_free, s.frames_total);
	KUNIT_EXPECT_GE(test, s.wear_sum, wear_sum);	/* wear never goes down */
	fsnvm_engine_close(e);

	/* The attach released them all through the superblock. */
	e = fsnvm_kunit_open(test, img, FSNVM_RECOVER_INSPECT, &rep);
	KUNIT_EXPECT_EQ(test, rep.valid, 0ULL);
	KUNIT_EXPECT_EQ(test, rep.stale, 98ULL);
	KUNIT_EXPECT_EQ(test, fsnvm_load(e, 0, 5, got), -ENOENT);
	fsnvm_engine_close(e);
	vfree(img);
}

static struct kunit_case fsnvm_recover_cases[] = {
	KUNIT_CASE(fsnvm_recover_image_test),
	{}
};

static struct kunit_suite fsnvm_recover_suite = {
	.name = "frontswap_nvm_recover",
	.test_cases = fsnvm_recover_cases,
};

kunit_test_suites(&fsnvm_keymap_suite, &fsnvm_wear_pool_suite,
		  &fsnvm_entry_suite, &fsnvm_recover_suite);
