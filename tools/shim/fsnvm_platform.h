/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace platform for the shared pmem-layout/ code, in the manner of
 * xfsprogs' libxfs_priv.h: it gives userspace the kernel's own names for
 * what those files use (types, endian and bit helpers, bitmaps, a
 * spinlock with lockdep's assertion, the seqcount that names its lock,
 * WARN_ON_ONCE, an array allocator, crc32c, logging) plus the persistence
 * primitives below, so that the shared code is plain kernel C.  Add a
 * kernel name here rather than a workaround there; keep to names the
 * kernel has.
 *
 * The kernel's twin is kernel-backend/fsnvm_platform.h.
 */
#ifndef FSNVM_PLATFORM_H
#define FSNVM_PLATFORM_H

#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>	/* __le32, __le64 (also used by libndctl) */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define cpu_to_le16(x) htole16(x)
#define le16_to_cpu(x) le16toh(x)
#define cpu_to_le32(x) htole32(x)
#define cpu_to_le64(x) htole64(x)
#define le32_to_cpu(x) le32toh(x)
#define le64_to_cpu(x) le64toh(x)

#ifndef EUCLEAN
#define EUCLEAN 117
#endif

#define BITS_PER_LONG (8 * (int)sizeof(long))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define BIT_WORD(n) ((n) / BITS_PER_LONG)
#define BIT_MASK(n) (1UL << ((n) % BITS_PER_LONG))
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define hweight64(x) ((unsigned int)__builtin_popcountll(x))
/* y a power of two, as the kernel's. */
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * WARN_ON_ONCE: a state the code rules out.  Tests build the core with
 * FSNVM_DEBUG_CHECKS, which makes it fatal, so that a test reaching one
 * fails; elsewhere (fsnvmctl) it is reported once, as in the kernel.
 */
#ifdef FSNVM_DEBUG_CHECKS
#define FSNVM_WARN_FATAL 1
#else
#define FSNVM_WARN_FATAL 0
#endif
#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (unlikely(__c) && !__warned) {				\
		__warned = true;					\
		fprintf(stderr, "fsnvm: WARNING at %s:%d: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		if (FSNVM_WARN_FATAL)					\
			abort();					\
	}								\
	__c;								\
})

/*
 * Bitmaps, as include/linux/bitmap.h and find.h: the non-atomic __set_bit
 * and __clear_bit for data under a lock, test_bit readable without it.
 */
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) >>
		(nr % BITS_PER_LONG)) & 1;
}

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_store_n(&addr[BIT_WORD(nr)], addr[BIT_WORD(nr)] | BIT_MASK(nr),
			 __ATOMIC_RELAXED);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_store_n(&addr[BIT_WORD(nr)],
			 addr[BIT_WORD(nr)] & ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
				 __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

/* The first set bit at or after offset, or size. */
static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long offset)
{
	unsigned long word;

	if (offset >= size)
		return size;
	word = addr[BIT_WORD(offset)] & (~0UL << (offset % BITS_PER_LONG));
	offset -= offset % BITS_PER_LONG;
	for (;;) {
		if (word) {
			offset += __builtin_ctzl(word);
			return offset < size ? offset : size;
		}
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = addr[BIT_WORD(offset)];
	}
}

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size);	\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

