// SPDX-License-Identifier: GPL-2.0
/*
 * The swap device's promise: a block device cannot refuse a write, so it
 * offers fsnvm_engine_capacity() blocks, and with every one of them
 * written, writers rewriting at once (each through its stash) and the
 * balancer moving pages never find the pool empty.  And what happens
 * when memory errors retire frames until the reserve is gone: a rewrite
 * fails with -ENOSPC, counted, and the block then holds nothing, never
 * its stale page.
 *
 * usage: reserve_test [ROUNDS]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define BYTES (8ULL << 20)
#define WRITERS 4

static struct fsnvm_engine *e;
static u64 cap, rounds = 20000;
static u32 *version;		/* per block: the last version written */
static volatile int balancing = 1;

struct writer {
	pthread_t thread;
	unsigned int index;
	u64 stores, failed;
};

/* Writer i rewrites the blocks b with b % WRITERS == i: one owner each. */
static void *writer_main(void *p)
{
	struct writer *w = p;
	u8 *page = aligned_alloc(4096, FSNVM_PAGE_SIZE);
	u64 seed = w->index + 1, r, b;

	CHECK(page, "out of memory");
	for (r = 0; r < rounds; r++) {
		b = splitmix64(&seed) % (cap / WRITERS) * WRITERS + w->index;
		fill_page(page, b, ++version[b]);
		if (fsnvm_store(e, 0, b, page))
			w->failed++;
		w->stores++;
	}
	free(page);
	return NULL;
}

static void *balancer_main(void *p)
{
	struct fsnvm_balance_params bp = {
		.threshold = 1, .first_move = 1, .budget = 64, .scan = 512,
	};
	u64 *moved = p;

	while (balancing)
		*moved += fsnvm_balance_step(e, &bp);
	return NULL;
}

static void check_all(void)
{
	u8 *page = aligned_alloc(4096, FSNVM_PAGE_SIZE);
	u8 *got = aligned_alloc(4096, FSNVM_PAGE_SIZE);
	u64 b;

	CHECK(page && got, "out of memory");
	for (b = 0; b < cap; b++) {
		fill_page(page, b, version[b]);
		CHECK(fsnvm_load(e, 0, b, got) == 0, "block %llu not loaded",
		      (unsigned long long)b);
		CHECK(!memcmp(page, got, FSNVM_PAGE_SIZE),
		      "block %llu: not version %u", (unsigned long long)b,
		      version[b]);
	}
	free(page);
	free(got);
}

int main(int argc, char **argv)
{
	struct writer w[WRITERS];
	struct fsnvm_recovery rep;
	struct fsnvm_stats s;
	pthread_t balancer;
	u64 b, f, moved = 0, stores = 0, retired = 0, tries;
	void *img = make_image(BYTES, 0);
	u8 *page = aligned_alloc(4096, FSNVM_PAGE_SIZE);
	unsigned int i;
	int ret = 0;

	if (argc > 1)
		rounds = strtoull(argv[1], NULL, 0);
	fsnvm_test_nr_writers = WRITERS;
	e = open_recovered(img, BYTES, FSNVM_RECOVER_KEEP, &rep);
	cap = fsnvm_engine_capacity(e) / WRITERS * WRITERS;
	version = calloc(cap, sizeof(*version));
	CHECK(version && page, "out of memory");

	/* Every block written: the device as full as it gets. */
	for (b = 0; b < cap; b++) {
		fill_page(page, b, ++version[b]);
		CHECK(fsnvm_store(e, 0, b, page) == 0, "first write of %llu",
		      (unsigned long long)b);
	}
	CHECK(pthread_create(&balancer, NULL, balancer_main, &moved) == 0, "thread");
	for (i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ .index = i };
		CHECK(pthread_create(&w[i].thread, NULL, writer_main, &w[i]) == 0,
		      "thread");
	}
	for (i = 0; i < WRITERS; i++) {
		pthread_join(w[i].thread, NULL);
		CHECK(w[i].failed == 0, "writer %u: %llu of %llu rewrites refused on a full device",
		      i, (unsigned long long)w[i].failed,
		      (unsigned long long)w[i].stores);
		stores += w[i].stores;
	}
	balancing = 0;
	pthread_join(balancer, NULL);
	check_all();
	fsnvm_get_stats(e, &s);
	CHECK(s.refused_full == 0, "%llu refused", (unsigned long long)s.refused_full);

	/*
	 * Memory errors take every free frame, and each frame a rewrite lets
	 * go of, until the stashes are spent too: the reserve is gone.
	 */
	for (tries = 0; tries < 64 * WRITERS && !ret; tries++) {
		fsnvm_publish_stores(e);
		for (f = 0; f < e->geo.nr_frames; f++)
			if (fsnvm_fstate(e, f) == FSNVM_FS_FREE)
				retired += fsnvm_media_failure(e, e->geo.data_offset +
							       f * e->geo.page_size, 8);
		b = tries % cap;
		fill_page(page, b, version[b] + 1);
		ret = fsnvm_store(e, 0, b, page);
		if (!ret)
			version[b]++;
	}
	CHECK(ret == -ENOSPC, "with every free frame retired: store returned %d after %llu tries",
	      ret, (unsigned long long)tries);
	CHECK(fsnvm_load(e, 0, b, page) == -ENOENT,
	      "block %llu after its refused rewrite: stale data served",
	      (unsigned long long)b);
	fsnvm_get_stats(e, &s);
	CHECK(s.refused_full >= 1, "refusal not counted");
	printf("reserve: %llu blocks on %llu frames, %d writers: %llu rewrites and %llu migrations on the full device, 0 refused; %llu frames retired: -ENOSPC after %llu rewrites, nothing stale\n",
	       (unsigned long long)cap, (unsigned long long)e->geo.nr_frames,
	       WRITERS, (unsigned long long)stores, (unsigned long long)moved,
	       (unsigned long long)retired, (unsigned long long)tries);
	fsnvm_engine_close(e);
	free(version);
	free(page);
	free(img);
	return 0;
}
