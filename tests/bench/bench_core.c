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
 * The frames are DRAM on 2 MiB pages, as the kernel's direct map holds a
 * namespace (map_image()), or the file --image names.
 * BENCH_HIST=1 in the environment prints the final wear histogram by kind
 * of frame (hot, cold, free) on stderr; BENCH_WEAR_ONLY=1 skips the
 * latencies (and the JSON), for tuning the balancer; BENCH_ONLY=latency,
 * crc, writers or attach measures that part properly and the rest only
 * briefly or not at all (no JSON).
 */
#include <libpmem.h>
#include <malloc.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

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
	double lookup;		/* the key map lookup alone, lockless */
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
	double *lk = calloc(rounds, sizeof(double));
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
	CHECK(index && st && sr && ld && lr && iv && sf && lf && lk && dst, "oom");
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
		/* What the engine's lookup alone costs of a load. */
		for (int i = 0; i < BATCH; i++)
			keys[i] = splitmix64(&rng) % live;
		t = now_ns();
		for (int i = 0; i < BATCH; i++)
			frames[i] = fsnvm_keymap_find_lockless(&e->map, 0, (u32)keys[i]);
		lk[r] = (double)(now_ns() - t) / BATCH;
		CHECK(frames[0] != FSNVM_NO_FRAME, "lookup");
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
	out->lookup = median(lk, rounds);
	fsnvm_engine_close(e);
	free(st), free(sr), free(ld), free(lr), free(iv), free(sf), free(lf), free(lk);
	free(dst), free(index);
}

/*
 * The data crc's own cost per 4 KiB page, and whether folding it into the
 * copy would pay: the copy then crc as a store does them (the crc runs
 * while the copy's non-temporal stores drain, before the fence), against
 * one loop that loads each word once, streams it out and crcs it in three
 * streams (less the streams' combination, two carry-less multiplies).
 */
struct crc_cost {
	double crc_ns, copy_ns, copy_then_crc_ns, fused_ns;
	double floor_crc_ns;	/* the store floor with the crc before its fence */
};

#define FUSED_BLOCK 1344	/* 3 x 21 lines, the rest single stream */

static u32 copy_crc_fused(u8 *dst, const u8 *src)
{
	u64 c[3] = { ~0U, 0, 0 }, w;
	size_t i, j, k;

	for (i = 0; i < FUSED_BLOCK; i += 64) {
		for (k = 0; k < 3; k++)
			for (j = 0; j < 64; j += 16)
				_mm_stream_si128((__m128i *)(dst + k * FUSED_BLOCK + i + j),
						 _mm_load_si128((const __m128i *)
								(src + k * FUSED_BLOCK + i + j)));
		for (j = 0; j < 64; j += 8)
			for (k = 0; k < 3; k++) {
				memcpy(&w, src + k * FUSED_BLOCK + i + j, 8);
				c[k] = _mm_crc32_u64(c[k], w);
			}
	}
	for (i = 3 * FUSED_BLOCK; i < FSNVM_PAGE_SIZE; i += 16) {
		_mm_stream_si128((__m128i *)(dst + i),
				 _mm_load_si128((const __m128i *)(src + i)));
		memcpy(&w, src + i, 8);
		c[2] = _mm_crc32_u64(c[2], w);
		memcpy(&w, src + i + 8, 8);
		c[2] = _mm_crc32_u64(c[2], w);
	}
	return (u32)(c[0] ^ c[1] ^ c[2]);
}

