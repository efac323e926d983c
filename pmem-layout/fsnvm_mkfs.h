/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Making a new format (fsnvm_mkfs.c): userspace only.
 */
#ifndef FSNVM_MKFS_H
#define FSNVM_MKFS_H

#include "fsnvm_layout.h"

void fsnvm_super_build(struct fsnvm_super *sb, const struct fsnvm_geometry *geo,
		       const u8 uuid[16], u64 format_time);

/*
 * Write an empty index, then the backup superblock, then the primary
 * (fsnvm_format.h gives the order and why): a format interrupted at any
 * fence leaves the old format or the new one, with every frame's wear.
 * wear_of, when given, supplies each frame's previous wear (--keep-wear).
 * The new format has a backup superblock whatever geo->compat says.
 */
void fsnvm_format(void *base, const struct fsnvm_geometry *geo,
		  const u8 uuid[16], u64 format_time,
		  u64 (*wear_of)(void *ctx, u64 frame), void *ctx);

#endif /* FSNVM_MKFS_H */
