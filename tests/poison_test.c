// SPDX-License-Identifier: GPL-2.0
/*
 * Memory errors reported while bound (fsnvm_media_failure(), the kernel's
 * dax holder notify_failure): whoever holds each frame hit, and whatever
 * it is doing, the page there is lost loudly (its load fails with -EIO and
 * is counted), never served stale or torn, the frame is never used again
 * in this boot or the next, and the frames still add up.
 *
 *   1. One of each: a free frame, a frame holding a data page, one holding
 *      a same-filled page (its entry hit), a frame in a writer's stash,
 *      a frame a store holds; then the range arithmetic at its edges.
 *   2. Threads: two writers storing and verifying their own keys, the
 *      balancer moving pages as fast as it can, and a thread reporting
 *      memory errors on random frames and entries all along.
 */
#include <sched.h>

#include "writer_threads.h"

static u64 data_off(const struct fsnvm_engine *e, u32 f)
{
	return e->geo.data_offset + (u64)f * e->geo.page_size;
}

static void frames_add_up(struct fsnvm_engine *e, const char *when)
{
	struct fsnvm_stats s;

	fsnvm_get_stats(e, &s);
	CHECK(s.frames_used + s.frames_free + s.frames_bad == s.frames_total,
	      "%s: used %llu + free %llu + bad %llu != %llu", when,
	      (unsigned long long)s.frames_used, (unsigned long long)s.frames_free,
	      (unsigned long long)s.frames_bad, (unsigned long long)s.frames_total);
}

static bool entry_retired(void *img, const struct fsnvm_geometry *geo, u32 f)
{
	const struct fsnvm_entry *ent = fsnvm_entry_at(img, geo, f);

	return fsnvm_entry_crc_ok(ent) && !ent->key &&
	       (le32_to_cpu(ent->flags) & FSNVM_ENT_RETIRED);
}

struct stash_arg {
	struct fsnvm_engine *e;
	u8 *page;
	u32 offset;
	int ret;
};

static void store_step(void *p)
{
	struct stash_arg *a = p;

	a->ret = fsnvm_store(a->e, 2, a->offset, a->page);
}