static void measure_crc(void *img, const struct fsnvm_geometry *geo,
			unsigned int rounds, struct crc_cost *out)
{
	u8 entry[FSNVM_ENTRY_BYTES] __attribute__((aligned(64))) = { 1 };
	double *v[5];
	volatile u32 sink = 0;

	for (int k = 0; k < 5; k++)
		CHECK((v[k] = calloc(rounds, sizeof(double))), "oom");
	for (unsigned int r = 0; r < rounds; r++) {
		for (unsigned int slot = 0; slot < 5; slot++) {
			unsigned int which = (slot + r) % 5;
			u64 t = now_ns();

			for (int i = 0; i < BATCH; i++) {
				void *dst = fsnvm_frame_at(img, geo, (r * BATCH + i) % 4096);
				void *src = page_src(r + i);

				if (which == 0) {
					sink += crc32c(~0U, src, FSNVM_PAGE_SIZE);
					continue;
				}
				if (which == 3) {
					sink += copy_crc_fused(dst, src);
					pmem_drain();
					continue;
				}
				pmem_memcpy(dst, src, FSNVM_PAGE_SIZE,
					    PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN);
				if (which >= 2)
					sink += crc32c(~0U, src, FSNVM_PAGE_SIZE);
				if (which == 4)
					pmem_memcpy(fsnvm_entry_at(img, geo, (r * BATCH + i) % 4096),
						    entry, sizeof(entry),
						    PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN);
				pmem_drain();
			}
			v[which][r] = (double)(now_ns() - t) / BATCH;
		}
	}
	out->crc_ns = median(v[0], rounds);
	out->copy_ns = median(v[1], rounds);
	out->copy_then_crc_ns = median(v[2], rounds);
	out->fused_ns = median(v[3], rounds);
	out->floor_crc_ns = median(v[4], rounds);
	for (int k = 0; k < 5; k++)
		free(v[k]);
	(void)sink;
}

/*
 * Store throughput of concurrent writers.  Two writer threads live for the
 * whole run (writer ids are per thread and never reused) and are given a
 * job per phase: stores of distinct keys (one swap type per thread) into
 * an engine, started together; a phase's throughput is its stores over
 * its wall time.  The same work is done by one writer, by two on one
 * engine, by two with the balancer stepping every millisecond, and, for
 * the ceiling this machine allows, by two on an engine each.  Between
 * phases the keys are invalidated, untimed.  Lock figures come from extra
 * phases with the counting switched on (tools/shim/lock_stats.c).
 */
struct writer_job {
	struct fsnvm_engine *e;
	unsigned int type;
	u64 stores;
	struct fsnvm_lock_stats lock;
};

static struct {
	pthread_barrier_t start, done;
	struct writer_job job[2];
	struct fsnvm_engine *balance_on;
	bool balancing, quit;
	struct fsnvm_lock_stats balancer_lock;
} wr;

static void *writer_main(void *arg)
{
	struct writer_job *j = arg;

	for (;;) {
		pthread_barrier_wait(&wr.start);
		if (wr.quit)
			return NULL;
		memset(&fsnvm_lock_stats, 0, sizeof(fsnvm_lock_stats));
		for (u64 k = 0; k < j->stores; k++)
			CHECK(fsnvm_store(j->e, j->type, k, page_src(k + j->type)) == 0,
			      "writer store");
		j->lock = fsnvm_lock_stats;
		pthread_barrier_wait(&wr.done);
	}
}

static void *balancer_main(void *arg)
{
	const struct fsnvm_balance_params *bp = arg;
	struct timespec ms = { .tv_nsec = 1000000 };

	memset(&fsnvm_lock_stats, 0, sizeof(fsnvm_lock_stats));
	while (READ_ONCE(wr.balancing)) {
		fsnvm_balance_step(wr.balance_on, bp);
		nanosleep(&ms, NULL);
	}
	wr.balancer_lock = fsnvm_lock_stats;
	return NULL;
}

static void lock_stats_add(struct fsnvm_lock_stats *sum,
			   const struct fsnvm_lock_stats *s)
{
	sum->acquired += s->acquired;
	sum->found_held += s->found_held;
	sum->held_ticks += s->held_ticks;
}

static u64 cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/*
 * One phase: stores per second; the lock counts are added to *ls, and
 * *cpus is the CPUs the process had meanwhile (CPU time over wall time):
 * on a shared machine, what caps the speedup.
 */
static double writers_phase(struct fsnvm_engine *e0, struct fsnvm_engine *e1,
			    u64 n0, u64 n1, const struct fsnvm_balance_params *bp,
			    struct fsnvm_lock_stats *ls, double *cpus)
{
	pthread_t balancer;
	u64 t, c;

