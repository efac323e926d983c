// SPDX-License-Identifier: GPL-2.0
/*
 * Geometry, superblock and index-entry encoding for frontswap-nvm.
 * See fsnvm_format.h for the layout itself.
 */
#include "fsnvm_layout.h"

static const char * const fsnvm_media_strs[] = {
	[FSNVM_MEDIA_OK] = "ok",
	[FSNVM_MEDIA_TOO_SMALL] = "device too small (needs at least 1 MiB)",
	[FSNVM_MEDIA_TOO_LARGE] = "device too large (more than 2^31 frames)",
	[FSNVM_MEDIA_BAD_MAGIC] = "not formatted for frontswap-nvm (no magic)",
	[FSNVM_MEDIA_BAD_VERSION] = "format version newer than this code",
	[FSNVM_MEDIA_BAD_FEATURES] = "unknown incompatible feature",
	[FSNVM_MEDIA_BAD_CRC] = "superblock checksum mismatch (corrupt)",
	[FSNVM_MEDIA_BAD_GEOMETRY] = "superblock geometry does not match the device",
	[FSNVM_MEDIA_IO_ERROR] = "media error reading the superblock",
};

const char *fsnvm_media_str(enum fsnvm_media_status st)
{
	if ((unsigned int)st >= ARRAY_SIZE(fsnvm_media_strs))
		return "unknown media status";
	return fsnvm_media_strs[st];
}

int fsnvm_media_errno(enum fsnvm_media_status st)
{
	switch (st) {
	case FSNVM_MEDIA_OK:
		return 0;
	case FSNVM_MEDIA_TOO_SMALL:
	case FSNVM_MEDIA_TOO_LARGE:
		return -ENOSPC;
	case FSNVM_MEDIA_BAD_MAGIC:
		return -ENODATA;
	case FSNVM_MEDIA_BAD_VERSION:
	case FSNVM_MEDIA_BAD_FEATURES:
		return -EPROTONOSUPPORT;
	case FSNVM_MEDIA_BAD_CRC:
	case FSNVM_MEDIA_BAD_GEOMETRY:
		return -EUCLEAN;
	case FSNVM_MEDIA_IO_ERROR:
		return -EIO;
	}
	return -EINVAL;
}

static u64 fsnvm_round_up(u64 x, u64 to)
{
	return (x + to - 1) / to * to;
}

/*
 * The largest frame count whose index and data both fit.  Each frame costs
 * page_size + FSNVM_ENTRY_BYTES; the index is padded to a page, so start
 * from the even split and step down at most a page's worth of entries.
 */
enum fsnvm_media_status fsnvm_geometry_for_size(u64 device_bytes,
						struct fsnvm_geometry *geo)
{
	const u64 page = FSNVM_PAGE_SIZE;
	u64 n;

	if (device_bytes < FSNVM_MIN_DEVICE_BYTES)
		return FSNVM_MEDIA_TOO_SMALL;
	n = (device_bytes - FSNVM_SUPER_BYTES) / (page + FSNVM_ENTRY_BYTES);
	while (n && FSNVM_SUPER_BYTES +
	       fsnvm_round_up(n * FSNVM_ENTRY_BYTES, page) + n * page > device_bytes)
		n--;
	if (n > FSNVM_MAX_FRAMES)
		return FSNVM_MEDIA_TOO_LARGE;
	memset(geo, 0, sizeof(*geo));
	geo->device_bytes = device_bytes;
	geo->nr_frames = n;
	geo->page_size = FSNVM_PAGE_SIZE;
	geo->index_offset = FSNVM_SUPER_BYTES;
	geo->data_offset = FSNVM_SUPER_BYTES +
			   fsnvm_round_up(n * FSNVM_ENTRY_BYTES, page);
	return FSNVM_MEDIA_OK;
}

u32 fsnvm_super_crc(const struct fsnvm_super *sb)
{
	return crc32c(~0U, sb, __builtin_offsetof(struct fsnvm_super, crc));
}

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
	sb->crc = cpu_to_le32(fsnvm_super_crc(sb));
}

/*
 * Order of checks: identity first (magic, version, features), then
 * integrity (crc), then agreement with the device.  A device that simply
 * grew is refused too: the index was sized for the old size.
 */
enum fsnvm_media_status fsnvm_super_check(const struct fsnvm_super *sb,
					  u64 device_bytes,
					  struct fsnvm_geometry *geo)
{
	struct fsnvm_geometry want;
	enum fsnvm_media_status st;

