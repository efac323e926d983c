// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency test, built with ThreadSanitizer: worker threads store, load
 * (verifying every byte), rewrite and invalidate their own keys while a
 * balancer thread migrates pages under them with the most aggressive
 * threshold and another thread fills and drops a whole swap type.  One
 * operation in five goes to a key all workers share, each under a mutex
 * of its own, as the kernel hands a swap slot from CPU to CPU: a store of
 * it may find another writer's store of it still pending.  TSan reports
 * any data race; the workers report any wrong data.
 *
 * usage: engine_threads_test [OPS_PER_THREAD]
 */
#include "test_util.h"

#define WORKERS 3
#define KEYS_PER_WORKER 150
#define AREA_TYPE 7
#define SHARED_TYPE 5
#define SHARED_KEYS 64
#define SHARED_STRIDE 97	/* offsets over several clusters, some shared */

static struct fsnvm_engine *engine;
static int stop_balancer;

static struct {
	pthread_mutex_t lock;
	u64 version;	/* of the page stored, 0 for none */
} shared[SHARED_KEYS];

/* One operation on a shared key, under its mutex. */
static void shared_op(unsigned int k, unsigned int op, u64 v, u8 *page, u8 *want)
{
	u32 offset = k * SHARED_STRIDE;
	u64 key = 100000 + k;
	int ret;

	pthread_mutex_lock(&shared[k].lock);
	if (op < 4) {
		fill_page(page, key, v);
		ret = fsnvm_store(engine, SHARED_TYPE, offset, page);
		shared[k].version = ret ? 0 : v;
	} else if (op < 8) {
		ret = fsnvm_load(engine, SHARED_TYPE, offset, page);
		if (!shared[k].version) {
			CHECK(ret == -ENOENT, "shared key %u present", k);
		} else {
			CHECK(ret == 0, "shared key %u load %d", k, ret);
			fill_page(want, key, shared[k].version);
			CHECK(!memcmp(page, want, FSNVM_PAGE_SIZE),
			      "shared key %u: not the page stored last", k);
		}
	} else {
		fsnvm_invalidate_page(engine, SHARED_TYPE, offset);
		shared[k].version = 0;
	}
	pthread_mutex_unlock(&shared[k].lock);
}

struct worker {
	pthread_t thread;
	unsigned int id;
	u64 ops;
	u64 version[KEYS_PER_WORKER];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	u8 *page = malloc(FSNVM_PAGE_SIZE), *want = malloc(FSNVM_PAGE_SIZE);
	u64 rng = w->id + 1;

	CHECK(page && want, "oom");
	for (u64 i = 0; i < w->ops; i++) {
		u64 r = splitmix64(&rng);
		unsigned int k = (r >> 8) % KEYS_PER_WORKER, op = r % 10;
		u64 key = w->id * 1000 + k;

		if ((r >> 40) % 5 == 0) {
			shared_op((r >> 20) % SHARED_KEYS, op,
				  (u64)(w->id + 1) << 40 | (i + 1), page, want);
			continue;
		}
		if (op < 4) {
			u64 v = i + 1;

			fill_page(page, key, v);
			if (fsnvm_store(engine, w->id, k, page) == 0)
				w->version[k] = v;
			else
				w->version[k] = 0;
		} else if (op < 8) {
			int ret = fsnvm_load(engine, w->id, k, page);

			if (!w->version[k]) {
				CHECK(ret == -ENOENT, "worker %u key %u present", w->id, k);
				continue;
			}
			CHECK(ret == 0, "worker %u key %u load %d", w->id, k, ret);
			fill_page(want, key, w->version[k]);
			CHECK(!memcmp(page, want, FSNVM_PAGE_SIZE),
			      "worker %u key %u wrong data", w->id, k);
		} else {
			fsnvm_invalidate_page(engine, w->id, k);
			w->version[k] = 0;
		}
	}
	free(page);
	free(want);
	return NULL;
}

static void *balancer_main(void *arg)
{
	struct fsnvm_balance_params bp = { .threshold = 0, .budget = 8, .scan = 128 };
	u64 *moves = arg;

	while (!__atomic_load_n(&stop_balancer, __ATOMIC_RELAXED))
		*moves += fsnvm_balance_step(engine, &bp);
	return NULL;
}

static void *area_main(void *arg)
{
	u8 *page = malloc(FSNVM_PAGE_SIZE);
	u64 rounds = *(u64 *)arg;

	CHECK(page, "oom");
	for (u64 r = 0; r < rounds; r++) {
		for (unsigned int o = 0; o < 20; o++) {
			fill_page(page, r, o);
			fsnvm_store(engine, AREA_TYPE, o, page);
		}
		fsnvm_invalidate_area(engine, AREA_TYPE);
		CHECK(fsnvm_load(engine, AREA_TYPE, 0, page) == -ENOENT,
		      "page survived invalidate_area");
	}
	free(page);
	return NULL;
}

int main(int argc, char **argv)
{
	u64 ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000;
	const u64 bytes = 4 * 1024 * 1024;
	void *img = make_image(bytes, FSNVM_COMPAT_DATA_CRC);
	struct worker workers[WORKERS];
	pthread_t balancer, area;
	u64 moves = 0, rounds = ops / 100;
	struct fsnvm_stats s;

	engine = attach(img, bytes);
	for (unsigned int k = 0; k < SHARED_KEYS; k++)
		pthread_mutex_init(&shared[k].lock, NULL);
	pthread_create(&balancer, NULL, balancer_main, &moves);
	pthread_create(&area, NULL, area_main, &rounds);
	for (unsigned int i = 0; i < WORKERS; i++) {
		memset(&workers[i], 0, sizeof(workers[i]));
		workers[i].id = i;
		workers[i].ops = ops;
		pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
	}
	for (unsigned int i = 0; i < WORKERS; i++)
		pthread_join(workers[i].thread, NULL);
	pthread_join(area, NULL);
	__atomic_store_n(&stop_balancer, 1, __ATOMIC_RELAXED);
	pthread_join(balancer, NULL);
	fsnvm_get_stats(engine, &s);
	CHECK(s.frames_used + s.frames_free + s.frames_bad == s.frames_total,
	      "frames leaked");
	CHECK(moves > 0, "the balancer never moved a page");
	printf("threads: %d workers x %llu ops, %llu migrations, %llu loads, 0 errors\n",
	       WORKERS, (unsigned long long)ops, (unsigned long long)moves,
	       (unsigned long long)s.loads);
	fsnvm_engine_close(engine);
	free(img);
	return 0;
}