	wr.job[0].e = e0, wr.job[0].stores = n0;
	wr.job[1].e = e1, wr.job[1].stores = n1;
	memset(&wr.balancer_lock, 0, sizeof(wr.balancer_lock));
	if (bp) {
		wr.balance_on = e0;
		WRITE_ONCE(wr.balancing, true);
		CHECK(!pthread_create(&balancer, NULL, balancer_main, (void *)bp),
		      "balancer thread");
	}
	c = cpu_ns();
	t = now_ns();
	pthread_barrier_wait(&wr.start);
	pthread_barrier_wait(&wr.done);
	t = now_ns() - t;
	*cpus = (double)(cpu_ns() - c) / (double)t;
	if (bp) {
		WRITE_ONCE(wr.balancing, false);
		pthread_join(balancer, NULL);
	}
	lock_stats_add(ls, &wr.job[0].lock);
	lock_stats_add(ls, &wr.job[1].lock);
	lock_stats_add(ls, &wr.balancer_lock);
	for (unsigned int type = 0; type < 2; type++) {
		fsnvm_invalidate_area(e0, type);
		if (e1 != e0)
			fsnvm_invalidate_area(e1, type);
	}
	return (double)(n0 + n1) * 1e9 / (double)t;
}

enum { W_ONE, W_TWO, W_TWO_BAL, W_CEIL_ONE, W_CEIL_TWO, W_MODES };

struct lock_figures {
	double per_store, found_held, hold_ns;
};

struct writers_result {
	double rate[W_MODES];		/* stores per second, medians */
	double cpus[W_MODES];		/* CPUs the process had, medians */
	struct lock_figures lock[W_MODES];
};

static double phase_of(unsigned int mode, struct fsnvm_engine *e,
		       struct fsnvm_engine *e2, u64 n,
		       const struct fsnvm_balance_params *bp,
		       struct fsnvm_lock_stats *ls, double *cpus)
{
	switch (mode) {
	case W_ONE:
		return writers_phase(e, e, 2 * n, 0, NULL, ls, cpus);
	case W_TWO:
		return writers_phase(e, e, n, n, NULL, ls, cpus);
	case W_TWO_BAL:
		return writers_phase(e, e, n, n, bp, ls, cpus);
	case W_CEIL_ONE:
		return writers_phase(e2, e2, 2 * n, 0, NULL, ls, cpus);
	default:
		return writers_phase(e, e2, n, n, NULL, ls, cpus);
	}
}

static double tsc_per_ns(void)
{
	struct timespec d = { .tv_nsec = 50000000 };
	u64 t = now_ns(), c = __rdtsc();

	nanosleep(&d, NULL);
	return (double)(__rdtsc() - c) / (double)(now_ns() - t);
}

static void measure_writers(void *img, void *img2, u64 bytes, unsigned int rounds,
			    const struct fsnvm_balance_params *bp,
			    struct writers_result *out)
{
	const u64 n = FRAMES / 4;	/* per writer, two writers: half full */
	struct fsnvm_engine *e, *e2;
	pthread_t th[2];
	double *v[W_MODES], *cpus[W_MODES], ticks = tsc_per_ns(), unused;