	if (device_bytes < sizeof(*sb))
		return FSNVM_MEDIA_TOO_SMALL;
	if (le64_to_cpu(sb->magic) != FSNVM_MAGIC)
		return FSNVM_MEDIA_BAD_MAGIC;
	if (le32_to_cpu(sb->version) > FSNVM_VERSION)
		return FSNVM_MEDIA_BAD_VERSION;
	if (le64_to_cpu(sb->incompat) & ~FSNVM_INCOMPAT_KNOWN)
		return FSNVM_MEDIA_BAD_FEATURES;
	if (le32_to_cpu(sb->crc) != fsnvm_super_crc(sb))
		return FSNVM_MEDIA_BAD_CRC;
	st = fsnvm_geometry_for_size(le64_to_cpu(sb->device_bytes), &want);
	if (st != FSNVM_MEDIA_OK)
		return FSNVM_MEDIA_BAD_GEOMETRY;
	if (le32_to_cpu(sb->version) != FSNVM_VERSION ||
	    le32_to_cpu(sb->sb_bytes) != sizeof(*sb) ||
	    le32_to_cpu(sb->page_size) != want.page_size ||
	    le32_to_cpu(sb->entry_bytes) != FSNVM_ENTRY_BYTES ||
	    le64_to_cpu(sb->nr_frames) != want.nr_frames ||
	    le64_to_cpu(sb->index_offset) != want.index_offset ||
	    le64_to_cpu(sb->data_offset) != want.data_offset ||
	    le64_to_cpu(sb->device_bytes) != device_bytes)
		return FSNVM_MEDIA_BAD_GEOMETRY;
	*geo = want;
	geo->compat = le64_to_cpu(sb->compat);
	return FSNVM_MEDIA_OK;
}

void fsnvm_entry_seal(struct fsnvm_entry *ent)
{
	ent->crc = cpu_to_le32(crc32c(~0U, ent,
				      __builtin_offsetof(struct fsnvm_entry, crc)));
}

bool fsnvm_entry_crc_ok(const struct fsnvm_entry *ent)
{
	return le32_to_cpu(ent->crc) ==
	       crc32c(~0U, ent, __builtin_offsetof(struct fsnvm_entry, crc));
}

unsigned int fsnvm_entry_implausible(const struct fsnvm_entry *ent)
{
	unsigned int what = 0;

	if (le64_to_cpu(ent->wear) > FSNVM_WEAR_MAX)
		what |= FSNVM_IMPLAUSIBLE_WEAR;
	if (le64_to_cpu(ent->seq) > FSNVM_SEQ_MAX)
		what |= FSNVM_IMPLAUSIBLE_SEQ;
	if (le64_to_cpu(ent->vouch_seq) > FSNVM_SEQ_MAX)
		what |= FSNVM_IMPLAUSIBLE_VOUCH_SEQ;
	return what;
}

enum fsnvm_entry_class fsnvm_entry_classify(const struct fsnvm_entry *ent)
{
	u64 key = le64_to_cpu(ent->key);

	if (!fsnvm_entry_crc_ok(ent))
		return FSNVM_ENTRY_TORN;
	if (fsnvm_entry_implausible(ent))	/* free entries too */
		return FSNVM_ENTRY_IMPLAUSIBLE;
	if (!key)
		return FSNVM_ENTRY_FREE;
	if (!(key & FSNVM_KEY_VALID))
		return FSNVM_ENTRY_BAD_KEY;
	if (fsnvm_key_type(key) >= FSNVM_MAX_SWAP_TYPES ||
	    fsnvm_key_offset(key) > FSNVM_MAX_MAP_OFFSET)
		return FSNVM_ENTRY_KEY_RANGE;
	if ((le32_to_cpu(ent->flags) & ~FSNVM_ENT_KNOWN) ||
	    (le32_to_cpu(ent->flags) & FSNVM_ENT_RETIRED))	/* with a key */
		return FSNVM_ENTRY_BAD_FLAGS;
	if (le16_to_cpu(ent->writer) > FSNVM_MAX_WRITERS ||
	    le16_to_cpu(ent->vouch_writer) > FSNVM_MAX_WRITERS)
		return FSNVM_ENTRY_BAD_WRITER;
	return FSNVM_ENTRY_MAPPED;
}

void fsnvm_format(void *base, const struct fsnvm_geometry *geo,
		  const u8 uuid[16], u64 format_time,
		  u64 (*wear_of)(void *ctx, u64 frame), void *ctx)
{
	struct fsnvm_super sb;
	struct fsnvm_entry ent;
	__le64 magic;
	u64 f, off;

	/*
	 * Zero the whole superblock region first: a half-done format is
	 * "none", and no old signature (swap, a filesystem) survives in it.
	 */
	memset(&sb, 0, sizeof(sb));
	for (off = 0; off < FSNVM_SUPER_BYTES; off += sizeof(sb))
		fsnvm_pmem_copy((u8 *)base + off, &sb, sizeof(sb));
	fsnvm_pmem_fence();

	for (f = 0; f < geo->nr_frames; f++) {
		memset(&ent, 0, sizeof(ent));
		ent.wear = cpu_to_le64(wear_of ? wear_of(ctx, f) : 0);
		fsnvm_entry_seal(&ent);
		fsnvm_pmem_copy(fsnvm_entry_at(base, geo, f), &ent, sizeof(ent));
	}
	fsnvm_super_build(&sb, geo, uuid, format_time);
	magic = sb.magic;
	sb.magic = 0;
	fsnvm_pmem_copy(base, &sb, sizeof(sb));
	fsnvm_pmem_fence();
	fsnvm_pmem_copy(base, &magic, sizeof(magic));
	fsnvm_pmem_fence();
}
