# SPDX-License-Identifier: GPL-2.0
# Feature probes for fsnvm_compat.h, included by the front ends' Kbuild
# files: what the kernel's own headers declare, not its version number,
# so that a kernel with a change backported builds the way its headers
# need.  Each FSNVM_ feature becomes 1 or 0.
fsnvm_blkdev_h := $(srctree)/include/linux/blkdev.h
$(if $(wildcard $(fsnvm_blkdev_h)),,$(error fsnvm: $(fsnvm_blkdev_h) missing: not a kernel source or headers tree))
# fsnvm_has,STRING: 1 if blkdev.h has STRING, else 0.
fsnvm_has = $(if $(shell grep -qF -e '$(1)' $(fsnvm_blkdev_h) && echo y),1,0)

# block_device_operations.rw_page (6.3 removed it).
fsnvm_rw_page := (*rw_page)
# ->open(struct gendisk *, blk_mode_t) (6.5; before: struct block_device *).
fsnvm_open_gendisk := (*open)(struct gendisk *
# Exclusive opens return a struct file (6.9).
fsnvm_bdev_file := bdev_file_open_by_path
# Queue limits and features are set when the disk is allocated (6.11).
fsnvm_queue_limits := BLK_FEAT_SYNCHRONOUS

ccflags-y += -DFSNVM_HAVE_RW_PAGE=$(call fsnvm_has,$(fsnvm_rw_page)) \
	     -DFSNVM_OPEN_GENDISK=$(call fsnvm_has,$(fsnvm_open_gendisk)) \
	     -DFSNVM_BDEV_FILE=$(call fsnvm_has,$(fsnvm_bdev_file)) \
	     -DFSNVM_QUEUE_LIMITS=$(call fsnvm_has,$(fsnvm_queue_limits))
