/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace platform for the shared pmem-layout/ code.  It supplies only the
 * handful of kernel names those files use (fixed-width types, endian
 * helpers, a lock, an array allocator, crc32c, logging) plus the
 * persistence primitives below.  Keep it that small: pmem-layout/ must not
 * grow a dependency on anything else of the kernel's.
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

#define BIT(n) (1U << (n))
#define BIT_ULL(n) (1ULL << (n))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define hweight64(x) ((unsigned int)__builtin_popcountll(x))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * The engine's critical sections are short and never sleep: a spinlock, as
 * in the kernel (unlock is a plain store, which the load path's latency
 * depends on).
 */
typedef pthread_spinlock_t spinlock_t;
#define spin_lock_init(l) pthread_spin_init((l), PTHREAD_PROCESS_PRIVATE)
#define spin_lock_destroy(l) pthread_spin_destroy(l)
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
#define spin_lock(l) pthread_spin_lock(l)
#define spin_unlock(l) pthread_spin_unlock(l)
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
 * The kernel's seqcount_t, for readers that retry instead of locking.  The
 * engine writes with the raw_ variants: its writers are serialized by its
 * spinlock, or run alone (recovery), which the kernel's non-raw ones
 * cannot tell apart.
 */
typedef struct {
	unsigned int sequence;
} seqcount_t;

static inline void seqcount_init(seqcount_t *s)
{
	s->sequence = 0;
}

static inline unsigned int read_seqcount_begin(const seqcount_t *s)
{
	unsigned int seq;

	while ((seq = __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE)) & 1)
		;
	return seq;
}

static inline int read_seqcount_retry(const seqcount_t *s, unsigned int seq)
{
	smp_rmb();
	return __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != seq;
}

static inline void raw_write_seqcount_begin(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
	smp_wmb();
}

static inline void raw_write_seqcount_end(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELEASE);
}

#define BITS_PER_LONG (8 * (int)sizeof(long))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

#define cond_resched() do { } while (0)
#define prefetch(x) __builtin_prefetch(x)

#define GFP_KERNEL 0
#define kvcalloc(n, size, gfp) calloc((n), (size))
#define kvfree(p) free(p)

#define pr_err(...) fprintf(stderr, "fsnvm: " __VA_ARGS__)
#define pr_warn(...) fprintf(stderr, "fsnvm: " __VA_ARGS__)

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
