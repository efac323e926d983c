/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel platform for the shared pmem-layout/ code: the real kernel
 * headers, and the persistence primitives on top of the pmem API.
 * The userspace twin is tools/shim/fsnvm_platform.h.
 */
#ifndef FSNVM_PLATFORM_H
#define FSNVM_PLATFORM_H

/*
 * The front end's name: its log prefix, its sysfs directory.  The swap
 * device module's Kbuild sets its own.
 */
#ifndef FSNVM_NAME
#define FSNVM_NAME "frontswap_nvm"
#endif

/* The engine's log lines carry the front end's name, as its own do. */
#ifndef pr_fmt
#define pr_fmt(fmt) FSNVM_NAME ": " fmt
#endif

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/crc32c.h>
#include <linux/errno.h>
#include <linux/libnvdimm.h>
#include <linux/mm.h>
#include <linux/prefetch.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>

/* Copy into pmem with non-temporal stores / cache write-back. */
static inline void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	memcpy_flushcache(dst, src, len);
}

/* Make every preceding fsnvm_pmem_copy() durable (sfence on x86_64). */
static inline void fsnvm_pmem_fence(void)
{
	pmem_wmb();
}

/*
 * A store runs as writer cpu + 1 with preemption off until
 * fsnvm_writer_end(), so no other store shares its writer state; CPUs
 * beyond the writer ids the format has store as writer 0.
 */
static inline unsigned int fsnvm_writer_begin(unsigned int nr)
{
	unsigned int cpu = get_cpu();

	return cpu < nr ? cpu + 1 : 0;
}

static inline void fsnvm_writer_end(void)
{
	put_cpu();
}

/* Userspace tests run a racing operation here; nothing in the kernel. */
static inline void fsnvm_race_point(int where)
{
}

/* How many writer ids the engine keeps state for: one per possible CPU. */
static inline unsigned int fsnvm_nr_writers(unsigned int max)
{
	return min_t(unsigned int, nr_cpu_ids, max);
}

/* Machine-check-safe read: returns the number of bytes NOT copied. */
static inline size_t fsnvm_pmem_read(void *dst, const void *src, size_t len)
{
	return copy_mc_to_kernel(dst, src, len);
}

/* A lockless load's read, validated afterwards by the engine. */
static inline size_t fsnvm_pmem_read_optimistic(void *dst, const void *src,
						size_t len)
{
	return copy_mc_to_kernel(dst, src, len);
}

#endif /* FSNVM_PLATFORM_H */