static void one_of_each(void)
{
	const u64 bytes = 2 * 1024 * 1024;
	void *img = make_image(bytes, FSNVM_COMPAT_DATA_CRC);
	struct fsnvm_engine *e = attach(img, bytes);
	static u8 page[FSNVM_PAGE_SIZE], want[FSNVM_PAGE_SIZE];
	struct stash_arg sa = { .e = e, .page = page };
	u32 data_frame, filled_frame, free_frame, stash_frame = FSNVM_NO_FRAME;
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_stats s;
	u64 hit;

	for (unsigned int k = 0; k < 64; k++) {
		fill_page(page, k, 1);
		if (k != 9)
			page[0] |= 1;	/* a data page */
		else
			memset(page, 0x77, sizeof(page));	/* same-filled */
		CHECK(fsnvm_store(e, 0, k, page) == 0, "store %u", k);
	}
	/* A writer thread stores once: its stash keeps the rest BUSY. */
	wt_start(1);
	fill_page(page, 1000, 1);
	page[0] |= 1;
	wt_run(0, store_step, &sa);
	CHECK(sa.ret == 0, "stash store");
	fsnvm_publish_stores(e);	/* BUSY now: the stash's unused frames */
	for (u32 f = 0; f < e->geo.nr_frames; f++)
		if (fsnvm_fstate(e, f) == FSNVM_FS_BUSY)
			stash_frame = f;
	CHECK(stash_frame != FSNVM_NO_FRAME, "no stashed frame");

	data_frame = fsnvm_keymap_find(&e->map, 0, 5);
	filled_frame = fsnvm_keymap_find(&e->map, 0, 9);
	CHECK(e->state[filled_frame] & FSNVM_FS_FILLED, "key 9 not same-filled");
	for (free_frame = 0; fsnvm_fstate(e, free_frame) != FSNVM_FS_FREE;)
		free_frame++;

	/* A few bytes inside each: the frame's data, or the entry of 9. */
	CHECK(fsnvm_media_failure(e, data_off(e, data_frame) + 100, 8) == 1, "data");
	CHECK(fsnvm_media_failure(e, e->geo.index_offset +
				  (u64)filled_frame * FSNVM_ENTRY_BYTES + 3, 1) == 1,
	      "entry");
	CHECK(fsnvm_media_failure(e, data_off(e, free_frame), 4096) == 1, "free");
	CHECK(fsnvm_media_failure(e, data_off(e, stash_frame) + 4095, 1) == 1, "stash");
	/* Reported twice: nothing new. */
	CHECK(fsnvm_media_failure(e, data_off(e, data_frame), 4096) == 0, "twice");
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_poisoned == 4 && s.pages_lost == 2, "poisoned %llu lost %llu",
	      (unsigned long long)s.frames_poisoned, (unsigned long long)s.pages_lost);
	CHECK(entry_retired(img, &e->geo, data_frame) &&
	      entry_retired(img, &e->geo, free_frame) &&
	      entry_retired(img, &e->geo, filled_frame),
	      "retirement not on the media at once");
	CHECK(fsnvm_fstate(e, stash_frame) == FSNVM_FS_BUSY, "stash frame taken away");
	frames_add_up(e, "after the errors");

	/* The lost pages: -EIO once, then gone; the rest intact. */
	CHECK(fsnvm_load(e, 0, 5, page) == -EIO, "lost data page served");
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT, "lost page still mapped");
	fsnvm_invalidate_page(e, 0, 9);	/* swap freed it before any load */
	CHECK(fsnvm_load(e, 0, 9, page) == -ENOENT, "invalidated page back");
	CHECK(entry_retired(img, &e->geo, filled_frame), "invalidate unretired it");
	for (unsigned int k = 0; k < 64; k++) {
		if (k == 5 || k == 9)
			continue;
		fill_page(want, k, 1);
		want[0] |= 1;
		CHECK(fsnvm_load(e, 0, k, page) == 0 && !memcmp(page, want, sizeof(page)),
		      "key %u damaged", k);
	}
	fsnvm_get_stats(e, &s);
	CHECK(s.pages_lost == 0 && s.load_errors == 1, "lost %llu load_errors %llu",
	      (unsigned long long)s.pages_lost, (unsigned long long)s.load_errors);
	frames_add_up(e, "after the loads");

	/* Churn: the stash's frame is written by its store, then lost. */
	for (sa.offset = 1; sa.offset < 40; sa.offset++) {
		fill_page(page, 2000 + sa.offset, 1);
		page[0] |= 1;
		wt_run(0, store_step, &sa);
	}
	for (unsigned int i = 0; i < 3000; i++) {
		u32 f;

		fill_page(page, 5000 + i, 1);
		page[0] |= 1;
		if (fsnvm_store(e, 1, i % 200, page))
			continue;
		fsnvm_publish_stores(e);
		f = fsnvm_keymap_find(&e->map, 1, i % 200);
		CHECK(f != data_frame && f != free_frame && f != filled_frame,
		      "a retired frame was reused");
	}
	for (u32 o = 0; o < 40; o++) {
		u32 f;

		fsnvm_publish_stores(e);
		f = fsnvm_keymap_find(&e->map, 2, o);
		if (f == stash_frame) {
			CHECK(fsnvm_load(e, 2, o, page) == -EIO,
			      "page stored in a lost frame served");
			continue;
		}
		fill_page(want, o ? 2000 + o : 1000, 1);
		want[0] |= 1;
		CHECK(fsnvm_load(e, 2, o, page) == 0 && !memcmp(page, want, sizeof(page)),
		      "stash key %u damaged", o);
	}
	frames_add_up(e, "after the churn");
	wt_stop();
	fsnvm_engine_close(e);

	/* The next bind: all four stay out. */
	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep) == 0, "reattach");
	CHECK(fsnvm_fstate(e, data_frame) == FSNVM_FS_BAD &&
	      fsnvm_fstate(e, filled_frame) == FSNVM_FS_BAD &&
	      fsnvm_fstate(e, free_frame) == FSNVM_FS_BAD &&
	      fsnvm_fstate(e, stash_frame) == FSNVM_FS_BAD,
	      "a lost frame came back after the reattach (%llu retired)",
	      (unsigned long long)rep.retired);
	CHECK(rep.retired == 4, "%llu retired, want 4", (unsigned long long)rep.retired);

	/* Ranges at the edges: past the end, the whole device, wrapping. */
	CHECK(fsnvm_media_failure(e, bytes, 4096) == 0, "past the end");
	CHECK(fsnvm_media_failure(e, ~0ULL - 10, ~0ULL) == 0, "wrapping");
	CHECK(fsnvm_media_failure(e, 0, 0) == 0, "empty");
	hit = fsnvm_media_failure(e, 0, ~0ULL);
	CHECK(hit == e->geo.nr_frames - 4, "whole device: %llu", (unsigned long long)hit);
	frames_add_up(e, "whole device lost");
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_free == 0 && fsnvm_store(e, 0, 1, page) == -ENOSPC,
	      "stored on a lost device");
	fsnvm_engine_close(e);
	free(img);
	printf("one of each: data, same-filled, free, stashed frames lost loudly, retired, kept out after a reattach\n");
}

