// SPDX-License-Identifier: GPL-2.0
/*
 * A clean close must leave every stored page trusted (fsnvm_format.h), on
 * any device and with any number of writers.  After each case below the
 * engine is closed and the image reopened read-only: every acknowledged
 * key must load its page, and no entry may be left uncommitted.
 *
 * 1. A writer's newest vouch lost while the engine ran: writer 1 stores A
 *    then B (B's entry vouches for A) and drops B; a thread beyond the
 *    engine's writers (writer 0, the locked path) then stores a
 *    same-filled page, which takes the most-worn free frame, B's old one,
 *    and overwrites the vouch its cleared entry kept.
 * 2. Two writers' vouches must not share a frame: writer 1 stores A,
 *    writer 2 stores B and C, writer 3 fills the device, C is dropped.
 *    The one free frame left is C's, whose cleared entry still has C's
 *    seq.  The close must not give writer 1 that frame and then rewrite
 *    it for writer 2, whose last store it was.
 * 3. Random interleavings of four writers on a small device with bad
 *    frames (on the badblocks list, and retired after a data crc
 *    mismatch): stores (data and same-filled), drops, writer_gone, the
 *    balancer and area drops; then the device is filled to its last frame
 *    on all writers, and some writers' last stores are dropped, their
 *    frames maybe taken again by another writer.
 * (Writers are threads in userspace: tests/writer_threads.h.)
 */
#include "writer_threads.h"

#define NW 4

static struct fsnvm_engine *e;
static void *img;
static const u64 bytes = 1024 * 1024;

struct store_op {
	unsigned int type;
	u64 offset;
	const u8 *page;
	int ret;
};

static void do_store(void *arg)
{
	struct store_op *op = arg;

	op->ret = fsnvm_store(e, op->type, op->offset, op->page);
}

static int store_on(unsigned int w, unsigned int type, u64 offset,
		    const u8 *page)
{
	struct store_op op = { type, offset, page, 0 };

	wt_run(w, do_store, &op);
	return op.ret;
}

static void open_engine(unsigned int nr_bad, u64 *rng)
{
	enum fsnvm_media_status st;
	struct fsnvm_recovery rep;

	/* with data crcs, a corrupted page retires its frame on load */
	img = make_image(bytes, nr_bad ? FSNVM_COMPAT_DATA_CRC : 0);
	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e, "open");
	for (unsigned int i = 0; i < nr_bad; i++)
		fsnvm_mark_bad(e, splitmix64(rng) % e->geo.nr_frames);
	CHECK(fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep) == 0, "attach");
}

/*
 * Close, reopen read-only: want(key) is the page key must hold, or NULL.
 * Returns the number of keys checked.
 */
static u64 close_and_check(const char *what, u64 nr_keys,
			   const u8 *(*want)(u64 key))
{
	static u8 got[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	u64 n = 0;

	fsnvm_engine_close(e);
	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0, "reopen");
	CHECK(!rep.uncommitted, "%s: %llu keys left uncommitted by a clean close",
	      what, (unsigned long long)rep.uncommitted);
	for (u64 k = 0; k < nr_keys; k++) {
		const u8 *page = want(k);
		int ret = fsnvm_load(e, k % 2, k / 2, got);

		if (!page) {
			CHECK(ret == -ENOENT, "%s: dropped key %llu is back",
			      what, (unsigned long long)k);
			continue;
		}
		CHECK(ret == 0, "%s: key %llu lost after a clean close (%d)",
		      what, (unsigned long long)k, ret);
		CHECK(!memcmp(got, page, sizeof(got)), "%s: key %llu corrupt",
		      what, (unsigned long long)k);
		n++;
	}
	fsnvm_engine_close(e);
	free(img);
	return n;
}

/* --- case 1 ------------------------------------------------------------- */
static u8 a[FSNVM_PAGE_SIZE], b[FSNVM_PAGE_SIZE], z[FSNVM_PAGE_SIZE];

static const u8 *case1_want(u64 key)
{
	/* A is key 2 (type 0 offset 1), the same-filled page key 6 */
	return key == 2 ? a : key == 6 ? z : NULL;
}

