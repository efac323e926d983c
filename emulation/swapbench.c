/*
 * emulation/swapbench.c — the timed workloads of the guest benchmark
 * (tests/bench/guest.sh), every page verified.
 *
 *   swapbench --workload W --mib N [--ops-per-page K] [--seed S] [--break]
 *   swapbench --workload aging --mib N --cold-mib C [--passes P] ...
 *
 * Maps N MiB of anonymous memory, writes version 0 of every page (not
 * timed), then times one phase:
 *   random  K x pages accesses to uniformly random pages; each verifies the
 *           page and every other one rewrites it with its next version;
 *   same    random, with every 5th page same-filled (3 of 4 of them zero,
 *           the rest one repeated word);
 *   skewed  random, but 9 in 10 accesses go to a hot quarter of the set
 *           (sized by the caller to fit in RAM) and the rest to the cold
 *           three quarters, which live in swap;
 *   seq     two passes in page order, each verifying and rewriting;
 *   fork    a child verifies every inherited page while the parent
 *           rewrites every page and verifies its own copy; both in a
 *           random order;
 *   aging   the wear workload: a cold set of C MiB is written and swapped
 *           out (MADV_PAGEOUT, as proactive reclaim does) and stays there
 *           while a hot set of N MiB is rewritten and swapped out again P
 *           times, then every cold page is verified.  Sized so the cold
 *           set fills most of the swap device, it shows where a device's
 *           writes land when most of it holds data nobody touches.
 * A page's contents derive from (seed, page, version), so a page served
 * from the wrong slot or from an older version is caught; --break flips
 * a bit in every page after writing them, to prove it.
 *
 * Last line: "swapbench: workload=W pages=P accesses=A seconds=T
 * verified=V corrupt=C". Exit 0 if nothing was corrupt, 1 if something
 * was, 2 on usage or system errors.
 */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest_pages.h"

enum workload { W_RANDOM, W_SAME, W_SKEWED, W_SEQ, W_FORK, W_AGING };

static const char *const workload_names[] = {
	[W_RANDOM] = "random", [W_SAME] = "same", [W_SKEWED] = "skewed",
	[W_SEQ] = "seq", [W_FORK] = "fork", [W_AGING] = "aging",
};

/* aging's chunk: written, then swapped out, so RAM never fills. */
#define AGING_CHUNK_PAGES 1024

struct bench {
	enum workload workload;
	uint64_t *mem;
	uint32_t *version;	/* each page's current version */
	uint64_t pages;
	uint64_t cold;		/* aging: pages [0, cold) are the cold set */
	uint64_t seed;
	uint64_t rng;
	uint64_t verified;
	uint64_t corrupt;
};

/*
 * Zswap's authors measured 10-20% of swapped pages to be same-filled,
 * most of them zero (the commit adding its same-filled path): one page
 * in five, three quarters of those zero.
 */
static int same_filled(const struct bench *b, uint64_t pg)
{
	return b->workload == W_SAME && pg % 5 == 0;
}

static void pattern(const struct bench *b, uint64_t *buf, uint64_t pg,
		    unsigned int version)
{
	uint64_t base = mix64(b->seed ^ mix64(version ^ (pg << 20)));

	if (same_filled(b, pg)) {
		uint64_t v = pg % 20 == 0 ? base : 0;

		for (size_t w = 0; w < PAGE_WORDS; w++)
			buf[w] = v;
		return;
	}
	for (size_t w = 0; w < PAGE_WORDS; w++)
		buf[w] = base ^ (w * 0xd6e8feb86659fd93ull);
}

static void write_page(struct bench *b, uint64_t pg, unsigned int version)
{
	pattern(b, b->mem + pg * PAGE_WORDS, pg, version);
}

static void verify_page(struct bench *b, uint64_t pg, unsigned int version,
			const char *who)
{
	uint64_t want[PAGE_WORDS];
	const uint64_t *have = b->mem + pg * PAGE_WORDS;

	pattern(b, want, pg, version);
	b->verified++;
	if (!memcmp(want, have, PAGE_BYTES))
		return;
	if (b->corrupt++ < MAX_REPORTS)
		fprintf(stderr, "swapbench: %s: page %" PRIu64 " version %u: word 0 is %016" PRIx64
			", want %016" PRIx64 "\n", who, pg, version, have[0], want[0]);
}