static inline unsigned long find_first_bit(const unsigned long *addr,
					   unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

/* The last set bit below size, or size. */
static inline unsigned long find_last_bit(const unsigned long *addr,
					  unsigned long size)
{
	unsigned long idx, word;

	if (!size)
		return size;
	idx = (size - 1) / BITS_PER_LONG;
	word = addr[idx] & (~0UL >> (BITS_PER_LONG - 1 - (size - 1) % BITS_PER_LONG));
	for (;;) {
		if (word)
			return idx * BITS_PER_LONG + BITS_PER_LONG - 1 -
			       __builtin_clzl(word);
		if (!idx)
			return size;
		word = addr[--idx];
	}
}

/*
 * The engine's critical sections are short and never sleep: a spinlock, as
 * in the kernel (unlock is a plain store, which the load path's latency
 * depends on).  It records its holder, which lockdep_assert_held()
 * checks in FSNVM_DEBUG_CHECKS builds.
 */
typedef struct {
	pthread_spinlock_t lock;
	const void *owner;	/* the holder's fsnvm_thread_tag, or NULL */
} spinlock_t;

/* This thread's tag: an address no other thread has. */
extern _Thread_local char fsnvm_thread_tag;

static inline void spin_lock_init(spinlock_t *l)
{
	pthread_spin_init(&l->lock, PTHREAD_PROCESS_PRIVATE);
	l->owner = NULL;
}

static inline void fsnvm_lock_owned(spinlock_t *l, bool mine)
{
	__atomic_store_n(&l->owner, mine ? &fsnvm_thread_tag : NULL,
			 __ATOMIC_RELAXED);
}

#ifdef FSNVM_DEBUG_CHECKS
#define lockdep_assert_held(l) do {					\
	if (__atomic_load_n(&(l)->owner, __ATOMIC_RELAXED) !=		\
	    &fsnvm_thread_tag) {					\
		fprintf(stderr, "fsnvm: %s:%d: lock %s not held\n",	\
			__FILE__, __LINE__, #l);			\
		abort();						\
	}								\
} while (0)
#else
#define lockdep_assert_held(l) do { (void)(l); } while (0)
#endif

#ifdef FSNVM_LOCK_STATS
/*
 * bench_core's build counts, per thread and while fsnvm_lock_stats_on is
 * set, how often the lock is taken, how often it was found held, and the
 * TSC ticks it was held (tools/shim/lock_stats.c).
 */
struct fsnvm_lock_stats {
	u64 acquired;
	u64 found_held;
	u64 held_ticks;
};
extern bool fsnvm_lock_stats_on;
extern _Thread_local struct fsnvm_lock_stats fsnvm_lock_stats;
void fsnvm_lock_counted(spinlock_t *l);
void fsnvm_unlock_counted(spinlock_t *l);
#define spin_lock(l) fsnvm_lock_counted(l)
#define spin_unlock(l) fsnvm_unlock_counted(l)
#else
static inline void spin_lock(spinlock_t *l)
{
	pthread_spin_lock(&l->lock);
	fsnvm_lock_owned(l, true);
}

static inline void spin_unlock(spinlock_t *l)
{
	fsnvm_lock_owned(l, false);
	pthread_spin_unlock(&l->lock);
}
#endif

/*
 * Lockless loads (fsnvm_engine.c) read the key map and frame states while
 * the lock holder changes them: those accesses are atomic, relaxed, as the
 * kernel's READ_ONCE/WRITE_ONCE are, so ThreadSanitizer checks the rest.
 */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/*
 * x86-64 (the only target: libpmem, SSE4.2 crc32c) keeps loads in order
 * with loads and stores with stores, so, as in the kernel there, these
 * only stop the compiler.  Non-temporal stores are ordered by
 * fsnvm_pmem_fence(), not by these.
 */
#define barrier() __asm__ __volatile__("" : : : "memory")
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_rmb() barrier()
#define smp_wmb() barrier()

/*
 * The kernel's seqcount_spinlock_t: a seqcount whose writers hold the named
 * spinlock, which write_seqcount_begin() asserts (lockdep in the kernel).
 * raw_write_seqcount_*() skip the assertion, for a writer that runs
 * before anyone else can see the data.
 */
typedef struct {
	unsigned int sequence;
	spinlock_t *lock;
} seqcount_spinlock_t;

static inline void seqcount_spinlock_init(seqcount_spinlock_t *s,
					  spinlock_t *lock)
{
	s->sequence = 0;
	s->lock = lock;
}

static inline unsigned int read_seqcount_begin(const seqcount_spinlock_t *s)
{
	unsigned int seq;

	while ((seq = __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE)) & 1)
		;
	return seq;
}

