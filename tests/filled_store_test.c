// SPDX-License-Identifier: GPL-2.0
/*
 * Same-filled pages take the lockless path like any other: a writer's
 * store of one waits in its ring, unpublished (no lock taken), writes its
 * entry and no data, and leaves its frame's wear as it was.  Once
 * published it counts as same-filled, loads back as its word, is replaced
 * by a data page stored over it, and survives a close and a reopen.
 */
#include "test_util.h"

static void fill_with(u8 *page, u64 word)
{
	u64 *w = (u64 *)page;

	for (unsigned int i = 0; i < FSNVM_PAGE_SIZE / sizeof(u64); i++)
		w[i] = word;
}

static void loads_as(struct fsnvm_engine *e, u32 key, const u8 *want,
		     const char *when)
{
	static u8 got[FSNVM_PAGE_SIZE];

	CHECK(fsnvm_load(e, 0, key, got) == 0, "key %u lost %s", key, when);
	CHECK(!memcmp(got, want, sizeof(got)), "key %u wrong %s", key, when);
}

int main(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, FSNVM_COMPAT_DATA_CRC);
	static u8 zero[FSNVM_PAGE_SIZE], word[FSNVM_PAGE_SIZE],
		data[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = attach(img, bytes);
	struct fsnvm_writer *w;
	struct fsnvm_stats s;
	u64 used;
	u32 f;

	fill_with(word, 0x5a5a5a5a5a5a5a5aULL);
	fill_page(data, 1, 1);
	data[0] |= 1;	/* a data page */
	/* The first store restocks the stash, under the lock. */
	CHECK(fsnvm_store(e, 0, 9, data) == 0, "warm-up store");
	w = &e->writers[fsnvm_writer_begin(e->nr_writers) - 1];
	used = w->used;

	CHECK(fsnvm_store(e, 0, 1, zero) == 0 &&
	      fsnvm_store(e, 0, 2, word) == 0, "same-filled stores");
	CHECK(w->used == used + 2 && w->drained < used,
	      "the same-filled stores did not wait in the writer's ring");
	CHECK(fsnvm_keymap_find(&e->map, 0, 1) == FSNVM_NO_FRAME &&
	      fsnvm_keymap_find(&e->map, 0, 2) == FSNVM_NO_FRAME,
	      "a same-filled store published itself (took the lock)");

	fsnvm_publish_stores(e);
	fsnvm_get_stats(e, &s);
	CHECK(s.same_filled == 2 && s.pages_filled == 2 && s.data_writes == 1,
	      "%llu same-filled, %llu filled, %llu data writes (want 2, 2, 1)",
	      (unsigned long long)s.same_filled,
	      (unsigned long long)s.pages_filled,
	      (unsigned long long)s.data_writes);
	for (u32 k = 1; k <= 2; k++) {
		f = fsnvm_keymap_find(&e->map, 0, k);
		CHECK(f != FSNVM_NO_FRAME &&
		      (e->state[f] & FSNVM_FS_FILLED) &&
		      fsnvm_entry_wear(e, f) == 0,
		      "key %u: frame %u not a filled, unworn one", k, f);
	}
	loads_as(e, 1, zero, "while running");
	loads_as(e, 2, word, "while running");

	CHECK(fsnvm_store(e, 0, 1, data) == 0, "data over a same-filled page");
	loads_as(e, 1, data, "after a data page was stored over it");
	fsnvm_get_stats(e, &s);
	CHECK(s.pages_filled == 1, "%llu filled pages, want 1",
	      (unsigned long long)s.pages_filled);
	fsnvm_engine_close(e);

	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0,
	      "reopen");
	CHECK(rep.valid == 3 && !rep.uncommitted,
	      "%llu keys, %llu uncommitted (want 3, 0)",
	      (unsigned long long)rep.valid,
	      (unsigned long long)rep.uncommitted);
	loads_as(e, 1, data, "after a reopen");
	loads_as(e, 2, word, "after a reopen");
	fsnvm_engine_close(e);
	free(img);
	printf("same-filled stores: lockless (pending in the ring), no data write, frame wear kept, counted, loaded back, also after a reopen\n");
	return 0;
}