	format_engine(img, bytes, 0);
	format_engine(img2, bytes, 0);
	e = attach(img, bytes);
	e2 = attach(img2, bytes);
	pthread_barrier_init(&wr.start, NULL, 3);
	pthread_barrier_init(&wr.done, NULL, 3);
	for (int i = 0; i < 2; i++) {
		wr.job[i].type = i;
		CHECK(!pthread_create(&th[i], NULL, writer_main, &wr.job[i]), "thread");
	}
	for (int m = 0; m < W_MODES; m++)
		CHECK((v[m] = calloc(rounds, sizeof(double))) &&
		      (cpus[m] = calloc(rounds, sizeof(double))), "oom");
	for (unsigned int r = 0; r < rounds; r++)
		for (unsigned int slot = 0; slot < W_MODES; slot++) {
			unsigned int m = (slot + r) % W_MODES;
			struct fsnvm_lock_stats ls = { 0 };

			v[m][r] = phase_of(m, e, e2, n, bp, &ls, &cpus[m][r]);
		}
	fsnvm_lock_stats_on = true;
	for (unsigned int m = 0; m < W_MODES; m++) {
		struct fsnvm_lock_stats ls = { 0 };

		for (unsigned int r = 0; r < 4; r++)
			phase_of(m, e, e2, n, bp, &ls, &unused);
		out->rate[m] = median(v[m], rounds);
		out->cpus[m] = median(cpus[m], rounds);
		out->lock[m].per_store = (double)ls.acquired / (4.0 * 2 * n);
		out->lock[m].found_held = ls.acquired ?
			(double)ls.found_held / (double)ls.acquired : 0;
		out->lock[m].hold_ns = ls.acquired ?
			(double)ls.held_ticks / ticks / (double)ls.acquired : 0;
	}
	fsnvm_lock_stats_on = false;
	wr.quit = true;
	pthread_barrier_wait(&wr.start);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int m = 0; m < W_MODES; m++)
		free(v[m]), free(cpus[m]);
	fsnvm_engine_close(e);
	fsnvm_engine_close(e2);
}

/*
 * Attach (recovery) of a large namespace: a sparse file whose frames are
 * never touched, as recovery reads only the index.  Two indexes: one that
 * names a live key in every entry (the worst case, a crash with the
 * device full: every page is released) and the one that attach leaves
 * (every entry below stale_below: nothing to release).  The rate is index
 * bytes per second, from the open to the end of the recovery; the DRAM
 * the engine keeps per frame is what the allocator handed out for it.
 * Each has the format's floor measured on the same image: what any attach
 * must do and nothing else, each entry read machine-check safe and its
 * crc checked (the one superblock update is too small to count).
 *
 * An engine is opened and closed once before either is timed: the first
 * allocation of its DRAM in a process finds the host's free memory
 * fragmented and waits for huge pages to be assembled (0.04 to 0.6 s
 * here, from one run to the next), which is the host's state, not the
 * engine's.  That open's time is reported on its own.
 */
struct attach_result {
	u64 frames;
	double seconds, gbps, dram_per_frame;
	double clean_gbps, floor_gbps, clean_floor_gbps;
	double cold_open_s;	/* the first open's, not in the rates */
};

static u64 heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* The engine's attach of the image: seconds; *dram its heap growth. */
static double attach_engine(void *img, u64 bytes, u64 want_valid, u64 *dram)
{
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *e;
	u64 heap = heap_bytes(), t = now_ns();

	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e, "open: %s", fsnvm_media_str(st));
	CHECK(fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep) == 0, "recover");
	t = now_ns() - t;
	CHECK(rep.valid == want_valid && rep.released == want_valid &&
	      !rep.torn && !rep.bad_frames, "recovered %llu keys of %llu",
	      (unsigned long long)rep.valid, (unsigned long long)want_valid);
	*dram = heap_bytes() - heap;
	fsnvm_engine_close(e);
	return (double)t / 1e9;
}

/* An open and a close, without recovery: the open's seconds. */
static double open_cold(void *img, u64 bytes)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e;
	u64 t = now_ns();

	e = fsnvm_engine_open(img, bytes, &st);
	t = now_ns() - t;
	CHECK(e, "open: %s", fsnvm_media_str(st));
	fsnvm_engine_close(e);
	return (double)t / 1e9;
}

/* The format's floor (above): seconds. */
static double attach_floor(void *img, const struct fsnvm_geometry *geo)
{
	u64 t = now_ns(), ok = 0;

	for (u64 f = 0; f < geo->nr_frames; f++) {
		struct fsnvm_entry *at = fsnvm_entry_at(img, geo, f), ent;

		CHECK(!fsnvm_pmem_read(&ent, at, sizeof(ent)), "read");
		ok += fsnvm_entry_crc_ok(&ent);
	}
	t = now_ns() - t;
	CHECK(ok == geo->nr_frames, "floor: %llu entries of %llu",
	      (unsigned long long)ok, (unsigned long long)geo->nr_frames);
	return (double)t / 1e9;
}

