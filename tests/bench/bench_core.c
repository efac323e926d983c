// SPDX-License-Identifier: GPL-2.0
/*
 * bench_core: the shared engine measured against its raw limits, in one
 * run on one mapping (`make bench-core`).  Not a test: it prints numbers.
 *
 * 1. Latency, median ns per operation over interleaved batches:
 *      store      vs pmem_memcpy_persist() of 4 KiB to the same frames
 *      load       vs memcpy() of 4 KiB from the same frames, same order
 *      invalidate (no raw equivalent)
 *    once with data crc off (the default) and once with it on.  Beside the
 *    raw limits, two floors in the same run show what any engine of this
 *    shape pays on this machine:
 *      store floor  the page and its 64-byte index entry under one fence,
 *                   with nothing else: the least any store that keeps the
 *                   on-media index (fsnvm_format.h) writes
 *      load floor   memcpy() from the frame found through a plain array
 *                   indexed by key (u32 per key): the cheapest lookup
 * 2. Wear (DESIGN.md section 5): 65,536 frames; 30% cold keys written once;
 *    Zipf(0.99) rewrites over a key space of 50% of the frames, every 16th
 *    draw an invalidation; 200 x frames stores; the balancer step called as
 *    the kernel thread would.  Normalized endurance = mean / max wear over
 *    all frames; extra writes = migrations / user stores.  The baseline
 *    writes each key in place to one fixed frame (swap on a pmem block
 *    device), counted on the same trace.
 *
 * usage: bench_core [--json FILE] [--quick] [--image PATH] [--threshold T]
 *                   [--first-move F] [--budget B]
 * BENCH_HIST=1 in the environment prints the final wear histogram by kind
 * of frame (hot, cold, free) on stderr; BENCH_WEAR_ONLY=1 skips the
 * latencies (and the JSON), for tuning the balancer.
 */
#include <libpmem.h>
#include <math.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

#define FRAMES 65536ULL
#define BATCH 32
#define PAGES 64		/* distinct source pages, cycled */

static u8 *pages;		/* PAGES x 4 KiB of random, not same-filled */

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *page_src(u64 i)
{
	return pages + (i % PAGES) * FSNVM_PAGE_SIZE;
}

struct latency {
	double store, store_raw, load, load_raw, invalidate;
	double store_floor, load_floor;
};

static void format_engine(void *img, u64 bytes, u64 compat)
{
	struct fsnvm_geometry geo;
	u8 uuid[16] = { 0 };

	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK, "geo");
	geo.compat = compat;
	fsnvm_format(img, &geo, uuid, 0, NULL, NULL);
}

/*
 * Batches of BATCH operations alternate between the engine, the raw copy
 * and the floors, in a rotating order, so that drift (frequency, the other
 * core) and the order itself hit all alike.  Keys cycle through half the
 * device; a store batch is undone by an (also timed) invalidate batch so
 * the device never fills.
 */
static void measure_latency(void *img, u64 bytes, u64 compat, unsigned int rounds,
			    struct latency *out)
{
	double *st = calloc(rounds, sizeof(double)), *sr = calloc(rounds, sizeof(double));
	double *ld = calloc(rounds, sizeof(double)), *lr = calloc(rounds, sizeof(double));
	double *iv = calloc(rounds, sizeof(double));
	double *sf = calloc(rounds, sizeof(double)), *lf = calloc(rounds, sizeof(double));
	u8 *dst = aligned_alloc(4096, FSNVM_PAGE_SIZE);
	u8 entry[FSNVM_ENTRY_BYTES] __attribute__((aligned(64))) = { 1 };
	u64 freed[BATCH];
	struct fsnvm_engine *e;
	const u64 live = FRAMES / 2;
	u64 rng = 99;
	u32 *index;

