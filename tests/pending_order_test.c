// SPDX-License-Identifier: GPL-2.0
/*
 * A key stored again on another writer while its first store is still
 * pending, not yet in the key map (fsnvm_writer.c).  Writer 2 stores K;
 * writer 1 then stores K anew.  Writers are published in id order, so if
 * writer 1's store were left pending beside writer 2's, writer 2's older
 * page would be published last and win.  The newer store must see writer
 * 2's pending store and take the locked path, which publishes it first and
 * replaces it: K reads back as writer 1's page, now and after a reopen.
 * Writer 1 then stores J twice in a row: the second store finds the first
 * pending in its own ring and also takes the locked path (counted as a
 * duplicate store).  Before K, writer 1 stores another key, L, of another
 * pending-count bucket, while writer 2's K is pending: that store must
 * stay lockless (L pending, not yet in the key map), as stores of
 * different keys on different CPUs at the same time do not need the lock.
 * Before K, writer 2 stores and invalidates a key of K's bucket 300
 * times, so that its byte counts of that bucket have wrapped when K is
 * pending.  (Writers are threads in userspace; semaphores order their
 * steps.)
 */
#include <semaphore.h>

#include "test_util.h"

static struct fsnvm_engine *e;
static u8 old_page[FSNVM_PAGE_SIZE], new_page[FSNVM_PAGE_SIZE];
static u8 warm[FSNVM_PAGE_SIZE];
static sem_t w1_ready, w2_done;

enum { K = 7, J = 8, X = 20, WARM1 = 100, WARM2 = 101 };
static u32 L;	/* a key of another bucket than K's */

static u32 key_of_other_bucket(void)
{
	unsigned int k = fsnvm_pending_bucket(fsnvm_key(0, K));
	u32 o = 1U << FSNVM_PENDING_CLUSTER_SHIFT;

	while (fsnvm_pending_bucket(fsnvm_key(0, o)) == k)
		o += 1U << FSNVM_PENDING_CLUSTER_SHIFT;
	return o;
}

static void *writer1(void *arg)
{
	(void)arg;
	CHECK(fsnvm_store(e, 0, WARM1, warm) == 0, "writer 1 warm-up");
	sem_post(&w1_ready);
	sem_wait(&w2_done);
	CHECK(fsnvm_store(e, 0, L, new_page) == 0, "writer 1 stores L");
	CHECK(fsnvm_keymap_find(&e->map, 0, L) == FSNVM_NO_FRAME,
	      "a store of another key took the lock because writer 2 had a store pending");
	CHECK(fsnvm_store(e, 0, K, new_page) == 0, "writer 1 stores K");
	CHECK(fsnvm_store(e, 0, J, old_page) == 0 &&
	      fsnvm_store(e, 0, J, new_page) == 0, "writer 1 stores J twice");
	return NULL;
}

static void *writer2(void *arg)
{
	size_t b;

	(void)arg;
	sem_wait(&w1_ready);	/* so that writer 1 has the lower id */
	CHECK(fsnvm_store(e, 0, WARM2, warm) == 0, "writer 2 warm-up");
	CHECK(fsnvm_pending_bucket(fsnvm_key(0, X)) ==
	      fsnvm_pending_bucket(fsnvm_key(0, K)), "X shares K's bucket");
	for (int i = 0; i < 300; i++) {
		CHECK(fsnvm_store(e, 0, X, warm) == 0, "writer 2 stores X");
		fsnvm_invalidate_page(e, 0, X);
	}
	b = FSNVM_PENDING_BUCKETS + fsnvm_pending_bucket(fsnvm_key(0, K));
	CHECK(e->pend_stored[b] == e->pend_published[b] &&
	      (u8)(e->pend_stored[b] - 300) <= 1,
	      "writer 2's counts of K's bucket: %u stored, %u published (want 300 or 301, wrapped, both)",
	      e->pend_stored[b], e->pend_published[b]);
	CHECK(fsnvm_store(e, 0, K, old_page) == 0, "writer 2 stores K");
	sem_post(&w2_done);
	return NULL;
}

static void check_newer(unsigned int key, const char *when)
{
	static u8 got[FSNVM_PAGE_SIZE];

	CHECK(fsnvm_load(e, 0, key, got) == 0, "key %u lost %s", key, when);
	CHECK(memcmp(got, old_page, sizeof(got)),
	      "key %u reads back as the older store's page %s", key, when);
	CHECK(!memcmp(got, new_page, sizeof(got)), "key %u corrupt %s", key,
	      when);
}

int main(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_stats s;
	pthread_t t1, t2;

	fill_page(old_page, K, 1);
	fill_page(new_page, K, 2);
	fill_page(warm, WARM1, 1);
	old_page[0] |= 1;	/* data pages, not same-filled */
	new_page[0] |= 1;
	warm[0] |= 1;
	L = key_of_other_bucket();
	sem_init(&w1_ready, 0, 0);
	sem_init(&w2_done, 0, 0);
	e = attach(img, bytes);
	CHECK(!pthread_create(&t1, NULL, writer1, NULL) &&
	      !pthread_create(&t2, NULL, writer2, NULL) &&
	      !pthread_join(t1, NULL) && !pthread_join(t2, NULL), "threads");
	check_newer(K, "while running");
	check_newer(J, "while running");
	check_newer(L, "while running");
	fsnvm_get_stats(e, &s);
	CHECK(s.duplicate_stores == 2 && s.frames_used == 5,
	      "%llu duplicate stores, %llu pages (want 2 and 5)",
	      (unsigned long long)s.duplicate_stores,
	      (unsigned long long)s.frames_used);
	fsnvm_engine_close(e);

	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0, "reopen");
	CHECK(rep.valid == 5 && !rep.duplicates,
	      "%llu keys, %llu duplicates on the media (want 5 and 0)",
	      (unsigned long long)rep.valid,
	      (unsigned long long)rep.duplicates);
	check_newer(K, "after a reopen");
	check_newer(J, "after a reopen");
	check_newer(L, "after a reopen");
	fsnvm_engine_close(e);
	free(img);
	printf("pending order: keys stored again while pending, on another writer or the same one, read back as the newer page, also after a reopen; other keys stay lockless\n");
	return 0;
}