static void measure_attach(const char *path, u64 frames, struct attach_result *out)
{
	u64 bytes = FSNVM_SUPER_BYTES + frames * FSNVM_ENTRY_BYTES +
		    frames * FSNVM_PAGE_SIZE, dram, rng = 5;
	struct fsnvm_geometry geo;
	double index_gb;
	size_t mapped;
	int is_pmem;
	void *img;

	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK, "geometry");
	img = pmem_map_file(path, bytes, PMEM_FILE_CREATE | PMEM_FILE_SPARSE, 0600,
			    &mapped, &is_pmem);
	CHECK(img, "map %s: %s", path, pmem_errormsg());
	format_engine(img, bytes, 0);
	for (u64 f = 0; f < geo.nr_frames; f++) {
		struct fsnvm_entry ent = { 0 };

		ent.key = cpu_to_le64(fsnvm_key(f & 1, f >> 1));
		ent.seq = cpu_to_le64(f + 1);
		ent.wear = cpu_to_le64(splitmix64(&rng) % 8);
		fsnvm_entry_seal(&ent);
		pmem_memcpy(fsnvm_entry_at(img, &geo, f), &ent, sizeof(ent),
			    PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN);
	}
	pmem_drain();
	index_gb = (double)(geo.nr_frames * FSNVM_ENTRY_BYTES) / 1e9;
	out->frames = geo.nr_frames;
	out->cold_open_s = open_cold(img, bytes);
	out->floor_gbps = index_gb / attach_floor(img, &geo);
	out->seconds = attach_engine(img, bytes, geo.nr_frames, &dram);
	out->gbps = index_gb / out->seconds;
	out->dram_per_frame = (double)dram / (double)geo.nr_frames;
	/* the attach released every entry: the second case */
	out->clean_gbps = index_gb / attach_engine(img, bytes, 0, &dram);
	out->clean_floor_gbps = index_gb / attach_floor(img, &geo);
	pmem_unmap(img, mapped);
	unlink(path);
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

