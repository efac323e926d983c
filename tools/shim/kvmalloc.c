// SPDX-License-Identifier: GPL-2.0
/*
 * kvcalloc() for the userspace engine, backed as the kernel's is: since
 * Linux 5.18 kvmalloc() maps a large allocation with huge pages
 * (VM_ALLOW_HUGE_VMAP).  With calloc()'s 4 KiB pages, the first touch of
 * the engine's DRAM (hundreds of MiB for a large namespace) costs a page
 * fault per 4 KiB, which no kernel attach pays and which would dominate
 * a measurement of it.  A large allocation is therefore aligned to a
 * huge page and advised to use them (transparent huge pages in "madvise"
 * mode, Debian's default); free() releases either kind.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fsnvm_platform.h"

#define FSNVM_HUGE_BYTES (2UL << 20)

void *fsnvm_kvcalloc(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	if (bytes < FSNVM_HUGE_BYTES)
		return calloc(n, size);
	bytes = (bytes + FSNVM_HUGE_BYTES - 1) & ~(FSNVM_HUGE_BYTES - 1);
	if (posix_memalign(&p, FSNVM_HUGE_BYTES, bytes))
		return NULL;
	madvise(p, bytes, MADV_HUGEPAGE);	/* a hint: 4 KiB pages work too */
	memset(p, 0, bytes);
	return p;
}
