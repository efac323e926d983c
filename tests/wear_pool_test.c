// SPDX-License-Identifier: GPL-2.0
/*
 * The wear-ordered free pool on its own: a regression for a window that
 * jumps over a stale overflow minimum, and a random test with wear spread
 * far wider than the bucket ring (so the low and overflow lists are used)
 * checked against a plain array: every frame put comes out exactly once,
 * with its exact wear; "least" is the least worn of all free frames and
 * "most up to a limit" the most worn at or under it, wherever they sit.
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

/*
 * The balancer's destination with frames below the window: the most worn
 * frame at or under the limit, never the unordered low list's head (which
 * was the least worn of them, or above the limit).
 */
static void regression_most_upto_below_window(void)
{
	struct fsnvm_wear_pool pool;
	u64 w;

	CHECK(fsnvm_wear_pool_init(&pool, 4, wear_of, NULL) == 0, "init");
	wear[0] = 100;
	wear[1] = 10;
	wear[2] = 1;
	wear[3] = 30;
	fsnvm_wear_pool_put(&pool, 0, wear[0]);	/* window at 100 */
	fsnvm_wear_pool_put(&pool, 1, wear[1]);	/* low */
	fsnvm_wear_pool_put(&pool, 3, wear[3]);	/* low */
	fsnvm_wear_pool_put(&pool, 2, wear[2]);	/* low, its head */
	CHECK(fsnvm_wear_pool_most_upto(&pool, 50) == 30, "peek 50: %llu",
	      (unsigned long long)fsnvm_wear_pool_most_upto(&pool, 50));
	CHECK(fsnvm_wear_pool_most_upto(&pool, 5) == 1, "peek 5");
	CHECK(fsnvm_wear_pool_most_upto(&pool, 0) == 0, "peek 0: none");
	CHECK(fsnvm_wear_pool_get_most_upto(&pool, 0, &w) == FSNVM_NO_FRAME,
	      "take 0: none");
	CHECK(fsnvm_wear_pool_get_most_upto(&pool, 20, &w) == 1 && w == 10,
	      "take 20");
	CHECK(fsnvm_wear_pool_get_most_upto(&pool, 20, &w) == 2 && w == 1,
	      "take 20 again");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 3 && w == 30, "least");
	wear[1] = 0;			/* released far below: spread > ring */
	wear[2] = 700;
	fsnvm_wear_pool_put(&pool, 2, wear[2]);	/* in the window at 100 */
	fsnvm_wear_pool_put(&pool, 1, wear[1]);	/* low */
	CHECK(fsnvm_wear_pool_get_most_upto(&pool, 600, &w) == 0 && w == 100,
	      "700 fell off the window's top: %llu", (unsigned long long)w);
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 1 && w == 0, "least 0");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == 2 && w == 700,
	      "least 700");
	CHECK(fsnvm_wear_pool_get_least(&pool, &w) == FSNVM_NO_FRAME, "empty");
	fsnvm_wear_pool_destroy(&pool);
}

int main(int argc, char **argv)
{
	u64 ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000000, rng = 5;
	struct fsnvm_wear_pool pool;
	u64 nr = 0, w;

	regression_stale_overflow_min();
	regression_window_at_top();
	regression_most_upto_below_window();
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
		/* least, most, or most at or under a limit near the level */
		unsigned int kind = (r >> 40) % 4;
		u64 limit = i / 64 + 2000 + (r >> 44) % 16 - 8;
		u64 peek = fsnvm_wear_pool_most_upto(&pool, limit), best = 0;
		bool any = false;
		u32 got;

		/* overflow frames (past the window) are not candidates */
		for (u32 g = 0; g < N; g++)
			if (in_pool[g] && wear[g] <= limit &&
			    wear[g] - pool.base < FSNVM_WEAR_BUCKETS &&
			    (!any || wear[g] > best)) {
				best = wear[g];
				any = true;
			}
		CHECK(peek == (any ? best : 0), "most_upto %llu: %llu, want %llu",
		      (unsigned long long)limit, (unsigned long long)peek,
		      (unsigned long long)best);
		got = kind == 0 ? fsnvm_wear_pool_get_most(&pool, &w) :
		      kind == 1 ? fsnvm_wear_pool_get_most_upto(&pool, limit, &w) :
				  fsnvm_wear_pool_get_least(&pool, &w);
		if (kind == 1 && !any) {
			CHECK(got == FSNVM_NO_FRAME, "most_upto gave %u", got);
			continue;
		}
		if (!nr) {
			CHECK(got == FSNVM_NO_FRAME, "empty pool gave frame %u", got);
			continue;
		}
		CHECK(got < N && in_pool[got], "frame %u not in the pool", got);
		CHECK(w == wear[got], "frame %u: wear %llu, pool said %llu", got,
		      (unsigned long long)wear[got], (unsigned long long)w);
		CHECK(kind != 1 || w == best, "most_upto took %llu, want %llu",
		      (unsigned long long)w, (unsigned long long)best);
		in_pool[got] = false;
		nr--;
		CHECK(pool.nr_free == nr, "count %llu vs %llu",
		      (unsigned long long)pool.nr_free, (unsigned long long)nr);
		for (u32 g = 0; kind == 2 && g < N; g++)
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
