// SPDX-License-Identifier: GPL-2.0
/*
 * FSNVM_RECOVER_KEEP, the swap device's attach: the pages a block device
 * can address survive a close and a reopen with their data; the ones it
 * cannot (another type, at or beyond its capacity) are released; an
 * uncommitted store (a crash) and a torn entry leave nothing behind that
 * a later recovery could find; wear never goes down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define BYTES (8ULL << 20)
#define KEPT 200

static u8 page[FSNVM_PAGE_SIZE], got[FSNVM_PAGE_SIZE];

static void check_page(struct fsnvm_engine *e, u64 off, u64 version)
{
	fill_page(page, off, version);
	CHECK(fsnvm_load(e, 0, off, got) == 0, "load of kept block %llu",
	      (unsigned long long)off);
	CHECK(!memcmp(page, got, sizeof(page)), "block %llu: wrong data",
	      (unsigned long long)off);
}

int main(void)
{
	struct fsnvm_recovery rep;
	struct fsnvm_stats s;
	struct fsnvm_engine *e;
	u64 off, cap, good, wear_max;
	void *img = make_image(BYTES, 0), *copy;

	fsnvm_test_nr_writers = 4;	/* a small machine's reserve */
	/* A frontswap-style session: type 0 blocks, a type 1 page, a far key. */
	e = attach(img, BYTES);
	for (off = 0; off < KEPT; off++) {
		fill_page(page, off, 1);
		CHECK(fsnvm_store(e, 0, off, page) == 0, "store %llu",
		      (unsigned long long)off);
	}
	fill_page(page, 7, 1);
	CHECK(fsnvm_store(e, 1, 7, page) == 0, "store type 1");
	fsnvm_get_stats(e, &s);
	good = s.frames_total - s.frames_bad;
	CHECK(fsnvm_store(e, 0, good - 1, page) == 0, "store beyond capacity");
	fsnvm_engine_close(e);

	e = open_recovered(img, BYTES, FSNVM_RECOVER_KEEP, &rep);
	cap = fsnvm_engine_capacity(e);
	CHECK(cap == good - fsnvm_engine_reserve(e), "capacity %llu, good %llu",
	      (unsigned long long)cap, (unsigned long long)good);
	CHECK(cap > KEPT && cap < good - 1, "capacity %llu",
	      (unsigned long long)cap);
	CHECK(rep.released == 2, "released %llu, want 2 (type 1, beyond)",
	      (unsigned long long)rep.released);
	for (off = 0; off < KEPT; off++)
		check_page(e, off, 1);
	CHECK(fsnvm_load(e, 1, 7, got) == -ENOENT, "type 1 page kept");
	CHECK(fsnvm_load(e, 0, good - 1, got) == -ENOENT, "far page kept");
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_used == KEPT, "frames_used %llu",
	      (unsigned long long)s.frames_used);
	CHECK(s.frames_used + s.frames_free == good, "used %llu + free %llu != %llu",
	      (unsigned long long)s.frames_used,
	      (unsigned long long)s.frames_free, (unsigned long long)good);

	/* Rewrites after a KEEP attach, then a clean close: the new data. */
	for (off = 0; off < KEPT; off += 2) {
		fill_page(page, off, 2);
		CHECK(fsnvm_store(e, 0, off, page) == 0, "rewrite");
	}
	fsnvm_get_stats(e, &s);
	wear_max = s.wear_max;
	fsnvm_engine_close(e);
	e = open_recovered(img, BYTES, FSNVM_RECOVER_KEEP, &rep);
	for (off = 0; off < KEPT; off++)
		check_page(e, off, off % 2 ? 1 : 2);
	fsnvm_get_stats(e, &s);
	CHECK(s.wear_max >= wear_max, "wear went down: %llu < %llu",
	      (unsigned long long)s.wear_max, (unsigned long long)wear_max);

	/*
	 * A crash right after a store: the image as the store left it, no
	 * close.  The newest store of the writer is not vouched for, so its
	 * block holds nothing after KEEP; KEEP cleans its entry, so an
	 * inspection afterwards finds nothing uncommitted.
	 */
	fill_page(page, KEPT, 1);
	CHECK(fsnvm_store(e, 0, KEPT, page) == 0, "store before the crash");
	copy = aligned_alloc(4096, BYTES);
	CHECK(copy, "out of memory");
	memcpy(copy, img, BYTES);
	fsnvm_engine_media_gone(e);
	fsnvm_engine_close(e);
	e = open_recovered(copy, BYTES, FSNVM_RECOVER_KEEP, &rep);
	for (off = 0; off < KEPT; off++)
		check_page(e, off, off % 2 ? 1 : 2);
	fsnvm_engine_close(e);
	e = open_recovered(copy, BYTES, FSNVM_RECOVER_INSPECT, &rep);
	CHECK(rep.uncommitted == 0 && rep.duplicates == 0,
	      "after KEEP: %llu uncommitted, %llu duplicates",
	      (unsigned long long)rep.uncommitted,
	      (unsigned long long)rep.duplicates);
	CHECK(rep.valid == KEPT, "after KEEP: %llu valid entries, want %d",
	      (unsigned long long)rep.valid, KEPT);
	fsnvm_engine_close(e);

	free(copy);
	free(img);
	printf("keep: %d blocks kept over 3 attaches, capacity %llu of %llu good frames, 2 released\n",
	       KEPT, (unsigned long long)cap, (unsigned long long)good);
	return 0;
}