static uint64_t next_rand(struct bench *b)
{
	b->rng = mix64(b->rng);
	return b->rng;
}

static uint64_t pick(struct bench *b)
{
	uint64_t r = next_rand(b);
	uint64_t hot = b->pages / 4;

	if (b->workload != W_SKEWED || hot == 0 || hot == b->pages)
		return r % b->pages;
	if ((r >> 32) % 10 < 9)
		return r % hot;
	return hot + r % (b->pages - hot);
}

static uint64_t run_random(struct bench *b, uint64_t accesses)
{
	for (uint64_t i = 0; i < accesses; i++) {
		uint64_t pg = pick(b);

		verify_page(b, pg, b->version[pg], "access");
		if (i & 1)
			write_page(b, pg, ++b->version[pg]);
	}
	return accesses;
}

static uint64_t run_seq(struct bench *b)
{
	for (unsigned int pass = 0; pass < 2; pass++)
		for (uint64_t pg = 0; pg < b->pages; pg++) {
			verify_page(b, pg, b->version[pg], "scan");
			write_page(b, pg, ++b->version[pg]);
		}
	return 2 * b->pages;
}

static int pageout(struct bench *b, uint64_t first, uint64_t n)
{
	if (!madvise(b->mem + first * PAGE_WORDS, n * PAGE_BYTES, MADV_PAGEOUT))
		return 0;
	perror("swapbench: MADV_PAGEOUT (a kernel with ADVISE_SYSCALLS?)");
	return -1;
}

/* aging: passes over the hot set, each swapped out after; then the cold. */
static int run_aging(struct bench *b, uint64_t passes, uint64_t *accesses)
{
	uint64_t hot = b->pages - b->cold;

	for (uint64_t pass = 0; pass < passes; pass++) {
		for (uint64_t pg = b->cold; pg < b->pages; pg++) {
			verify_page(b, pg, b->version[pg], "hot");
			write_page(b, pg, ++b->version[pg]);
		}
		if (pageout(b, b->cold, hot))
			return -1;
	}
	/* Dropped once verified: swapping them out again is not the point. */
	for (uint64_t pg = 0; pg < b->cold; pg++) {
		verify_page(b, pg, b->version[pg], "cold");
		if ((pg + 1) % AGING_CHUNK_PAGES == 0 || pg + 1 == b->cold)
			madvise(b->mem + (pg - pg % AGING_CHUNK_PAGES) * PAGE_WORDS,
				(pg % AGING_CHUNK_PAGES + 1) * PAGE_BYTES, MADV_DONTNEED);
	}
	*accesses = passes * hot + b->cold;
	return 0;
}

