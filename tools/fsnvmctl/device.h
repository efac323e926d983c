/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening what fsnvmctl works on: an image file, an fsdax namespace's
 * block device (/dev/pmemN) or a devdax character device (/dev/daxN.M).
 * Read-only opens map the whole device with PROT_READ; write opens map it
 * writable (devdax through libpmem) and dev_persist() makes the writes
 * durable where libpmem's flushes are not enough.
 */
#ifndef FSNVMCTL_DEVICE_H
#define FSNVMCTL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * This is the operating-system side only (files, block and DAX devices,
 * sysfs); it knows nothing of the format.  The format side of an opened
 * device (superblock status, bad frames) is in media.h.
 */

enum dev_kind { DEV_FILE, DEV_BLOCK, DEV_DAX };

struct dev {
	const char *path;
	enum dev_kind kind;
	int fd;			/* -1 for devdax mapped by libpmem */
	bool writable;
	bool libpmem_map;	/* unmap with pmem_unmap() */
	bool is_pmem;		/* libpmem: the mapping is real pmem */
	void *base;		/* NULL when bytes == 0 */
	uint64_t bytes;
	dev_t rdev;		/* block and dax devices */
	char err[160];		/* why dev_open() failed */
};

/* 0, or -1 with d->err set ("No such file or directory", ...). */
int dev_open(struct dev *d, const char *path, bool writable);
void dev_close(struct dev *d);
/* Make everything written to the mapping durable; 0 or -1 with errno. */
int dev_persist(struct dev *d);
const char *dev_kind_str(enum dev_kind kind);

/*
 * Call range(ctx, start, end) for every byte range [start, end) on the
 * device's badblocks list (block devices, from sysfs); nothing for files
 * and devdax.
 */
void dev_bad_ranges(const struct dev *d,
		    void (*range)(void *ctx, uint64_t start, uint64_t end),
		    void *ctx);

/*
 * The kernel's front ends of the engine: the frontswap backend (built in)
 * and the swap block device (fsnvm_swap.ko), each with its sysfs
 * directory (docs/ABI/).
 */
enum front_end { FE_FRONTSWAP, FE_SWAPDEV, FE_COUNT };
const char *front_end_name(enum front_end fe);
const char *front_end_sysfs(enum front_end fe);

/*
 * The device a front end is bound to (its sysfs device file), or NULL
 * when it is absent or unbound.  dev_bound_by() compares each with a
 * path by device number, or by name when it cannot be resolved, and
 * gives the front end holding it, FE_COUNT for none.
 */
const char *backend_device(enum front_end fe, char *buf, size_t len);
enum front_end dev_bound_by(const char *path, dev_t rdev);
bool dev_is_bound(const char *path, dev_t rdev);

#endif /* FSNVMCTL_DEVICE_H */
