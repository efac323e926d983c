/*
 * emulation/soak.c — the soak workload run inside the guest (make soak).
 *
 *   soak --procs P --mib M --seconds S [--seed N] [--break PAGE]
 *
 * P processes each map M MiB of anonymous memory and keep every 4 KiB page
 * in a known state: each 8-byte word is derived from (seed, owner, page,
 * generation, word), so a page from the wrong slot, a stale generation or
 * another process is caught.  For S seconds after writing them, each process
 * takes turns at, on random windows of pages:
 *   - verify a window and rewrite it with the next generation;
 *   - MADV_PAGEOUT a window (the kernel swaps it out now), then verify it;
 *   - fork: the child verifies a window of the pages it inherited,
 *     rewrites another of its own copy under its own owner tag and
 *     verifies that; the parent, once the child is gone, checks that its
 *     copy of that window is untouched.
 * Every page is verified at the end.  Last line:
 *   "soak: procs=P pages=N verified=V corrupt=C pageouts=O forks=F"
 * Exit 0 if nothing was corrupt, 1 if something was, 2 on errors.
 * --break P flips a word of page P in the first process after it is
 * written, which the checks must catch (the self-test of the checks).
 *
 * Build: gcc -std=c11 -O2 -static -Wall -Wextra -Werror -o soak soak.c
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest_pages.h"

/* Shared by every process: the totals. */
struct totals {
	uint64_t verified, corrupt, pageouts, pageout_errors, forks;
};

static struct totals *tot;
static uint64_t seed;
static uint8_t *mem;
static uint32_t *gen;		/* per page; in the process's own memory */
static size_t pages;
static uint64_t owner;		/* who wrote this copy: process, then child */
static unsigned int reports;
static long long break_page = -1;

static uint64_t word_of(uint64_t who, size_t page, uint32_t g, size_t w)
{
	return mix64(seed ^ mix64(who << 40 ^ (uint64_t)page << 8 ^ g) ^ w);
}

static void write_page(size_t p)
{
	uint64_t *w = (uint64_t *)(mem + p * PAGE_BYTES);

	for (size_t i = 0; i < PAGE_WORDS; i++)
		w[i] = word_of(owner, p, gen[p], i);
}

static int check_page(size_t p, uint64_t who, const char *what)
{
	const uint64_t *w = (const uint64_t *)(mem + p * PAGE_BYTES);

	__atomic_add_fetch(&tot->verified, 1, __ATOMIC_RELAXED);
	for (size_t i = 0; i < PAGE_WORDS; i++) {
		if (w[i] == word_of(who, p, gen[p], i))
			continue;
		__atomic_add_fetch(&tot->corrupt, 1, __ATOMIC_RELAXED);
		if (reports++ < MAX_REPORTS)
			fprintf(stderr, "soak[%d]: %s: page %zu word %zu: %#" PRIx64
				" expected %#" PRIx64 " (owner %" PRIu64 " gen %u)\n",
				(int)getpid(), what, p, i, w[i],
				word_of(who, p, gen[p], i), who, gen[p]);
		return 1;
	}
	return 0;
}

static uint64_t rnd(uint64_t *s)
{
	return mix64((*s)++);
}

static int verify_range(size_t a, size_t n, uint64_t who, const char *what)
{
	int bad = 0;

	for (size_t p = a; p < a + n; p++)
		bad |= check_page(p, who, what);
	return bad;
}

static void window(uint64_t *r, size_t *a, size_t *n)
{
	*n = 16 + rnd(r) % 1024;
	if (*n > pages)
		*n = pages;
	*a = rnd(r) % (pages - *n + 1);
}

static int child(uint64_t *r, size_t a, size_t n)
{
	size_t ia, in;
	int bad;

	window(r, &ia, &in);
	bad = verify_range(ia, in, owner, "child, inherited");
	owner = owner * 1000 + 999;	/* the child's own tag */
	for (size_t p = a; p < a + n; p++) {
		gen[p]++;
		write_page(p);
	}
	bad |= verify_range(a, n, owner, "child, own copy");
	return bad;
}

