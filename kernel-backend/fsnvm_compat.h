/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels the front ends build for: the
 * frontswap backend for 6.1 (built in), the swap device module for
 * Debian's 6.1 and 6.12.  Each is a feature the kernel's headers are
 * probed for at build time (fsnvm_compat.mk), 1 or 0, not a version
 * test: a backport changes the probe's answer too.
 *
 * FSNVM_HAVE_RW_PAGE	block_device_operations.rw_page (gone in 6.3)
 * FSNVM_OPEN_GENDISK	->open(struct gendisk *, blk_mode_t) (6.5)
 * FSNVM_BDEV_FILE	exclusive opens return a struct file (6.9)
 * FSNVM_QUEUE_LIMITS	limits and features given at disk allocation (6.11)
 */
#ifndef FSNVM_COMPAT_H
#define FSNVM_COMPAT_H

#if !defined(FSNVM_HAVE_RW_PAGE) || !defined(FSNVM_OPEN_GENDISK) || \
	!defined(FSNVM_BDEV_FILE) || !defined(FSNVM_QUEUE_LIMITS)
#error "fsnvm_compat.mk's probes did not run: include it from the Kbuild file"
#endif

#endif /* FSNVM_COMPAT_H */
