// SPDX-License-Identifier: GPL-2.0
/*
 * Model-based random test of the engine: millions of mixed operations
 * (store, duplicate store, load, invalidate_page, invalidate_area, balancer
 * steps) on a small device that fills up often, each checked against a
 * reference map right after it runs; every few thousand operations every
 * key is loaded and compared, and the frame accounting is checked.  At the
 * end the index is recovered from the media and must equal the model.
 *
 * usage: engine_model_test [OPS] [SEED]
 */
#include "test_util.h"

#define TYPES 3
#define OFFSETS 700		/* 2100 keys on a device of ~500 frames */
#define NKEYS (TYPES * OFFSETS)

static u64 version[NKEYS];	/* 0: absent */
static u64 model_keys;
static u8 page[FSNVM_PAGE_SIZE], want[FSNVM_PAGE_SIZE];

static void check_key(struct fsnvm_engine *e, unsigned int k)
{
	int ret = fsnvm_load(e, k / OFFSETS, k % OFFSETS, page);

	if (!version[k]) {
		CHECK(ret == -ENOENT, "key %u should be absent, load=%d", k, ret);
		return;
	}
	CHECK(ret == 0, "key %u v%llu load=%d", k,
	      (unsigned long long)version[k], ret);
	fill_page(want, k, version[k]);
	CHECK(!memcmp(page, want, sizeof(page)), "key %u v%llu: wrong data", k,
	      (unsigned long long)version[k]);
}

static void check_accounting(struct fsnvm_engine *e)
{
	struct fsnvm_stats s;

	fsnvm_get_stats(e, &s);
	CHECK(s.frames_used == model_keys, "used %llu model %llu",
	      (unsigned long long)s.frames_used, (unsigned long long)model_keys);
	CHECK(s.frames_used + s.frames_free + s.frames_bad == s.frames_total,
	      "frames leak: used %llu free %llu bad %llu total %llu",
	      (unsigned long long)s.frames_used, (unsigned long long)s.frames_free,
	      (unsigned long long)s.frames_bad, (unsigned long long)s.frames_total);
}

int main(int argc, char **argv)
{
	u64 ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	u64 seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 42;
	const u64 bytes = 2 * 1024 * 1024;
	struct fsnvm_balance_params bp = {
		.threshold = 4, .first_move = 4, .budget = 4, .scan = 64,
	};
	u64 counts[7] = { 0 }, refused = 0, i;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	enum fsnvm_media_status st;
	void *img = make_image(bytes, FSNVM_COMPAT_DATA_CRC);

	e = attach(img, bytes);
	fsnvm_get_stats(e, &s);
	const u64 nr_frames = s.frames_total;

	for (i = 0; i < ops; i++) {
		u64 r = splitmix64(&seed);
		unsigned int k = (r >> 8) % NKEYS, op = r % 100;
		unsigned int type = k / OFFSETS, off = k % OFFSETS;

		if (op < 45) {			/* store or duplicate store */
			bool full = model_keys == nr_frames;
			int ret;

			counts[version[k] ? 1 : 0]++;
			fill_page(page, k, version[k] + 1000 + i);
			ret = fsnvm_store(e, type, off, page);
			if (full) {
				CHECK(ret == -ENOSPC, "full device accepted key %u", k);
				if (version[k])
					model_keys--;
				version[k] = 0;	/* the old copy must be gone */
				refused++;
			} else {
				CHECK(ret == 0, "store key %u: %d", k, ret);
				if (!version[k])
					model_keys++;
				version[k] = version[k] + 1000 + i;
			}
			check_key(e, k);
		} else if (op < 75) {		/* load */
			counts[2]++;
			check_key(e, k);
		} else if (op < 95) {		/* invalidate_page */
			counts[3]++;
			fsnvm_invalidate_page(e, type, off);
			if (version[k])
				model_keys--;
			version[k] = 0;
			check_key(e, k);
		} else if (op < 99) {		/* balancer step */
			counts[4]++;
			fsnvm_balance_step(e, &bp);
			check_key(e, k);
		} else if ((r >> 40) % 200 == 0) {	/* invalidate_area */
			u64 dropped = fsnvm_invalidate_area(e, type), want_n = 0;

			counts[5]++;
			for (unsigned int o = 0; o < OFFSETS; o++) {
				if (version[type * OFFSETS + o])
					want_n++;
				version[type * OFFSETS + o] = 0;
			}
			model_keys -= want_n;
			CHECK(dropped == want_n, "area %u dropped %llu want %llu", type,
			      (unsigned long long)dropped, (unsigned long long)want_n);
		}
		check_accounting(e);
		if (i % 4096 == 0)
			for (unsigned int j = 0; j < NKEYS; j++)
				check_key(e, j);
	}
	for (unsigned int j = 0; j < NKEYS; j++)
		check_key(e, j);
	fsnvm_get_stats(e, &s);
	fsnvm_engine_close(e);

	/* The media alone must give back exactly the model. */
	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e, "reopen: %s", fsnvm_media_str(st));
	CHECK(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0, "inspect");
	CHECK(rep.valid == model_keys && rep.duplicates == 0 && rep.torn == 0,
	      "recovered %llu keys (%llu dup, %llu torn), model %llu",
	      (unsigned long long)rep.valid, (unsigned long long)rep.duplicates,
	      (unsigned long long)rep.torn, (unsigned long long)model_keys);
	for (unsigned int j = 0; j < NKEYS; j++)
		check_key(e, j);
	/* Inspect mode never writes: not a store, not an invalidation. */
	{
		void *before = malloc(bytes);

		CHECK(before, "oom");
		memcpy(before, img, bytes);
		CHECK(fsnvm_store(e, 0, 0, page) == -EROFS, "inspect mode accepted a store");
		for (unsigned int j = 0; j < NKEYS; j++)
			fsnvm_invalidate_page(e, j / OFFSETS, j % OFFSETS);
		fsnvm_invalidate_area(e, 1);
		CHECK(fsnvm_balance_step(e, &bp) == 0, "inspect mode balanced");
		CHECK(!memcmp(before, img, bytes), "inspect mode wrote to the media");
		for (unsigned int j = 0; j < NKEYS; j++)
			check_key(e, j);
		free(before);
	}
	fsnvm_engine_close(e);

	printf("model: %llu ops (%llu stores, %llu rewrites, %llu loads, %llu invalidates, %llu balancer steps, %llu areas), %llu refused full, %llu migrations, wear max %llu, 0 mismatches\n",
	       (unsigned long long)ops, (unsigned long long)counts[0],
	       (unsigned long long)counts[1], (unsigned long long)counts[2],
	       (unsigned long long)counts[3], (unsigned long long)counts[4],
	       (unsigned long long)counts[5], (unsigned long long)refused,
	       (unsigned long long)s.migrations, (unsigned long long)s.wear_max);
	free(img);
	return 0;
}
