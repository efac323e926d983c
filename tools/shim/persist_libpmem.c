// SPDX-License-Identifier: GPL-2.0
/* Persistence primitives of the userspace build, on PMDK's libpmem. */
#include <libpmem.h>
#include <setjmp.h>

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
 * Userspace has no machine-check-safe copy: a read of a poisoned line, or
 * of a page the block device cannot read (its page cache reads 4 KiB
 * pages, and a bad block fails the whole page), raises SIGBUS.  A read
 * made here reports it as the kernel's copy_mc_to_kernel() does, by the
 * bytes not copied, when the program's SIGBUS handler (SA_NODEFER) calls
 * fsnvm_pmem_read_fault(); without one, SIGBUS kills the process, which
 * is the documented libpmem behaviour.
 */
/* volatile: the copy may fault, which the compiler cannot know. */
static __thread sigjmp_buf *volatile fsnvm_read_jmp;

void fsnvm_pmem_read_fault(void)
{
	sigjmp_buf *jb = fsnvm_read_jmp;

	if (jb) {
		fsnvm_read_jmp = NULL;
		siglongjmp(*jb, 1);
	}
}

size_t fsnvm_pmem_read(void *dst, const void *src, size_t len)
{
	volatile size_t want = len;
	sigjmp_buf jb;

	if (sigsetjmp(jb, 0))
		return want;	/* the copy may have stopped anywhere */
	fsnvm_read_jmp = &jb;
	memcpy(dst, src, len);
	fsnvm_read_jmp = NULL;
	return 0;
}

size_t fsnvm_pmem_read_optimistic(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	return 0;
}