static int worker(unsigned int id, unsigned long secs)
{
	time_t deadline;
	uint64_t r = seed * 131 + id;
	int bad = 0;

	owner = id + 1;
	for (size_t p = 0; p < pages; p++)
		write_page(p);
	if (id == 0 && break_page >= 0 && (size_t)break_page < pages)
		((uint64_t *)(mem + break_page * PAGE_BYTES))[7] ^= 1;
	/* The clock starts once the working set is written: that alone may
	 * take longer than the run on a slow (debug, emulated) machine.
	 */
	deadline = time(NULL) + (time_t)secs;
	for (unsigned int step = 0; time(NULL) < deadline; step++) {
		unsigned int op = step % 4;	/* rewrite, pageout, rewrite, fork */
		size_t a, n;
		pid_t pid;
		int st;

		window(&r, &a, &n);
		if (op % 2 == 0) {
			bad |= verify_range(a, n, owner, "rewrite");
			for (size_t p = a; p < a + n; p++) {
				gen[p]++;
				write_page(p);
			}
		} else if (op == 1) {
			if (madvise(mem + a * PAGE_BYTES, n * PAGE_BYTES, MADV_PAGEOUT))
				__atomic_add_fetch(&tot->pageout_errors, 1, __ATOMIC_RELAXED);
			else
				__atomic_add_fetch(&tot->pageouts, 1, __ATOMIC_RELAXED);
			bad |= verify_range(a, n, owner, "after pageout");
		} else {	/* op 3 */
			pid = fork();
			if (pid < 0) {
				perror("soak: fork");
				return 2;
			}
			if (!pid)
				_exit(child(&r, a, n));
			__atomic_add_fetch(&tot->forks, 1, __ATOMIC_RELAXED);
			if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
			    WEXITSTATUS(st))
				bad = 1;
			bad |= verify_range(a, n, owner, "parent after fork");
		}
	}
	bad |= verify_range(0, pages, owner, "final");
	return bad;
}

int main(int argc, char **argv)
{
	unsigned int procs = 2, fails = 0;
	unsigned long mib = 64, secs = 60;

	seed = (uint64_t)time(NULL);
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--procs"))
			procs = (unsigned int)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--mib"))
			mib = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seconds"))
			secs = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--break"))
			break_page = strtoll(argv[i + 1], NULL, 0);
		else
			goto usage;
	}
	if (!procs || !mib || argc % 2 == 0)
		goto usage;
	tot = mmap(NULL, sizeof(*tot), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tot == MAP_FAILED) {
		perror("soak: mmap");
		return 2;
	}
	pages = mib * 1024 * 1024 / PAGE_BYTES;
	for (unsigned int i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("soak: fork");
			return 2;
		}
		if (pid)
			continue;
		mem = mmap(NULL, pages * PAGE_BYTES, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		gen = calloc(pages, sizeof(*gen));
		if (mem == MAP_FAILED || !gen) {
			perror("soak: memory");
			_exit(2);
		}
		_exit(worker(i, secs));
	}
	for (unsigned int i = 0; i < procs; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			fails++;
	}
	printf("soak: procs=%u pages=%zu verified=%" PRIu64 " corrupt=%" PRIu64
	       " pageouts=%" PRIu64 " pageout_errors=%" PRIu64 " forks=%" PRIu64
	       " failed_procs=%u\n", procs, pages * procs, tot->verified,
	       tot->corrupt, tot->pageouts, tot->pageout_errors, tot->forks, fails);
	return tot->corrupt ? 1 : fails ? 2 : 0;
usage:
	fprintf(stderr, "usage: soak --procs P --mib M --seconds S [--seed N] [--break PAGE]\n");
	return 2;
}
