/*
 * emulation/memstress.c — the swap workload run inside the guest.
 *
 *   memstress --mib N [--passes P] [--seed S] [--same-filled] [--hold PATH]
 *             [--pageout]
 *
 * Maps N MiB of anonymous memory and writes a pattern into every 4 KiB page:
 * each 8-byte word is derived from (seed, pass, page index, word index), so no
 * two words of a page are equal and a page swapped back to the wrong slot, or
 * from a stale pass, is caught. With --same-filled every 8th page instead holds
 * one repeated word (zero for every 64th page), which exercises a backend's
 * same-filled-page path. Each pass then reads every page back, verifies every
 * word and rewrites the page with the next pass's pattern (the last pass only
 * verifies). Sizing N above the guest's RAM forces the pages through swap.
 *
 * Last line: "memstress: pages=<n> verified=<n> corrupt=<n>" where verified
 * and corrupt count page checks over all passes. Exit 0 if nothing was
 * corrupt, 1 if something was, 2 on usage or mmap errors.
 *
 * Build: gcc -std=c11 -O2 -static -Wall -Wextra -Werror -o memstress memstress.c
 */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "guest_pages.h"

static int same_filled;

/* Fill buf with the expected contents of page pg in pass pass. */
static void pattern(uint64_t *buf, uint64_t pg, uint64_t pass, uint64_t seed)
{
	uint64_t base = mix64(seed ^ mix64(pass ^ (pg << 20)));

	if (same_filled && pg % 8 == 0) {
		uint64_t v = pg % 64 == 0 ? 0 : base;
		for (size_t w = 0; w < PAGE_WORDS; w++)
			buf[w] = v;
		return;
	}
	/* w * odd constant is distinct for every w, so words never repeat */
	for (size_t w = 0; w < PAGE_WORDS; w++)
		buf[w] = base ^ (w * 0xd6e8feb86659fd93ull);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: memstress --mib N [--passes P] [--seed S] [--same-filled]\n"
		"  --mib N        anonymous memory to map and check, MiB (required)\n"
		"  --passes P     verify+rewrite passes (default 2)\n"
		"  --seed S       pattern seed (default 1)\n"
		"  --same-filled  every 8th page holds one repeated word\n"
		"  --hold PATH    after writing, create PATH and wait until it is\n"
		"                 removed before verifying (pages sit in swap)\n"
		"  --pageout      after writing, MADV_PAGEOUT everything: swap it\n"
		"                 out without memory pressure on anything else\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t mib = 0, passes = 2, seed = 1;
	const char *hold = NULL;
	int pageout = 0;
	uint64_t expect[PAGE_WORDS];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--mib") && !parse_u64(v, &mib))
			i++;
		else if (!strcmp(a, "--passes") && !parse_u64(v, &passes))
			i++;
		else if (!strcmp(a, "--seed") && !parse_u64(v, &seed))
			i++;
		else if (!strcmp(a, "--same-filled"))
			same_filled = 1;
		else if (!strcmp(a, "--hold") && v && ++i)
			hold = v;
		else if (!strcmp(a, "--pageout"))
			pageout = 1;
		else
			usage();
	}
	if (mib == 0 || passes == 0)
		usage();

	uint64_t pages = mib * (1024 * 1024 / PAGE_BYTES);
	uint64_t *mem = mmap(NULL, pages * PAGE_BYTES, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("memstress: mmap");
		return 2;
	}

	printf("memstress: mib=%" PRIu64 " pages=%" PRIu64 " passes=%" PRIu64
	       " seed=%" PRIu64 " same-filled=%s\n",
	       mib, pages, passes, seed, same_filled ? "every 8th page" : "no");

	double t0 = now(), t = t0;
	for (uint64_t pg = 0; pg < pages; pg++)
		pattern(mem + pg * PAGE_WORDS, pg, 0, seed);
	printf("memstress: write pass 0: %.1f s\n", now() - t);
	if (pageout && madvise(mem, pages * PAGE_BYTES, MADV_PAGEOUT)) {
		perror("memstress: MADV_PAGEOUT");
		return 2;
	}
	if (hold) {
		FILE *f = fopen(hold, "w");

		if (!f || fclose(f)) {
			perror("memstress: --hold");
			return 2;
		}
		while (access(hold, F_OK) == 0)
			sleep(1);
	}

	uint64_t verified = 0, corrupt = 0;
	for (uint64_t pass = 0; pass < passes; pass++) {
		uint64_t bad_before = corrupt;

		t = now();
		for (uint64_t pg = 0; pg < pages; pg++) {
			uint64_t *p = mem + pg * PAGE_WORDS;

			pattern(expect, pg, pass, seed);
			if (memcmp(p, expect, PAGE_BYTES) == 0) {
				verified++;
			} else {
				size_t w = 0, nbad = 0;

				for (size_t i = 0; i < PAGE_WORDS; i++)
					if (p[i] != expect[i] && nbad++ == 0)
						w = i;
				if (corrupt < MAX_REPORTS)
					printf("memstress: CORRUPT pass=%" PRIu64 " page=%" PRIu64
					       " bad-words=%zu first: word=%zu want=%016" PRIx64
					       " got=%016" PRIx64 "\n",
					       pass, pg, nbad, w, expect[w], p[w]);
				corrupt++;
			}
			if (pass + 1 < passes)
				pattern(p, pg, pass + 1, seed);
		}
		printf("memstress: pass %" PRIu64 "/%" PRIu64 ": verified%s, %" PRIu64
		       " corrupt, %.1f s\n", pass + 1, passes,
		       pass + 1 < passes ? "+rewrote" : "", corrupt - bad_before, now() - t);
	}
	printf("memstress: total %.1f s\n", now() - t0);
	printf("memstress: pages=%" PRIu64 " verified=%" PRIu64 " corrupt=%" PRIu64 "\n",
	       pages, verified, corrupt);
	return corrupt ? 1 : 0;
}
