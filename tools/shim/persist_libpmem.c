// SPDX-License-Identifier: GPL-2.0
/* Persistence primitives of the userspace build, on PMDK's libpmem. */
#include <libpmem.h>

#include "fsnvm_platform.h"

/*
 * Non-temporal stores for every size, as the kernel's memcpy_flushcache()
 * does: a small entry write then costs no read-for-ownership of its line.
 */
void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	pmem_memcpy(dst, src, len, PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN);
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

size_t fsnvm_pmem_read_optimistic(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	return 0;
}
