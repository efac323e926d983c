// SPDX-License-Identifier: GPL-2.0
/*
 * The wear-ordered free pool on its own: a regression for a window that
 * jumps over a stale overflow minimum, and a random test with wear spread
 * far wider than the bucket ring (so the low and overflow lists are used)
 * checked against a plain array: every frame put comes out exactly once,
 * with its exact wear, and "least" never returns a frame more worn than a
 * frame inside the ring window or overflow.
 */
#include <unistd.h>

#include "test_util.h"

#define N 4096

static u64 wear[N];
static bool in_pool[N];

static u64 wear_of(void *ctx, u32 frame)
{
	(void)ctx;
	return wear[frame];
}

static void regression_stale_overflow_min(void)
{
	struct fsnvm_wear_pool pool;
	u64 w;

	CHECK(fsnvm_wear_pool_init(&pool, 3, wear_of, NULL) == 0, "init");
	wear[0] = 0, wear[1] = 5000, wear[2] = 600;
	fsnvm_wear_pool_put(&pool, 0, 0);	/* window at 0 */
	fsnvm_wear_pool_put(&pool, 1, 5000);	/* overflow */
	fsnvm_wear_pool_put(&pool, 2, 600);	/* overflow, on top, its min */
	CHECK(fsnvm_wear_pool_get_most(&pool, &w) == 2 && w == 600, "most");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 0 && w == 0, "least 0");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 1 && w == 5000,
	      "least after a stale overflow minimum");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == FSNVM_NO_FRAME, "empty");
	fsnvm_wear_pool_destroy(&pool);
}

/*
 * Wears near 2^64 (the pool must not rely on the engine's bounds): a
 * window based there must not overflow, or "least" never brings the
 * overflow list into it and spins.  The alarm turns a hang into a failure.
 */
static void regression_window_at_top(void)
{
	struct fsnvm_wear_pool pool;
	u64 w;

	alarm(10);
	CHECK(fsnvm_wear_pool_init(&pool, 4, wear_of, NULL) == 0, "init");
	wear[0] = 3, wear[1] = ~0ULL, wear[2] = ~0ULL - 1, wear[3] = ~0ULL - 600;
	fsnvm_wear_pool_put(&pool, 0, wear[0]);
	fsnvm_wear_pool_put(&pool, 1, wear[1]);
	fsnvm_wear_pool_put(&pool, 2, wear[2]);
	fsnvm_wear_pool_put(&pool, 3, wear[3]);
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 0 && w == 3, "least 3");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 3 && w == wear[3],
	      "least 2^64-601");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 2 && w == wear[2],
	      "least 2^64-2");
	fsnvm_wear_pool_put(&pool, 0, wear[0]);	/* below the window now */
	CHECK(fsnvm_wear_pool_get_most(&pool, &w) == 1 && w == wear[1],
	      "most 2^64-1");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 0 && w == 3, "least 3");
	fsnvm_wear_pool_put(&pool, 1, wear[1]);	/* an empty pool: base there */
	fsnvm_wear_pool_put(&pool, 2, wear[2]);
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 2 && w == wear[2],
	      "least 2^64-2, window at the top");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 1 && w == wear[1],
	      "least 2^64-1, window at the top");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == FSNVM_NO_FRAME, "empty");
	fsnvm_wear_pool_destroy(&pool);
	alarm(0);
}

int main(int argc, char **argv)
{
	u64 ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000000, rng = 5;
	struct fsnvm_wear_pool pool;
	u64 nr = 0, w;

	regression_stale_overflow_min();
	regression_window_at_top();
	CHECK(fsnvm_wear_pool_init(&pool, N, wear_of, NULL) == 0, "init");
	for (u64 i = 0; i < ops; i++) {
		u64 r = splitmix64(&rng);
		u32 f = (r >> 8) % N;

		if (r % 3 == 0 && !in_pool[f]) {
			/* mostly near the level, sometimes far below or above */
			u64 level = i / 64 + 2000;

			wear[f] = r % 50 == 0 ? (r >> 20) % 4000 :
				  r % 50 == 1 ? level + 600 + (r >> 20) % 3000 :
				  level + (r >> 20) % 8;
			fsnvm_wear_pool_put(&pool, f, wear[f]);
			in_pool[f] = true;
			nr++;
			continue;
		}
		bool least = r % 3 == 1;
		u32 got = least ? fsnvm_wear_pool_get_least(&pool, &w) :
				  fsnvm_wear_pool_get_most(&pool, &w);

		if (!nr) {
			CHECK(got == FSNVM_NO_FRAME, "empty pool gave frame %u", got);
			continue;
		}
		CHECK(got < N && in_pool[got], "frame %u not in the pool", got);
		CHECK(w == wear[got], "frame %u: wear %llu, pool said %llu", got,
		      (unsigned long long)wear[got], (unsigned long long)w);
		in_pool[got] = false;
		nr--;
		CHECK(pool.nr_free == nr, "count %llu vs %llu",
		      (unsigned long long)pool.nr_free, (unsigned long long)nr);
		if (least && w >= pool.base)	/* from the window: truly least */
			for (u32 g = 0; g < N; g++)
				CHECK(!in_pool[g] || wear[g] >= w,
				      "least gave %llu, frame %u has %llu",
				      (unsigned long long)w, g,
				      (unsigned long long)wear[g]);
	}
	fsnvm_wear_pool_destroy(&pool);
	printf("wear pool: %llu ops, spread beyond the ring, 0 errors\n",
	       (unsigned long long)ops);
	return 0;
}