static inline int read_seqcount_retry(const seqcount_spinlock_t *s,
				      unsigned int seq)
{
	smp_rmb();
	return __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != seq;
}

static inline void raw_write_seqcount_begin(seqcount_spinlock_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
	smp_wmb();
}

static inline void raw_write_seqcount_end(seqcount_spinlock_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELEASE);
}

static inline void write_seqcount_begin(seqcount_spinlock_t *s)
{
	lockdep_assert_held(s->lock);
	raw_write_seqcount_begin(s);
}

static inline void write_seqcount_end(seqcount_spinlock_t *s)
{
	raw_write_seqcount_end(s);
}

#define cond_resched() do { } while (0)
#define prefetch(x) __builtin_prefetch(x)

#define GFP_KERNEL 0
/* Huge-page backed when large, as the kernel's (tools/shim/kvmalloc.c). */
void *fsnvm_kvcalloc(size_t n, size_t size);
#define kvcalloc(n, size, gfp) fsnvm_kvcalloc((n), (size))
#define kvfree(p) free(p)

#define pr_err(...) fprintf(stderr, "fsnvm: " __VA_ARGS__)
#define pr_warn(...) fprintf(stderr, "fsnvm: " __VA_ARGS__)
#define pr_err_ratelimited pr_err

u32 crc32c(u32 crc, const void *buf, unsigned int len);
/* Every crc32c implementation the CPU has against the table: 0 or -1. */
int crc32c_selftest(void);

/*
 * The engine's writers (fsnvm_engine.h): a store runs as writer 1..nr,
 * one store at a time per writer, or as 0 when no writer id is free.
 * Here a writer is a thread (tools/shim/writer_id.c); in the kernel it
 * is a CPU with preemption off.
 */
unsigned int fsnvm_writer_begin(unsigned int nr);
static inline void fsnvm_writer_end(void)
{
}

/*
 * A place in the engine where a race with another CPU matters
 * (FSNVM_RACE_* in fsnvm_engine.h).  A no-op (tools/shim/race_point.c);
 * tests override it to run the racing operation right there.
 */
void fsnvm_race_point(int where);

/*
 * How many writer ids the engine keeps state for: every thread's, or
 * fewer when a test sets fsnvm_test_nr_writers (tools/shim/writer_id.c),
 * so that opening an engine thousands of times stays cheap.
 */
extern unsigned int fsnvm_test_nr_writers;
static inline unsigned int fsnvm_nr_writers(unsigned int max)
{
	return fsnvm_test_nr_writers && fsnvm_test_nr_writers < max ?
	       fsnvm_test_nr_writers : max;
}

/*
 * Persistence primitives, the engine's only way to touch the media:
 *  fsnvm_pmem_copy()  copy into pmem and start write-back, not yet durable
 *  fsnvm_pmem_fence() everything copied before it is durable after it
 *  fsnvm_pmem_read()  machine-check-safe read, returns bytes NOT copied
 *  fsnvm_pmem_read_optimistic()  the same, racing a writer by design
 * tools/shim/persist_libpmem.c implements them with libpmem; the crash test
 * links tests/crash_shim.c instead, which records every copy and fence.
 */
void fsnvm_pmem_copy(void *dst, const void *src, size_t len);
void fsnvm_pmem_fence(void);
size_t fsnvm_pmem_read(void *dst, const void *src, size_t len);
/*
 * For a SIGBUS handler: if the fault hit a fsnvm_pmem_read() of this
 * thread, that read returns "nothing copied" and this does not return
 * (tools/shim/persist_libpmem.c only).
 */
void fsnvm_pmem_read_fault(void);
/*
 * The same read, done by a lockless load that may overlap a writer of the
 * same bytes and validates what it read afterwards (fsnvm_engine.c).
 */
size_t fsnvm_pmem_read_optimistic(void *dst, const void *src, size_t len);

#endif /* FSNVM_PLATFORM_H */
