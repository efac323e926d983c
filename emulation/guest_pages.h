/*
 * emulation/guest_pages.h — what the guest workloads (memstress.c,
 * soak.c) share: the page geometry, MADV_PAGEOUT for C libraries whose
 * headers predate it, and the word mixer their page patterns come from.
 */
#ifndef GUEST_PAGES_H
#define GUEST_PAGES_H

#include <stdint.h>
#include <sys/mman.h>

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

#endif /* GUEST_PAGES_H */
