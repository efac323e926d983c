// SPDX-License-Identifier: GPL-2.0
/* Persistence primitives of the userspace build, on PMDK's libpmem. */
#include <libpmem.h>

#include "fsnvm_platform.h"

void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	pmem_memcpy_nodrain(dst, src, len);
}

void fsnvm_pmem_fence(void)
{
	pmem_drain();
}

/*
 * Userspace has no machine-check recovery: a poisoned line kills the
 * process with SIGBUS, which is the documented libpmem behaviour.
 */
size_t fsnvm_pmem_read(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	return 0;
}
