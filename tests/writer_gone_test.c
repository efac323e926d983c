// SPDX-License-Identifier: GPL-2.0
/*
 * A writer that stores no more (in the kernel, a CPU gone offline) must
 * not keep the free frames it stashed (fsnvm_writer.c).  A thread stores
 * one page, which stashes FSNVM_STASH frames and uses one, and exits with
 * its store still pending.  After fsnvm_writer_gone() for it, another
 * writer fills the device: every frame but that one page's must take a
 * page, and the pending page must still read back.
 */
#include "test_util.h"

static struct fsnvm_engine *e;
static u8 page[FSNVM_PAGE_SIZE];
static unsigned int gone;

static void *one_store(void *arg)
{
	(void)arg;
	gone = fsnvm_writer_begin(e->nr_writers);	/* this thread's id */
	CHECK(gone, "no writer id");
	CHECK(fsnvm_store(e, 1, 0, page) == 0, "store");
	return NULL;
}

int main(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	static u8 got[FSNVM_PAGE_SIZE];
	struct fsnvm_stats s;
	pthread_t t;
	u64 stored = 0;

	e = attach(img, bytes);
	fill_page(page, 1, 1);
	page[0] |= 1;	/* a data page: goes through the stash */
	CHECK(!pthread_create(&t, NULL, one_store, NULL) &&
	      !pthread_join(t, NULL), "thread");
	fsnvm_writer_gone(e, gone);
	while (fsnvm_store(e, 0, stored, page) == 0)
		stored++;
	fsnvm_get_stats(e, &s);
	CHECK(stored == s.frames_total - 1,
	      "%llu pages stored of %llu free frames: a stash was kept",
	      (unsigned long long)stored,
	      (unsigned long long)s.frames_total - 1);
	CHECK(s.frames_used == s.frames_total && s.frames_free == 0,
	      "%llu used, %llu free of %llu", (unsigned long long)s.frames_used,
	      (unsigned long long)s.frames_free,
	      (unsigned long long)s.frames_total);
	CHECK(fsnvm_load(e, 1, 0, got) == 0 && !memcmp(got, page, sizeof(got)),
	      "the gone writer's page lost");
	printf("writer gone: its stash went back to the pool; another writer filled all %llu other frames and its pending page reads back\n",
	       (unsigned long long)stored);
	fsnvm_engine_close(e);
	free(img);
	return 0;
}