static void case1(void)
{
	u64 rng = 1;
	u32 b_frame;

	fsnvm_test_nr_writers = 1;	/* thread 1 stores as writer 0 */
	open_engine(0, &rng);
	CHECK(store_on(0, 0, 1, a) == 0 && store_on(0, 0, 2, b) == 0,
	      "writer 1 stores");
	fsnvm_publish_stores(e);	/* into the map, where we look */
	b_frame = fsnvm_keymap_find(&e->map, 0, 2);
	fsnvm_invalidate_page(e, 0, 2);
	CHECK(store_on(1, 0, 3, z) == 0, "writer 0 store");
	CHECK(fsnvm_keymap_find(&e->map, 0, 3) == b_frame,
	      "the same-filled page did not land on B's old frame");
	close_and_check("case 1", 8, case1_want);
	fsnvm_test_nr_writers = 0;
}

/* --- case 2 ------------------------------------------------------------- */
static u64 case2_filled;
static u8 c[FSNVM_PAGE_SIZE], f[FSNVM_PAGE_SIZE];

static const u8 *case2_want(u64 key)
{
	if (key == 2)		/* A: type 0 offset 1 */
		return a;
	if (key == 4)		/* B: type 0 offset 2 */
		return b;
	if (key % 2 && key / 2 < case2_filled)	/* the filler's, type 1 */
		return f;
	return NULL;
}

static void case2(void)
{
	struct fsnvm_stats s;
	u64 rng = 2;

	open_engine(0, &rng);
	CHECK(store_on(0, 0, 1, a) == 0, "writer 1 stores A");
	CHECK(store_on(1, 0, 2, b) == 0 && store_on(1, 0, 3, c) == 0,
	      "writer 2 stores B and C");
	fsnvm_writer_gone(e, wt_id(0));	/* their stashes back to the pool */
	fsnvm_writer_gone(e, wt_id(1));
	case2_filled = 0;
	while (store_on(2, 1, case2_filled, f) == 0)
		case2_filled++;
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_free == 0, "%llu frames still free",
	      (unsigned long long)s.frames_free);
	fsnvm_invalidate_page(e, 0, 3);		/* C: the one free frame */
	close_and_check("case 2", 2 * case2_filled + 2, case2_want);
}

/* --- case 3 ------------------------------------------------------------- */
#define KEYS 600
static u64 version[KEYS];	/* 0: not stored */
static u8 want_page[FSNVM_PAGE_SIZE];

static const u8 *case3_want(u64 key)
{
	if (!version[key])
		return NULL;
	fill_page(want_page, key, version[key]);
	return want_page;
}

/*
 * Corrupt key k's page on the media: the next load finds the data crc
 * wrong, reports the page lost and retires the frame.  Returns whether
 * it did (a same-filled page has no data to corrupt).
 */
static u64 nr_retired;

static bool retire(u64 k)
{
	static u8 got[FSNVM_PAGE_SIZE];
	struct fsnvm_stats before, after;
	u32 frame;

	fsnvm_publish_stores(e);
	frame = fsnvm_keymap_find(&e->map, k % 2, k / 2);
	CHECK(frame != FSNVM_NO_FRAME, "key %llu not mapped",
	      (unsigned long long)k);
	if (e->state[frame] & FSNVM_FS_FILLED)
		return false;
	((u8 *)fsnvm_frame_at(img, &e->geo, frame))[100] ^= 0x40;
	fsnvm_get_stats(e, &before);
	CHECK(fsnvm_load(e, k % 2, k / 2, got) == -EIO, "corrupt page loaded");
	fsnvm_get_stats(e, &after);
	CHECK(after.frames_retired == before.frames_retired + 1,
	      "frame %u not retired", frame);
	nr_retired++;
	return true;
}

