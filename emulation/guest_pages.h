/*
 * emulation/guest_pages.h — what the guest workloads (memstress.c,
 * soak.c, swapbench.c) share: the page geometry, MADV_PAGEOUT for C
 * libraries whose headers predate it, the word mixer their page patterns
 * come from, a monotonic clock and a strict number parser.
 */
#ifndef GUEST_PAGES_H
#define GUEST_PAGES_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define PAGE_BYTES 4096u
#define PAGE_WORDS (PAGE_BYTES / sizeof(uint64_t))
#define MAX_REPORTS 10

/* The splitmix64 finaliser. */
static inline uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Seconds on the monotonic clock. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole of s as a number (0x and 0 prefixes allowed); 0, or -1. */
static inline int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	*out = strtoull(s, &end, 0);
	return *end ? -1 : 0;
}

#endif /* GUEST_PAGES_H */
