// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence primitives for the ThreadSanitizer build: plain memcpy, so
 * TSan sees every write to the media (libpmem's copy loops are not
 * instrumented and would hide a race on an index entry).
 */
#include "fsnvm_platform.h"

void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

/* Ordering between threads comes from the engine's lock, not from here. */
void fsnvm_pmem_fence(void)
{
}

size_t fsnvm_pmem_read(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	return 0;
}

/* ThreadSanitizer's own annotations (libtsan). */
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);

/*
 * A lockless load may copy a frame the balancer is recycling: by design,
 * as it then sees the frame's generation change and retries.  TSan is told
 * to ignore these reads only; every write to the media is still checked.
 */
size_t fsnvm_pmem_read_optimistic(void *dst, const void *src, size_t len)
{
	AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
	memcpy(dst, src, len);
	AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
	return 0;
}