/*
 * A memory error on the source of a move, reported after the balancer
 * copied it and before it finished: the copy must not be published (it
 * may hold what the error destroyed); the key stays with the source and
 * its load says the page is lost.  The same on the destination: the move
 * is dropped, the page stays where it was, intact.
 */
static struct fsnvm_engine *race_engine;
static u32 race_frame;
static bool race_on_dst;

static bool in_a_stash(struct fsnvm_engine *e, u32 f)
{
	for (unsigned int i = 0; i < e->nr_writers; i++) {
		struct fsnvm_writer *w = &e->writers[i];

		for (u64 n = w->used; n < w->stocked; n++)
			if (w->slot[n % FSNVM_STASH].frame == f)
				return true;
	}
	return false;
}

void fsnvm_race_point(int where)
{
	struct fsnvm_engine *e = race_engine;
	u32 f;

	if (where != FSNVM_RACE_BALANCE_COPIED || !e)
		return;
	race_engine = NULL;	/* once */
	for (f = 0; f < e->geo.nr_frames; f++)
		if (race_on_dst ? fsnvm_fstate(e, f) == FSNVM_FS_BUSY &&
				  !in_a_stash(e, f) :
		    (e->state[f] & FSNVM_FS_MOVING))
			break;
	CHECK(f < e->geo.nr_frames, "no frame in the move");
	race_frame = f;
	CHECK(fsnvm_media_failure(e, data_off(e, f), 4096) == 1, "race report");
	memset(fsnvm_frame_at(e->base, &e->geo, f), 0xa5, 4096);
}

static void during_a_move(bool on_dst)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	struct fsnvm_engine *e = attach(img, bytes);
	struct fsnvm_balance_params bp = { .threshold = 1, .first_move = 1,
					   .budget = 1, .scan = 1 << 20 };
	static u8 page[FSNVM_PAGE_SIZE], want[FSNVM_PAGE_SIZE];
	unsigned int lost = 0, k;

	/* A cold page, then enough rewrites of another key to age the rest. */
	fill_page(page, 1, 1);
	page[0] |= 1;
	CHECK(fsnvm_store(e, 0, 1, page) == 0, "cold store");
	for (unsigned int i = 0; i < 3000; i++) {
		fill_page(page, 2, i);
		page[0] |= 1;
		CHECK(fsnvm_store(e, 0, 2, page) == 0, "hot store");
	}
	CHECK(fsnvm_balance_wanted(e, &bp), "no move wanted");
	race_on_dst = on_dst;
	race_engine = e;
	for (unsigned int i = 0; i < 8 && race_engine; i++)
		fsnvm_balance_step(e, &bp);
	CHECK(!race_engine, "the race point was not reached");
	fill_page(want, 1, 1);
	want[0] |= 1;
	for (k = 1; k <= 2; k++) {
		int ret = fsnvm_load(e, 0, k, page);

		if (k == 1 && !on_dst) {
			CHECK(ret == -EIO, "a move published the copy of a lost page (%d%s)",
			      ret, ret ? "" : memcmp(page, want, 4096) ? ", wrong data" : "");
			lost++;
		} else if (k == 1) {
			CHECK(ret == 0 && !memcmp(page, want, 4096),
			      "page damaged by a move to a lost frame");
		}
	}
	CHECK(fsnvm_fstate(e, race_frame) == FSNVM_FS_BAD, "frame %u not retired",
	      race_frame);
	frames_add_up(e, "after the move");
	fsnvm_engine_close(e);
	free(img);
	printf("during a move: error on the %s: %s\n", on_dst ? "destination" : "source",
	       on_dst ? "move dropped, page intact" : "copy dropped, load says lost");
}

/* Part 2: everything at once. */
#define KEYS_PER_WRITER 96
static struct fsnvm_engine *engine;
static int stop;
static u64 ops_done, ops_total;

struct writer {
	pthread_t thread;
	unsigned int id;
	u64 ops, lost, version[KEYS_PER_WRITER];
};

static void *writer_main(void *p)
{
	struct writer *w = p;
	u8 *page = malloc(FSNVM_PAGE_SIZE), *want = malloc(FSNVM_PAGE_SIZE);
	u64 rng = w->id + 1;

	CHECK(page && want, "oom");
	for (u64 i = 0; i < w->ops; i++) {
		u32 k = splitmix64(&rng) % KEYS_PER_WRITER;

		__atomic_add_fetch(&ops_done, 1, __ATOMIC_RELAXED);
		u64 key = w->id * 1000 + k;
		int ret;

		if (w->version[k] && splitmix64(&rng) % 2) {
			ret = fsnvm_load(engine, w->id, k, page);
			if (ret == -EIO) {	/* lost: said so, then gone */
				w->lost++;
				w->version[k] = 0;
				CHECK(fsnvm_load(engine, w->id, k, page) == -ENOENT,
				      "lost page still there");
				continue;
			}
			fill_page(want, key, w->version[k]);
			CHECK(ret == 0 && !memcmp(page, want, FSNVM_PAGE_SIZE),
			      "writer %u key %u: %s", w->id, k,
			      ret ? "not loaded" : "wrong data served");
			continue;
		}
		fill_page(page, key, i + 1);
		w->version[k] = fsnvm_store(engine, w->id, k, page) ? 0 : i + 1;
	}
	free(page);
	free(want);
	return NULL;
}

