// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence primitives on plain memory, for the tests that need neither
 * libpmem nor the crash simulator: copies are memcpy, the fence has
 * nothing to wait for, reads never fail.  Each one is weak, so a test
 * replaces just those it makes misbehave (media errors, a race, TSan).
 */
#include "fsnvm_platform.h"

__attribute__((weak)) void fsnvm_pmem_copy(void *dst, const void *src,
					   size_t len)
{
	memcpy(dst, src, len);
}

__attribute__((weak)) void fsnvm_pmem_fence(void)
{
}

__attribute__((weak)) size_t fsnvm_pmem_read(void *dst, const void *src,
					     size_t len)
{
	memcpy(dst, src, len);
	return 0;
}

__attribute__((weak)) size_t fsnvm_pmem_read_optimistic(void *dst,
							const void *src,
							size_t len)
{
	return fsnvm_pmem_read(dst, src, len);
}
