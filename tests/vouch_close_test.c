// SPDX-License-Identifier: GPL-2.0
/*
 * A clean close must leave every stored page trusted (fsnvm_format.h), even
 * when a writer's newest vouch was lost while the engine ran: writer 1
 * stores A then B (B's entry vouches for A) and drops B; writer 2 then
 * stores a same-filled page, which takes the most-worn free frame, B's old
 * one, and overwrites the vouch its cleared entry kept.  After the close
 * and a read-only reopen, A must be there, with no entry left uncommitted.
 * (Writers are threads in userspace: two threads, one after the other.)
 */
#include "test_util.h"

static struct fsnvm_engine *e;
static u8 a[FSNVM_PAGE_SIZE], b[FSNVM_PAGE_SIZE], z[FSNVM_PAGE_SIZE];
static u32 b_frame;

static void *writer1(void *arg)
{
	(void)arg;
	CHECK(fsnvm_store(e, 0, 1, a) == 0 && fsnvm_store(e, 0, 2, b) == 0,
	      "writer 1 stores");
	fsnvm_publish_stores(e);	/* into the map, where we look */
	b_frame = fsnvm_keymap_find(&e->map, 0, 2);
	fsnvm_invalidate_page(e, 0, 2);
	return NULL;
}

static void *writer2(void *arg)
{
	(void)arg;
	CHECK(fsnvm_store(e, 0, 3, z) == 0, "writer 2 store");
	return NULL;
}

static void run(void *(*fn)(void *))
{
	pthread_t t;

	CHECK(!pthread_create(&t, NULL, fn, NULL) && !pthread_join(t, NULL),
	      "thread");
}

int main(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	static u8 got[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;

	fill_page(a, 1, 1);
	fill_page(b, 2, 1);
	a[0] |= 1;	/* data pages, not same-filled */
	b[0] |= 1;
	e = attach(img, bytes);
	run(writer1);
	run(writer2);
	CHECK(fsnvm_keymap_find(&e->map, 0, 3) == b_frame,
	      "the same-filled page did not land on B's old frame");
	fsnvm_engine_close(e);

	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0, "reopen");
	CHECK(!rep.uncommitted, "%llu keys left uncommitted by a clean close",
	      (unsigned long long)rep.uncommitted);
	CHECK(fsnvm_load(e, 0, 1, got) == 0 && !memcmp(got, a, sizeof(got)),
	      "A lost");
	fsnvm_engine_close(e);
	free(img);
	printf("vouch at close: writer 1's vouch was overwritten by writer 2, and the close still left every page trusted\n");
	return 0;
}