	format_engine(img, bytes, compat);
	e = attach(img, bytes);
	index = calloc(live, sizeof(*index));
	CHECK(index && st && sr && ld && lr && iv && sf && lf && dst, "oom");
	/* Fill half the device so loads read from everywhere. */
	for (u64 k = 0; k < live; k++)
		CHECK(fsnvm_store(e, 0, k, page_src(k)) == 0, "fill");
	fsnvm_publish_stores(e);	/* into the key map, where we look */
	for (u64 k = 0; k < live; k++)
		index[k] = fsnvm_keymap_find(&e->map, 0, (u32)k);
	/* Frames the engine's last store batch used and freed again. */
	for (int i = 0; i < BATCH; i++)
		CHECK(fsnvm_store(e, 1, i, page_src(i)) == 0, "store");
	fsnvm_publish_stores(e);
	for (int i = 0; i < BATCH; i++) {
		freed[i] = fsnvm_keymap_find(&e->map, 1, i);
		fsnvm_invalidate_page(e, 1, i);
	}
	for (unsigned int r = 0; r < rounds; r++) {
		u64 keys[BATCH], frames[BATCH], t;

		/*
		 * Loads: engine, raw memcpy of other frames, memcpy through the
		 * index; which goes first rotates, as the first batch after
		 * the stores pays for their write-back.
		 */
		for (unsigned int slot = 0; slot < 3; slot++) {
			unsigned int which = (slot + r) % 3;

			/* The engine's keys are not looked up beforehand. */
			for (int i = 0; i < BATCH; i++) {
				keys[i] = splitmix64(&rng) % live;
				if (which == 1)
					frames[i] = fsnvm_keymap_find(&e->map, 0,
								      (u32)keys[i]);
			}
			t = now_ns();
			switch (which) {
			case 0:
				for (int i = 0; i < BATCH; i++)
					fsnvm_load(e, 0, keys[i], dst);
				ld[r] = (double)(now_ns() - t) / BATCH;
				break;
			case 1:
				for (int i = 0; i < BATCH; i++)
					memcpy(dst, fsnvm_frame_at(img, &e->geo, frames[i]),
					       FSNVM_PAGE_SIZE);
				lr[r] = (double)(now_ns() - t) / BATCH;
				break;
			default:
				for (int i = 0; i < BATCH; i++)
					memcpy(dst, fsnvm_frame_at(img, &e->geo,
								   index[keys[i]]),
					       FSNVM_PAGE_SIZE);
				lf[r] = (double)(now_ns() - t) / BATCH;
			}
		}
		/*
		 * Stores, rotated the same way: the engine's of new keys (then
		 * a timed invalidate of them), the raw copy and the floor, both
		 * to the frames the engine's previous batch used.
		 */
		for (unsigned int slot = 0; slot < 3; slot++) {
			t = now_ns();
			switch ((slot + r) % 3) {
			case 0:
				/*
				 * Publishing the batch in the key map is part
				 * of the stores' cost: timed here, not left to
				 * the invalidations.
				 */
				for (int i = 0; i < BATCH; i++)
					fsnvm_store(e, 1, r * BATCH + i, page_src(r + i));
				fsnvm_publish_stores(e);
				st[r] = (double)(now_ns() - t) / BATCH;
				for (int i = 0; i < BATCH; i++)
					freed[i] = fsnvm_keymap_find(&e->map, 1,
								     r * BATCH + i);
				t = now_ns();
				for (int i = 0; i < BATCH; i++)
					fsnvm_invalidate_page(e, 1, r * BATCH + i);
				iv[r] = (double)(now_ns() - t) / BATCH;
				break;
			case 1:
				for (int i = 0; i < BATCH; i++)
					pmem_memcpy_persist(fsnvm_frame_at(img, &e->geo, freed[i]),
							    page_src(r + i + 1),
							    FSNVM_PAGE_SIZE);
				sr[r] = (double)(now_ns() - t) / BATCH;
				break;
			default:
				/* page + entry, one fence */
				for (int i = 0; i < BATCH; i++) {
					entry[0]++;
					pmem_memcpy(fsnvm_frame_at(img, &e->geo, freed[i]),
						    page_src(r + i + 2), FSNVM_PAGE_SIZE,
						    PMEM_F_MEM_NONTEMPORAL |
						    PMEM_F_MEM_NODRAIN);
					pmem_memcpy(fsnvm_entry_at(img, &e->geo, freed[i]),
						    entry, sizeof(entry),
						    PMEM_F_MEM_NONTEMPORAL |
						    PMEM_F_MEM_NODRAIN);
					pmem_drain();
				}
				sf[r] = (double)(now_ns() - t) / BATCH;
			}
		}
	}
	out->store = median(st, rounds);
	out->store_raw = median(sr, rounds);
	out->store_floor = median(sf, rounds);
	out->load = median(ld, rounds);
	out->load_raw = median(lr, rounds);
	out->load_floor = median(lf, rounds);
	out->invalidate = median(iv, rounds);
	fsnvm_engine_close(e);
	free(st), free(sr), free(ld), free(lr), free(iv), free(sf), free(lf);
	free(dst), free(index);
}

