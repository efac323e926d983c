// SPDX-License-Identifier: GPL-2.0
/*
 * The formatter: writes a new superblock pair and an empty index (the
 * order is fsnvm_format.h's).  Userspace only (fsnvmctl, tests): the
 * kernel reads and repairs formats but never makes one, so Kbuild leaves
 * this file out.
 */
#include "fsnvm_mkfs.h"

void fsnvm_super_build(struct fsnvm_super *sb, const struct fsnvm_geometry *geo,
		       const u8 uuid[16], u64 format_time)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = cpu_to_le64(FSNVM_MAGIC);
	sb->version = cpu_to_le32(FSNVM_VERSION);
	sb->sb_bytes = cpu_to_le32(sizeof(*sb));
	sb->compat = cpu_to_le64(geo->compat);
	memcpy(sb->uuid, uuid, sizeof(sb->uuid));
	sb->page_size = cpu_to_le32(geo->page_size);
	sb->entry_bytes = cpu_to_le32(FSNVM_ENTRY_BYTES);
	sb->device_bytes = cpu_to_le64(geo->device_bytes);
	sb->nr_frames = cpu_to_le64(geo->nr_frames);
	sb->index_offset = cpu_to_le64(geo->index_offset);
	sb->data_offset = cpu_to_le64(geo->data_offset);
	sb->format_time = cpu_to_le64(format_time);
	fsnvm_super_seal(sb);
}

/* Zero [from, to) of the superblock region. */
static void fsnvm_zero_region(void *base, u64 from, u64 to)
{
	static const u8 zero[256];
	u64 n;

	for (; from < to; from += n) {
		n = to - from < sizeof(zero) ? to - from : sizeof(zero);
		fsnvm_pmem_copy((u8 *)base + from, zero, n);
	}
}

/*
 * The write order is the one of fsnvm_format.h: entries (with the wear
 * they keep) under the old superblock, then the backup, then the primary.
 * The region around the two copies is zeroed in the first step: it holds
 * nothing of the old format, and no old signature (swap, a filesystem)
 * survives there.
 */
void fsnvm_format(void *base, const struct fsnvm_geometry *geo,
		  const u8 uuid[16], u64 format_time,
		  u64 (*wear_of)(void *ctx, u64 frame), void *ctx)
{
	struct fsnvm_geometry g = *geo;
	struct fsnvm_super sb;
	struct fsnvm_entry ent;
	u64 f;

	for (f = 0; f < g.nr_frames; f++) {
		memset(&ent, 0, sizeof(ent));
		ent.wear = cpu_to_le64(wear_of ? wear_of(ctx, f) : 0);
		fsnvm_entry_seal(&ent);
		fsnvm_pmem_copy(fsnvm_entry_at(base, &g, f), &ent, sizeof(ent));
	}
	fsnvm_zero_region(base, sizeof(sb), FSNVM_SUPER_BACKUP);
	fsnvm_zero_region(base, FSNVM_SUPER_BACKUP + sizeof(sb),
			  FSNVM_SUPER_BYTES);
	fsnvm_pmem_fence();

	g.compat |= FSNVM_COMPAT_BACKUP_SB;
	fsnvm_super_build(&sb, &g, uuid, format_time);
	fsnvm_super_write(base, FSNVM_SB_BACKUP, &sb);
	fsnvm_super_write(base, FSNVM_SB_PRIMARY, &sb);
}