/* The figures of issue 12 beyond the first ones, closing the object. */
static void json_new_figures(FILE *f, const struct latency *plain,
			     const struct latency *crc, const struct crc_cost *cc,
			     const struct writers_result *wres,
			     const struct attach_result *at, double tib_frames)
{
	const struct lock_figures *l = wres->lock;

	fprintf(f, "  \"store_floor_ratio\": %.4f,\n  \"load_floor_ratio\": %.4f,\n"
		"  \"keymap_lookup_ns\": %.1f,\n"
		"  \"store_data_crc_ns\": %.1f,\n  \"store_ratio_data_crc_vs_plain_raw\": %.4f,\n"
		"  \"crc32c_4k_ns\": %.1f,\n  \"copy_4k_ns\": %.1f,\n"
		"  \"copy_then_crc_4k_ns\": %.1f,\n  \"copy_crc_fused_4k_ns\": %.1f,\n"
		"  \"store_floor_crc_ns\": %.1f,\n",
		plain->store / plain->store_floor, plain->load / plain->load_floor,
		plain->lookup, crc->store, crc->store / plain->store_raw,
		cc->crc_ns, cc->copy_ns, cc->copy_then_crc_ns, cc->fused_ns,
		cc->floor_crc_ns);
	fprintf(f, "  \"writers1_stores_per_s\": %.0f,\n  \"writers2_stores_per_s\": %.0f,\n"
		"  \"writers2_speedup\": %.4f,\n  \"writers2_speedup_balancer\": %.4f,\n"
		"  \"writers2_ceiling_speedup\": %.4f,\n  \"writers2_vs_ceiling\": %.4f,\n"
		"  \"writers1_cpus\": %.3f,\n  \"writers2_cpus\": %.3f,\n"
		"  \"writers2_ceiling_cpus\": %.3f,\n",
		wres->rate[W_ONE], wres->rate[W_TWO],
		wres->rate[W_TWO] / wres->rate[W_ONE],
		wres->rate[W_TWO_BAL] / wres->rate[W_ONE],
		wres->rate[W_CEIL_TWO] / wres->rate[W_CEIL_ONE],
		(wres->rate[W_TWO] / wres->rate[W_ONE]) /
		(wres->rate[W_CEIL_TWO] / wres->rate[W_CEIL_ONE]),
		wres->cpus[W_ONE], wres->cpus[W_TWO], wres->cpus[W_CEIL_TWO]);
	fprintf(f, "  \"lock_per_store_1w\": %.4f,\n  \"lock_per_store_2w\": %.4f,\n"
		"  \"lock_per_store_2w_balancer\": %.4f,\n"
		"  \"lock_found_held_2w\": %.4f,\n  \"lock_found_held_2w_balancer\": %.4f,\n"
		"  \"lock_hold_ns_1w\": %.1f,\n  \"lock_hold_ns_2w\": %.1f,\n"
		"  \"lock_hold_ns_2w_balancer\": %.1f,\n",
		l[W_ONE].per_store, l[W_TWO].per_store, l[W_TWO_BAL].per_store,
		l[W_TWO].found_held, l[W_TWO_BAL].found_held,
		l[W_ONE].hold_ns, l[W_TWO].hold_ns, l[W_TWO_BAL].hold_ns);
	fprintf(f, "  \"attach_frames\": %llu,\n  \"attach_s\": %.3f,\n"
		"  \"attach_gbps\": %.4f,\n  \"attach_floor_gbps\": %.4f,\n"
		"  \"attach_floor_ratio\": %.4f,\n"
		"  \"attach_clean_gbps\": %.4f,\n  \"attach_clean_floor_gbps\": %.4f,\n"
		"  \"attach_cold_open_s\": %.3f,\n"
		"  \"dram_bytes_per_frame\": %.2f,\n"
		"  \"attach_1tib_s\": %.1f,\n  \"attach_clean_1tib_s\": %.1f,\n"
		"  \"dram_1tib_gib\": %.3f\n}\n",
		(unsigned long long)at->frames, at->seconds, at->gbps,
		at->floor_gbps, at->floor_gbps / at->gbps, at->clean_gbps,
		at->clean_floor_gbps, at->cold_open_s, at->dram_per_frame,
		tib_frames * FSNVM_ENTRY_BYTES / at->gbps / 1e9,
		tib_frames * FSNVM_ENTRY_BYTES / at->clean_gbps / 1e9,
		tib_frames * at->dram_per_frame / (double)(1ULL << 30));
}

/*
 * The image the latencies and the wear run use: a file given with --image
 * (real pmem, say), or else DRAM on 2 MiB pages.  The kernel reaches a pmem
 * namespace through its direct map, which maps it with huge pages; on
 * 4 KiB pages the engine, whose stores go to the least-worn frames, a new
 * set every batch, would pay a TLB miss per frame and per entry page that
 * the floor and the raw copy, rewriting the frames written just before,
 * do not.
 */
static void *map_image(const char *path, u64 bytes, size_t *mapped, int *is_pmem)
{
	void *img;

	if (!path) {
		img = fsnvm_kvcalloc(1, bytes);	/* huge pages, faulted in */
		CHECK(img, "oom: %llu bytes", (unsigned long long)bytes);
		*mapped = bytes;
		*is_pmem = 0;
		return img;
	}
	img = pmem_map_file(path, bytes, PMEM_FILE_CREATE, 0600, mapped, is_pmem);
	CHECK(img, "map %s: %s", path, pmem_errormsg());
	memset(img, 0, bytes);	/* fault the mapping in before timing */
	return img;
}

static void unmap_image(const char *path, void *img, size_t mapped)
{
	if (!path) {
		free(img);
		return;
	}
	pmem_unmap(img, mapped);
	unlink(path);
}