/* Zipf(s) over n ranks by inverse CDF. */
struct zipf {
	double *cdf;
	u64 n;
};

static void zipf_init(struct zipf *z, u64 n, double s)
{
	double sum = 0;

	z->n = n;
	z->cdf = malloc(n * sizeof(double));
	CHECK(z->cdf, "oom");
	for (u64 i = 0; i < n; i++) {
		sum += 1.0 / pow((double)(i + 1), s);
		z->cdf[i] = sum;
	}
	for (u64 i = 0; i < n; i++)
		z->cdf[i] /= sum;
}

static u64 zipf_draw(const struct zipf *z, u64 *rng)
{
	double u = (double)(splitmix64(rng) >> 11) / (double)(1ULL << 53);
	u64 lo = 0, hi = z->n - 1;

	while (lo < hi) {
		u64 mid = (lo + hi) / 2;

		if (z->cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct wear_result {
	double endurance, baseline_endurance, extra_write_pct;
	u64 user_stores, migrations, wear_max, wear_min, baseline_max;
	double wear_mean;
	/* endurance at CHECKPOINTS points over the last tenth of the run */
	double checkpoint_min, checkpoint_median;
};

#define CHECKPOINTS 20

/* mean / max wear over all frames, now. */
static double endurance_now(struct fsnvm_engine *e)
{
	u64 sum = 0, max = 0;

	for (u64 f = 0; f < FRAMES; f++) {
		u64 w = fsnvm_entry_wear(e, (u32)f);

		sum += w;
		max = w > max ? w : max;
	}
	return max ? (double)sum / FRAMES / (double)max : 1.0;
}

static void measure_wear(void *img, u64 bytes, double scale,
			 const struct fsnvm_balance_params *bp,
			 unsigned int balance_every, struct wear_result *out)
{
	const u64 cold = FRAMES * 30 / 100, hot = FRAMES / 2;
	const u64 total_stores = (u64)(200 * FRAMES * scale);
	u64 *base_wear = calloc(FRAMES, sizeof(u64)), *perm = malloc(hot * sizeof(u64));
	u8 *page = aligned_alloc(4096, FSNVM_PAGE_SIZE), *want = malloc(FSNVM_PAGE_SIZE);
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	struct zipf z;
	u64 rng = 7, stores = 0, draws = 0, sum = 0, max = 0, min = ~0ULL;
	double checkpoint[CHECKPOINTS];
	unsigned int nr_checkpoints = 0;

	format_engine(img, bytes, 0);
	e = attach(img, bytes);
	zipf_init(&z, hot, 0.99);
	for (u64 i = 0; i < hot; i++)
		perm[i] = i;
	for (u64 i = hot - 1; i > 0; i--) {	/* hot ranks scattered over keys */
		u64 j = splitmix64(&rng) % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	/* Baseline frames: cold key c -> frame c, hot key h -> cold + h. */
	for (u64 c = 0; c < cold; c++) {
		fill_page(page, 1000000 + c, 1);
		CHECK(fsnvm_store(e, 1, c, page) == 0, "cold store");
		base_wear[c]++;
		stores++;
	}
	memcpy(page, pages, FSNVM_PAGE_SIZE);
	while (stores < total_stores) {
		u64 key = perm[zipf_draw(&z, &rng)];

		if (++draws % 16 == 0) {
			fsnvm_invalidate_page(e, 0, key);
			continue;
		}
		CHECK(fsnvm_store(e, 0, key, page) == 0, "hot store refused");
		base_wear[cold + key]++;
		if (++stores % balance_every == 0)
			fsnvm_balance_step(e, bp);
		/*
		 * The end point alone depends on the phase of the wear front
		 * (max - mean moves by a unit or two as the front passes):
		 * also sample the last tenth of the run.
		 */
		if (stores > total_stores - total_stores / 10 &&
		    nr_checkpoints < CHECKPOINTS &&
		    stores - (total_stores - total_stores / 10) ==
		    (nr_checkpoints + 1) * (total_stores / 10 / CHECKPOINTS))
			checkpoint[nr_checkpoints++] = endurance_now(e);
	}
	CHECK(nr_checkpoints, "no checkpoints");
	out->checkpoint_median = median(checkpoint, nr_checkpoints);
	out->checkpoint_min = checkpoint[0];	/* sorted by median() */
	for (u64 c = 0; c < cold; c++) {
		CHECK(fsnvm_load(e, 1, c, page) == 0, "cold key %llu lost",
		      (unsigned long long)c);
		fill_page(want, 1000000 + c, 1);
		CHECK(!memcmp(page, want, FSNVM_PAGE_SIZE), "cold key %llu corrupt",
		      (unsigned long long)c);
	}
	for (u64 f = 0; f < FRAMES; f++) {
		u64 w = fsnvm_entry_wear(e, f);

		sum += w;
		max = w > max ? w : max;
		min = w < min ? w : min;
	}
	if (getenv("BENCH_HIST")) {
		u64 h[64][3] = { 0 };

		for (u64 f = 0; f < FRAMES; f++) {
			u64 w = fsnvm_entry_wear(e, f);
			int cls = (e->state[f] & 7) != FSNVM_FS_USED ? 2 : e->map.frame_type[f];
			h[w + 40 > max ? 63 - (max - w) : 0][cls]++;
		}
		for (int i = 0; i < 64; i++)
			if (h[i][0] + h[i][1] + h[i][2])
				fprintf(stderr, "wear %llu: hot %llu cold %llu free %llu\n", (unsigned long long)(max - 63 + i), (unsigned long long)h[i][0], (unsigned long long)h[i][1], (unsigned long long)h[i][2]);
		fsnvm_get_stats(e, &s);
		fprintf(stderr, "used %llu free %llu\n", (unsigned long long)s.frames_used, (unsigned long long)s.frames_free);
	}
	fsnvm_get_stats(e, &s);
	out->user_stores = stores;
	out->migrations = s.migrations;
	out->wear_mean = (double)sum / FRAMES;
	out->wear_max = max;
	out->wear_min = min;
	out->endurance = out->wear_mean / (double)max;
	out->extra_write_pct = 100.0 * (double)s.migrations / (double)stores;
	sum = max = 0;
	for (u64 f = 0; f < FRAMES; f++) {
		sum += base_wear[f];
		max = base_wear[f] > max ? base_wear[f] : max;
	}
	out->baseline_max = max;
	out->baseline_endurance = (double)sum / FRAMES / (double)max;
	fsnvm_engine_close(e);
	free(base_wear), free(perm), free(page), free(want), free(z.cdf);
}

int main(int argc, char **argv)
{
	const char *json = NULL, *path = "/dev/shm/fsnvm-bench.img";
	struct fsnvm_balance_params bp = {
		.threshold = 8, .first_move = 12, .budget = 256, .scan = 8192,
	};
	const unsigned int balance_every = 2048;
	struct latency plain, crc;
	struct fsnvm_geometry geo;
	struct wear_result w;
	double scale = 1.0;
	unsigned int rounds = 2000;
	size_t mapped;
	int is_pmem;
	u64 bytes, rng = 3;
	void *img;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--image") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
			bp.threshold = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--first-move") && i + 1 < argc)
			bp.first_move = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
			bp.budget = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--quick"))
			scale = 0.1, rounds = 400;
		else
			CHECK(0, "usage: bench_core [--json FILE] [--quick] [--image PATH]");
	}
	bytes = FSNVM_SUPER_BYTES + FRAMES * FSNVM_ENTRY_BYTES + FRAMES * FSNVM_PAGE_SIZE;
	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK &&
	      geo.nr_frames == FRAMES, "geometry");
	img = pmem_map_file(path, bytes, PMEM_FILE_CREATE, 0600, &mapped, &is_pmem);
	CHECK(img, "map %s: %s", path, pmem_errormsg());
	memset(img, 0, bytes);	/* fault the mapping in before timing */
	pages = aligned_alloc(4096, PAGES * FSNVM_PAGE_SIZE);
	for (u64 i = 0; i < PAGES * FSNVM_PAGE_SIZE / 8; i++)
		((u64 *)pages)[i] = splitmix64(&rng);

	printf("bench_core: %llu frames on %s (%s)\n", (unsigned long long)FRAMES,
	       path, is_pmem ? "pmem" : "not pmem: DRAM-backed file, libpmem flushes");
	if (getenv("BENCH_WEAR_ONLY"))	/* tuning the balancer: no latency */
		goto wear;
	measure_latency(img, bytes, 0, rounds, &plain);
	measure_latency(img, bytes, FSNVM_COMPAT_DATA_CRC, rounds, &crc);
	printf("  %-22s %8s %8s %7s\n", "median ns/op", "engine", "raw", "ratio");
	printf("  %-22s %8.0f %8.0f %7.3f  (target <= 1.10)\n", "store", plain.store,
	       plain.store_raw, plain.store / plain.store_raw);
	printf("  %-22s %8.0f %8.0f %7.3f  (target <= 1.05)\n", "load", plain.load,
	       plain.load_raw, plain.load / plain.load_raw);
	printf("  %-22s %8.0f %8.0f %7.3f  (floor / raw %.3f)\n", "store vs store floor",
	       plain.store, plain.store_floor, plain.store / plain.store_floor,
	       plain.store_floor / plain.store_raw);
	printf("  %-22s %8.0f %8.0f %7.3f  (floor / raw %.3f)\n", "load vs load floor",
	       plain.load, plain.load_floor, plain.load / plain.load_floor,
	       plain.load_floor / plain.load_raw);
	printf("  %-22s %8.0f\n", "invalidate", plain.invalidate);
	printf("  %-22s %8.0f %8.0f %7.3f\n", "store, data crc on", crc.store,
	       crc.store_raw, crc.store / crc.store_raw);
	printf("  %-22s %8.0f %8.0f %7.3f\n", "load, data crc on", crc.load,
	       crc.load_raw, crc.load / crc.load_raw);

wear:
	measure_wear(img, bytes, scale, &bp, balance_every, &w);
	printf("  wear: %llu user stores, %llu migrations, balancer threshold %llu first move x%u budget %u every %u stores\n",
	       (unsigned long long)w.user_stores, (unsigned long long)w.migrations,
	       (unsigned long long)bp.threshold, bp.first_move, bp.budget,
	       balance_every);
	printf("  %-22s %8s %8s %8s %10s\n", "", "mean", "max", "min", "endurance");
	printf("  %-22s %8.1f %8llu %8llu %10.4f  (target >= 0.98)\n", "levelled (ours)",
	       w.wear_mean, (unsigned long long)w.wear_max,
	       (unsigned long long)w.wear_min, w.endurance);
	printf("  %-22s %8s %8s %8s %10.4f  (min %.4f, %d points in the last tenth)\n",
	       "  median in the run", "", "", "", w.checkpoint_median,
	       w.checkpoint_min, CHECKPOINTS);
	printf("  %-22s %8.1f %8llu %8s %10.6f\n", "no levelling", w.wear_mean,
	       (unsigned long long)w.baseline_max, "", w.baseline_endurance);
	printf("  extra writes from balancing: %.2f%% (target <= 2%%)\n",
	       w.extra_write_pct);
	if (json && !getenv("BENCH_WEAR_ONLY")) {
		FILE *f = fopen(json, "w");

		CHECK(f, "open %s", json);
		fprintf(f, "{\n  \"frames\": %llu,\n  \"quick\": %s,\n"
			"  \"store_ns\": %.1f,\n  \"store_raw_ns\": %.1f,\n  \"store_ratio\": %.4f,\n"
			"  \"load_ns\": %.1f,\n  \"load_raw_ns\": %.1f,\n  \"load_ratio\": %.4f,\n"
			"  \"invalidate_ns\": %.1f,\n"
			"  \"store_floor_ns\": %.1f,\n  \"load_floor_ns\": %.1f,\n"
			"  \"store_ratio_data_crc\": %.4f,\n  \"load_ratio_data_crc\": %.4f,\n"
			"  \"endurance\": %.4f,\n  \"extra_write_pct\": %.3f,\n"
			"  \"endurance_median\": %.4f,\n  \"endurance_min\": %.4f,\n"
			"  \"baseline_endurance\": %.6f,\n  \"wear_max\": %llu,\n"
			"  \"wear_mean\": %.2f,\n  \"user_stores\": %llu,\n  \"migrations\": %llu\n}\n",
			(unsigned long long)FRAMES, scale < 1 ? "true" : "false",
			plain.store, plain.store_raw, plain.store / plain.store_raw,
			plain.load, plain.load_raw, plain.load / plain.load_raw,
			plain.invalidate, plain.store_floor, plain.load_floor,
			crc.store / crc.store_raw,
			crc.load / crc.load_raw, w.endurance, w.extra_write_pct,
			w.checkpoint_median, w.checkpoint_min,
			w.baseline_endurance, (unsigned long long)w.wear_max, w.wear_mean,
			(unsigned long long)w.user_stores, (unsigned long long)w.migrations);
		CHECK(!fclose(f), "write %s", json);
		printf("  results: %s\n", json);
	}
	pmem_unmap(img, mapped);
	unlink(path);
	return 0;
}