/* Every writer's stash back, then store on all writers until full. */
static void fill_device(u64 *rng, u64 *v, u64 *last)
{
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_stats s;

	for (int round = 0; round < 2; round++) {
		for (unsigned int w = 0; w < NW; w++)
			fsnvm_writer_gone(e, wt_id(w));
		/* until every writer has been refused since the last store */
		for (unsigned int refused = 0; refused != (1U << NW) - 1;) {
			u64 r = splitmix64(rng), k = (r >> 16) % KEYS;

			if (version[k])
				continue;	/* new keys only: fill up */
			fill_page(page, k, ++*v);
			if (store_on(r % NW, k % 2, k / 2, page)) {
				refused |= 1U << (r % NW);
			} else {
				version[k] = *v;
				last[r % NW] = k;
				refused = 0;
			}
		}
	}
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_free == 0, "not full: %llu free",
	      (unsigned long long)s.frames_free);
}

static u64 case3(u64 seed, u64 ops)
{
	struct fsnvm_balance_params bp = { .threshold = 1, .budget = 4,
					   .scan = 64 };
	static u8 page[FSNVM_PAGE_SIZE];
	u64 rng = seed, v = 0, last[NW];

	open_engine(seed % 5, &rng);
	memset(version, 0, sizeof(version));
	for (unsigned int w = 0; w < NW; w++)
		last[w] = ~0ULL;
	for (u64 i = 0; i < ops; i++) {
		u64 r = splitmix64(&rng), k = (r >> 16) % KEYS;
		unsigned int pick = r % 100, w = (r >> 8) % NW;

		if (pick < 70) {
			fill_page(page, k, ++v);
			/* a refused store drops the key's old copy */
			version[k] = store_on(w, k % 2, k / 2, page) ? 0 : v;
		} else if (pick < 90) {
			fsnvm_invalidate_page(e, k % 2, k / 2);
			version[k] = 0;
		} else if (pick < 94) {
			fsnvm_writer_gone(e, wt_id(w));
		} else if (pick < 97) {
			fsnvm_balance_step(e, &bp);
		} else if (pick < 99) {
			if (e->data_crc && version[k] && retire(k))
				version[k] = 0;
		} else {
			fsnvm_invalidate_area(e, k % 2);
			for (u64 j = k % 2; j < KEYS; j += 2)
				version[j] = 0;
		}
		if (pick < 70 && version[k])
			last[w] = k;
	}
	fill_device(&rng, &v, last);
	/*
	 * Drop some writers' last stores: their frames, cleared with their
	 * seq kept, are the only free ones; and maybe let another writer
	 * take one, so that a writer's newest vouch is gone for good.
	 */
	for (unsigned int w = 0; w < NW; w++) {
		u64 r = splitmix64(&rng);

		if (r % 3 == 0 || last[w] == ~0ULL || !version[last[w]])
			continue;
		fsnvm_invalidate_page(e, last[w] % 2, last[w] / 2);
		version[last[w]] = 0;
		if ((r >> 8) % 2) {
			u64 k = (r >> 16) % KEYS;

			fill_page(page, k, ++v);
			version[k] = store_on((w + 1) % NW, k % 2, k / 2, page) ?
				     0 : v;
		}
	}
	return close_and_check("case 3", KEYS, case3_want);
}

int main(int argc, char **argv)
{
	u64 seeds = argc > 1 ? strtoull(argv[1], NULL, 0) : 40, kept = 0;

	fill_page(a, 1, 1);
	fill_page(b, 2, 1);
	fill_page(c, 3, 1);
	fill_page(f, 4, 1);
	a[0] |= 1;	/* data pages, not same-filled */
	b[0] |= 1;
	c[0] |= 1;
	f[0] |= 1;
	wt_start(NW);
	for (unsigned int i = 0; i < NW; i++)
		CHECK(wt_id(i) == i + 1, "worker %u has writer id %u", i,
		      wt_id(i));
	case1();
	case2();
	for (u64 seed = 1; seed <= seeds; seed++)
		kept += case3(seed, 1500);
	wt_stop();
	printf("vouch at close: a lost vouch, two writers wanting one frame, %llu random cases (%llu pages, %llu frames retired): every page trusted after a clean close\n",
	       (unsigned long long)seeds, (unsigned long long)kept,
	       (unsigned long long)nr_retired);
	return 0;
}