/* The share of the mapping holding p that is on huge pages (smaps). */
static double huge_share(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long lo, hi, kb;
	double size = 0, huge = 0;
	bool in = false;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = lo <= (unsigned long)p && (unsigned long)p < hi;
			if (in)
				size = (double)(hi - lo);
		} else if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1) {
			huge = (double)kb * 1024;
		}
	}
	fclose(f);
	return size ? huge / size : 0;
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
	struct crc_cost cc = { 0 };
	struct writers_result wres = { 0 };
	struct attach_result at = { 0 };
	const char *only = getenv("BENCH_ONLY");
	bool image = false;
	double scale = 1.0, tib_frames, huge;
	unsigned int rounds = 2000, writer_rounds = 40;
	u64 attach_frames = 16ULL << 20;	/* 64 GiB of frames */
	char path2[4096], attach_path[4096];
	size_t mapped, mapped2;
	int is_pmem;
	u64 bytes, rng = 3;
	void *img, *img2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--image") && i + 1 < argc)
			path = argv[++i], image = true;
		else if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
			bp.threshold = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--first-move") && i + 1 < argc)
			bp.first_move = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
			bp.budget = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--quick"))
			scale = 0.1, rounds = 400, writer_rounds = 12,
			attach_frames = 4ULL << 20;
		else
			CHECK(0, "usage: bench_core [--json FILE] [--quick] [--image PATH]");
	}
	bytes = FSNVM_SUPER_BYTES + FRAMES * FSNVM_ENTRY_BYTES + FRAMES * FSNVM_PAGE_SIZE;
	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK &&
	      geo.nr_frames == FRAMES, "geometry");
	snprintf(path2, sizeof(path2), "%s.2", path);
	snprintf(attach_path, sizeof(attach_path), "%s.attach", path);
	img = map_image(image ? path : NULL, bytes, &mapped, &is_pmem);
	img2 = map_image(image ? path2 : NULL, bytes, &mapped2, &is_pmem);
	huge = huge_share(img);
	pages = aligned_alloc(4096, PAGES * FSNVM_PAGE_SIZE);
	for (u64 i = 0; i < PAGES * FSNVM_PAGE_SIZE / 8; i++)
		((u64 *)pages)[i] = splitmix64(&rng);

	if (image)
		printf("bench_core: %llu frames on %s (%s)\n", (unsigned long long)FRAMES,
		       path, is_pmem ? "pmem" : "not pmem: libpmem flushes");
	else
		printf("bench_core: %llu frames on DRAM, %.0f%% of it on 2 MiB pages\n",
		       (unsigned long long)FRAMES, 100 * huge);
	if (getenv("BENCH_WEAR_ONLY"))	/* tuning the balancer: no latency */
		goto wear;
	if (only) {	/* one part alone, for tuning it: no JSON */
		json = NULL, scale = 0.002;
		if (strcmp(only, "latency"))
			rounds = 20;
	}
	measure_latency(img, bytes, 0, rounds, &plain);
	measure_latency(img, bytes, FSNVM_COMPAT_DATA_CRC, rounds, &crc);
	if (!only || !strcmp(only, "crc"))
		measure_crc(img, &geo, rounds, &cc);
	if (!only || !strcmp(only, "writers"))
		measure_writers(img, img2, bytes, writer_rounds, &bp, &wres);
	if (!only || !strcmp(only, "attach"))
		measure_attach(attach_path, attach_frames, &at);
	tib_frames = (double)(1ULL << 40) / (FSNVM_PAGE_SIZE + FSNVM_ENTRY_BYTES);
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
	printf("  %-22s %8.0f %8.0f %7.3f  (target <= 1.30)\n", "store crc vs raw copy",
	       crc.store, plain.store_raw, crc.store / plain.store_raw);
	printf("  %-22s %8.0f %8.0f %7.3f  (target <= 1.10)\n", "store vs its floor",
	       plain.store, plain.store_floor, plain.store / plain.store_floor);
	printf("  %-22s %8.0f %8.0f %7.3f  (target <= 1.05)\n", "load vs its floor",
	       plain.load, plain.load_floor, plain.load / plain.load_floor);
	printf("  key map lookup alone: %.0f ns\n", plain.lookup);
	printf("  crc32c of 4 KiB: %.0f ns; copy %.0f ns, copy then crc %.0f ns, fused %.0f ns, floor with crc %.0f ns\n",
	       cc.crc_ns, cc.copy_ns, cc.copy_then_crc_ns, cc.fused_ns, cc.floor_crc_ns);
	printf("  %-22s %10s %8s %8s %8s %6s\n", "writers (stores/s)", "rate", "locks/st",
	       "held%", "hold ns", "CPUs");
	{
		static const char *const name[W_MODES] = {
			"1 writer", "2 writers", "2 writers + balancer",
			"1 writer, own engine", "2 writers, engine each",
		};

		for (int m = 0; m < W_MODES; m++)
			printf("  %-22s %10.0f %8.3f %8.1f %8.0f %6.2f\n", name[m], wres.rate[m],
			       wres.lock[m].per_store, 100 * wres.lock[m].found_held,
			       wres.lock[m].hold_ns, wres.cpus[m]);
	}
	printf("  writers2_speedup %.3f (target >= 1.8), with balancer %.3f, engine per writer %.3f\n",
	       wres.rate[W_TWO] / wres.rate[W_ONE], wres.rate[W_TWO_BAL] / wres.rate[W_ONE],
	       wres.rate[W_CEIL_TWO] / wres.rate[W_CEIL_ONE]);
	printf("  attach: %llu frames, every entry naming a key, in %.2f s: %.3f GB/s of index (target >= 2; format's floor %.3f GB/s)\n",
	       (unsigned long long)at.frames, at.seconds, at.gbps, at.floor_gbps);
	printf("  attach of the index an attach left: %.3f GB/s (floor %.3f GB/s); %.1f DRAM bytes per frame\n",
	       at.clean_gbps, at.clean_floor_gbps, at.dram_per_frame);
	printf("  the process's first open (its DRAM from a cold allocator, not in the rates): %.3f s\n",
	       at.cold_open_s);
	printf("  1 TiB namespace (%.0f frames): attach %.1f s (clean %.1f s), DRAM %.2f GiB\n",
	       tib_frames, tib_frames * FSNVM_ENTRY_BYTES / at.gbps / 1e9,
	       tib_frames * FSNVM_ENTRY_BYTES / at.clean_gbps / 1e9,
	       tib_frames * at.dram_per_frame / (double)(1ULL << 30));

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
			"  \"image_huge_page_share\": %.3f,\n"
			"  \"store_ns\": %.1f,\n  \"store_raw_ns\": %.1f,\n  \"store_ratio\": %.4f,\n"
			"  \"load_ns\": %.1f,\n  \"load_raw_ns\": %.1f,\n  \"load_ratio\": %.4f,\n"
			"  \"invalidate_ns\": %.1f,\n"
			"  \"store_floor_ns\": %.1f,\n  \"load_floor_ns\": %.1f,\n"
			"  \"store_ratio_data_crc\": %.4f,\n  \"load_ratio_data_crc\": %.4f,\n"
			"  \"endurance\": %.4f,\n  \"extra_write_pct\": %.3f,\n"
			"  \"endurance_median\": %.4f,\n  \"endurance_min\": %.4f,\n"
			"  \"baseline_endurance\": %.6f,\n  \"wear_max\": %llu,\n"
			"  \"wear_mean\": %.2f,\n  \"user_stores\": %llu,\n  \"migrations\": %llu,\n",
			(unsigned long long)FRAMES, scale < 1 ? "true" : "false",
			huge,
			plain.store, plain.store_raw, plain.store / plain.store_raw,
			plain.load, plain.load_raw, plain.load / plain.load_raw,
			plain.invalidate, plain.store_floor, plain.load_floor,
			crc.store / crc.store_raw,
			crc.load / crc.load_raw, w.endurance, w.extra_write_pct,
			w.checkpoint_median, w.checkpoint_min,
			w.baseline_endurance, (unsigned long long)w.wear_max, w.wear_mean,
			(unsigned long long)w.user_stores, (unsigned long long)w.migrations);
		json_new_figures(f, &plain, &crc, &cc, &wres, &at, tib_frames);
		CHECK(!fclose(f), "write %s", json);
		printf("  results: %s\n", json);
	}
	unmap_image(image ? path : NULL, img, mapped);
	unmap_image(image ? path2 : NULL, img2, mapped2);
	return 0;
}
