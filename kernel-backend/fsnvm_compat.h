/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels the front ends build for: the
 * frontswap backend for 6.1 (built in), the swap device module for
 * Debian's 6.1 and 6.12.  The only place a kernel version is named;
 * the code tests these features.
 */
#ifndef FSNVM_COMPAT_H
#define FSNVM_COMPAT_H

#include <linux/version.h>

/* 6.3 removed block_device_operations.rw_page. */
#define FSNVM_HAVE_RW_PAGE (LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0))
/* 6.5: ->open(struct gendisk *, blk_mode_t), ->release(struct gendisk *). */
#define FSNVM_OPEN_GENDISK (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0))
/* 6.9: exclusive opens return a struct file (bdev_file_open_by_path()). */
#define FSNVM_BDEV_FILE (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0))
/* 6.11: queue limits and features are set when the disk is allocated. */
#define FSNVM_QUEUE_LIMITS (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0))

#endif /* FSNVM_COMPAT_H */