/* A permutation of the pages, so each is touched once in a random order. */
static uint64_t *shuffled(struct bench *b)
{
	uint64_t *order = malloc(b->pages * sizeof(*order));

	if (!order)
		return NULL;
	for (uint64_t i = 0; i < b->pages; i++)
		order[i] = i;
	for (uint64_t i = b->pages - 1; i > 0; i--) {
		uint64_t j = next_rand(b) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	return order;
}

static int run_fork(struct bench *b, uint64_t *accesses)
{
	uint64_t *order = shuffled(b);
	int status;
	pid_t child;

	if (!order) {
		perror("swapbench: malloc");
		return -1;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		perror("swapbench: fork");
		free(order);
		return -1;
	}
	if (child == 0) {
		for (uint64_t i = b->pages; i-- > 0;)
			verify_page(b, order[i], 0, "child");
		_exit(b->corrupt ? 1 : 0);
	}
	for (uint64_t i = 0; i < b->pages; i++)
		write_page(b, order[i], ++b->version[order[i]]);
	for (uint64_t i = 0; i < b->pages; i++)
		verify_page(b, order[i], b->version[order[i]], "parent");
	free(order);
	if (waitpid(child, &status, 0) != child) {
		perror("swapbench: waitpid");
		return -1;
	}
	/* The child's checks count once each, its failures as one. */
	b->verified += b->pages;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		b->corrupt++;
	*accesses = 3 * b->pages;
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: swapbench --workload random|same|skewed|seq|fork|aging --mib N\n"
		"                 [--ops-per-page K] [--cold-mib C] [--passes P]\n"
		"                 [--seed S] [--break]\n"
		"  --ops-per-page K  accesses per page in random, same, skewed\n"
		"                    (default 2)\n"
		"  --cold-mib C      aging: the cold set beside the N MiB hot set\n"
		"  --passes P        aging: rewrites of the hot set (1-100000, default 2)\n"
		"  --break           corrupt every page first (self-test)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench b = { .workload = W_RANDOM, .seed = 1 };
	uint64_t mib = 0, ops_per_page = 2, accesses = 0, cold_mib = 0, passes = 2;
	int flip = 0;
	const char *name = NULL;
	double t0, secs;
	size_t bytes;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--break")) {
			flip = 1;
			continue;
		}
		if (!strcmp(a, "--workload") && v)
			name = v;
		else if (!strcmp(a, "--mib") && !parse_u64(v, &mib))
			;
		else if (!strcmp(a, "--ops-per-page") && !parse_u64(v, &ops_per_page))
			;
		else if (!strcmp(a, "--seed") && !parse_u64(v, &b.seed))
			;
		else if (!strcmp(a, "--cold-mib") && !parse_u64(v, &cold_mib))
			;
		else if (!strcmp(a, "--passes") && !parse_u64(v, &passes))
			;
		else
			usage();
		i++;
	}
	if (!name || !mib || mib > (1u << 20) || !ops_per_page || ops_per_page > 1000)
		usage();
	b.workload = (enum workload)-1;
	for (size_t w = 0; w < sizeof(workload_names) / sizeof(workload_names[0]); w++)
		if (!strcmp(name, workload_names[w]))
			b.workload = (enum workload)w;
	if ((int)b.workload < 0)
		usage();
	if (cold_mib > (1u << 20) || !passes || passes > 100000 ||
	    (b.workload != W_AGING && cold_mib))
		usage();

	bytes = (size_t)(mib + cold_mib) << 20;
	b.pages = bytes / PAGE_BYTES;
	b.cold = ((size_t)cold_mib << 20) / PAGE_BYTES;
	b.rng = mix64(b.seed ^ 0x5eed);
	b.version = calloc(b.pages, sizeof(*b.version));
	b.mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!b.version || b.mem == MAP_FAILED) {
		perror("swapbench: allocating the working set");
		return 2;
	}
	for (uint64_t pg = 0; pg < b.pages; pg++) {
		write_page(&b, pg, 0);
		if (b.workload == W_AGING && ((pg + 1) % AGING_CHUNK_PAGES == 0 ||
					      pg + 1 == b.pages) &&
		    pageout(&b, pg - pg % AGING_CHUNK_PAGES, pg % AGING_CHUNK_PAGES + 1))
			return 2;
	}
	for (uint64_t pg = 0; flip && pg < b.pages; pg++)
		b.mem[pg * PAGE_WORDS + 1] ^= 1ull << (pg % 64);

	t0 = now();
	switch (b.workload) {
	case W_SEQ:
		accesses = run_seq(&b);
		break;
	case W_FORK:
		if (run_fork(&b, &accesses))
			return 2;
		break;
	case W_AGING:
		if (run_aging(&b, passes, &accesses))
			return 2;
		break;
	default:
		accesses = run_random(&b, ops_per_page * b.pages);
		break;
	}
	secs = now() - t0;
	printf("swapbench: workload=%s pages=%" PRIu64 " accesses=%" PRIu64
	       " seconds=%.3f verified=%" PRIu64 " corrupt=%" PRIu64 "\n",
	       name, b.pages, accesses, secs, b.verified, b.corrupt);
	munmap(b.mem, bytes);
	free(b.version);
	return b.corrupt ? 1 : 0;
}