static void *balancer_main(void *arg)
{
	struct fsnvm_balance_params bp = { .threshold = 1, .first_move = 1,
					   .budget = 8, .scan = 256 };
	u64 *moves = arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		*moves += fsnvm_balance_step(engine, &bp);
	return NULL;
}

/* About 150 reports, spread over the writers' run. */
static void *poisoner_main(void *arg)
{
	u64 rng = 77, *hits = arg, n = 0;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		if (__atomic_load_n(&ops_done, __ATOMIC_RELAXED) <
		    n * (ops_total / 150)) {
			sched_yield();
			continue;
		}
		n++;
		u64 f = splitmix64(&rng) % engine->geo.nr_frames;
		bool data = splitmix64(&rng) % 4;
		u64 off = data ? data_off(engine, (u32)f) + splitmix64(&rng) % 4000 :
			  engine->geo.index_offset + f * FSNVM_ENTRY_BYTES;
		u64 len = 1 + splitmix64(&rng) % 64;

		*hits += fsnvm_media_failure(engine, off, len);
		/*
		 * What a read of it would return from now on, had it not
		 * been reported: anything.  (An entry keeps its bytes, so
		 * the reattach below can count the retirements.)
		 */
		if (data)
			memset((u8 *)engine->base + off, 0xa5, len);
		if (*hits > engine->geo.nr_frames / 5)
			break;
	}
	return NULL;
}

static void everything_at_once(u64 ops, u64 compat)
{
	const u64 bytes = 2 * 1024 * 1024;
	void *img = make_image(bytes, compat);
	struct writer w[2];
	pthread_t balancer, poisoner;
	u64 moves = 0, hits = 0, lost = 0;
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_stats s;
	u64 retired_frames;

	engine = attach(img, bytes);
	ops_done = 0;
	ops_total = 2 * ops;
	pthread_create(&balancer, NULL, balancer_main, &moves);
	pthread_create(&poisoner, NULL, poisoner_main, &hits);
	for (unsigned int i = 0; i < 2; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		w[i].ops = ops;
		pthread_create(&w[i].thread, NULL, writer_main, &w[i]);
	}
	for (unsigned int i = 0; i < 2; i++) {
		pthread_join(w[i].thread, NULL);
		lost += w[i].lost;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(balancer, NULL);
	pthread_join(poisoner, NULL);
	frames_add_up(engine, "threads");
	fsnvm_get_stats(engine, &s);
	CHECK(s.frames_poisoned == hits, "poisoned %llu, hits %llu",
	      (unsigned long long)s.frames_poisoned, (unsigned long long)hits);
	CHECK(hits > 0 && moves > 0 && lost > 0, "hits %llu moves %llu lost %llu",
	      (unsigned long long)hits, (unsigned long long)moves,
	      (unsigned long long)lost);
	fsnvm_engine_close(engine);
	engine = fsnvm_engine_open(img, bytes, &st);
	CHECK(engine && fsnvm_recover(engine, FSNVM_RECOVER_ATTACH, &rep) == 0,
	      "reattach");
	retired_frames = rep.retired;
	CHECK(retired_frames == hits, "%llu frames retired on the media, %llu hit",
	      (unsigned long long)retired_frames, (unsigned long long)hits);
	fsnvm_engine_close(engine);
	free(img);
	stop = 0;
	printf("threads (data crc %s): %llu frames hit while 2 writers and the balancer ran (%llu moves): %llu pages lost loudly, none served wrong, all %llu retired after a reattach\n",
	       compat ? "on" : "off", (unsigned long long)hits,
	       (unsigned long long)moves, (unsigned long long)lost,
	       (unsigned long long)retired_frames);
}

int main(int argc, char **argv)
{
	u64 ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 30000;

	one_of_each();
	during_a_move(false);
	during_a_move(true);
	/* Without the data crc nothing else would catch a page served wrong. */
	everything_at_once(ops, 0);
	everything_at_once(ops, FSNVM_COMPAT_DATA_CRC);
	return 0;
}
