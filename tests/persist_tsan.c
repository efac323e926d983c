// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence for the ThreadSanitizer build: tests/persist_memcpy.c's plain
 * memcpy, so TSan sees every write to the media (libpmem's copy loops are
 * not instrumented and would hide a race on an index entry), and this
 * lockless-load read.
 */
#include "fsnvm_platform.h"

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
