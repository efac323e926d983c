// SPDX-License-Identifier: GPL-2.0
/*
 * A lockless load whose frame is unmapped and reused while it copies
 * (fsnvm_engine.c): made to happen every time by running the racing
 * operations from inside the load's optimistic read.  The racer drops the
 * key's frame the way the balancer does when it moves a page (through
 * fsnvm_frame_unmapped()), stores the key again elsewhere and fills the
 * old frame with another key's page.  The load must notice the frame's new
 * generation and retry: it returns the key's current page, never the page
 * now in its old frame.
 */
#include "test_util.h"

static void (*racer)(void);

/* The rest of the persistence primitives: tests/persist_memcpy.c. */

/* The load has found its frame and is about to copy it: race now. */
size_t fsnvm_pmem_read_optimistic(void *dst, const void *src, size_t len)
{
	void (*r)(void) = racer;

	racer = NULL;
	if (r)
		r();
	memcpy(dst, src, len);
	return 0;
}

static struct fsnvm_engine *e;
static u8 page[FSNVM_PAGE_SIZE];
static u32 old_frame;
static unsigned int reused_by;

static void data_page(unsigned int key, u64 version)
{
	fill_page(page, key, version);
	page[0] |= 1;	/* never same-filled: the page lives in its frame */
}

/* Move key 0 to another frame and give its old one to another key. */
static void move_and_reuse(void)
{
	fsnvm_invalidate_page(e, 0, 0);
	data_page(0, 2);
	CHECK(fsnvm_store(e, 0, 0, page) == 0, "restore");
	fsnvm_publish_stores(e);	/* into the map, where we look */
	CHECK(fsnvm_keymap_find(&e->map, 0, 0) != old_frame, "same frame");
	for (unsigned int k = 1; k < e->geo.nr_frames; k++) {
		data_page(k, 1);
		CHECK(fsnvm_store(e, 1, k, page) == 0, "store %u", k);
		fsnvm_publish_stores(e);
		if (fsnvm_keymap_find(&e->map, 1, k) == old_frame) {
			reused_by = k;
			return;
		}
	}
	CHECK(0, "old frame %u never reused", old_frame);
}

int main(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	static u8 got[FSNVM_PAGE_SIZE];
	struct fsnvm_stats s;

	e = attach(img, bytes);
	data_page(0, 1);
	CHECK(fsnvm_store(e, 0, 0, page) == 0, "store");
	fsnvm_publish_stores(e);	/* so that the load runs lockless */
	old_frame = fsnvm_keymap_find(&e->map, 0, 0);
	racer = move_and_reuse;
	CHECK(fsnvm_load(e, 0, 0, got) == 0, "racing load");
	CHECK(reused_by, "the racer did not run");
	data_page(0, 2);
	CHECK(!memcmp(got, page, sizeof(got)),
	      "the load returned %s",
	      (data_page(reused_by, 1), !memcmp(got, page, sizeof(got))) ?
	      "the page of the key now in its old frame" : "neither page");
	fsnvm_get_stats(e, &s);
	CHECK(s.loads == 1, "%llu loads counted", (unsigned long long)s.loads);
	printf("load race: frame %u reused by key %u during the copy; the load retried and returned the key's current page\n",
	       old_frame, reused_by);
	fsnvm_engine_close(e);
	free(img);
	return 0;
}
