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
	[FSNVM_MEDIA_NO_MEMORY] = "out of memory for the engine's state",
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
	case FSNVM_MEDIA_NO_MEMORY:
		return -ENOMEM;
	}
	return -EINVAL;
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
	       round_up(n * FSNVM_ENTRY_BYTES, page) + n * page > device_bytes)
		n--;
	if (n > FSNVM_MAX_FRAMES)
		return FSNVM_MEDIA_TOO_LARGE;
	memset(geo, 0, sizeof(*geo));
	geo->device_bytes = device_bytes;
	geo->nr_frames = n;
	geo->page_size = FSNVM_PAGE_SIZE;
	geo->index_offset = FSNVM_SUPER_BYTES;
	geo->data_offset = FSNVM_SUPER_BYTES +
			   round_up(n * FSNVM_ENTRY_BYTES, page);
	return FSNVM_MEDIA_OK;
}

u32 fsnvm_super_crc(const struct fsnvm_super *sb)
{
	return crc32c(~0U, sb, offsetof(struct fsnvm_super, crc));
}

/* No problem yet, on a device of device_bytes. */
static void fsnvm_super_problem_reset(struct fsnvm_super_problem *why,
				      u64 device_bytes)
{
	memset(why, 0, sizeof(*why));
	why->device_bytes = device_bytes;
}

static enum fsnvm_media_status fsnvm_super_bad(struct fsnvm_super_problem *why,
					       enum fsnvm_media_status st,
					       const char *field, u64 found,
					       u64 expected)
{
	if (why) {
		why->status = st;
		why->field = field;
		why->found = found;
		why->expected = expected;
	}
	return st;
}

/* A geometry field: the value the device's size gives. */
static bool fsnvm_super_field_bad(struct fsnvm_super_problem *why,
				  const char *field, u64 found, u64 expected)
{
	if (found == expected)
		return false;
	fsnvm_super_bad(why, FSNVM_MEDIA_BAD_GEOMETRY, field, found, expected);
	if (why)
		why->at_most = found > expected;
	return true;
}

/*
 * Order of checks: identity first (magic, version, features), then
 * integrity (crc), then agreement with the device.  A device that simply
 * grew is refused too: the index was sized for the old size.
 */
enum fsnvm_media_status fsnvm_super_check_why(const struct fsnvm_super *sb,
					      u64 device_bytes,
					      struct fsnvm_geometry *geo,
					      struct fsnvm_super_problem *why)
{
	struct fsnvm_geometry want;
	u64 incompat = le64_to_cpu(sb->incompat);
	u32 crc = fsnvm_super_crc(sb);

	if (why)
		fsnvm_super_problem_reset(why, device_bytes);
	if (device_bytes < sizeof(*sb))
		return fsnvm_super_bad(why, FSNVM_MEDIA_TOO_SMALL,
				       "device size", device_bytes,
				       FSNVM_MIN_DEVICE_BYTES);
	if (le64_to_cpu(sb->magic) != FSNVM_MAGIC)
		return fsnvm_super_bad(why, FSNVM_MEDIA_BAD_MAGIC, "magic",
				       le64_to_cpu(sb->magic), FSNVM_MAGIC);
	if (le32_to_cpu(sb->version) > FSNVM_VERSION)
		return fsnvm_super_bad(why, FSNVM_MEDIA_BAD_VERSION, "version",
				       le32_to_cpu(sb->version), FSNVM_VERSION);
	if (incompat & ~FSNVM_INCOMPAT_KNOWN)
		return fsnvm_super_bad(why, FSNVM_MEDIA_BAD_FEATURES,
				       "incompat", incompat,
				       FSNVM_INCOMPAT_KNOWN);
	if (le32_to_cpu(sb->crc) != crc)
		return fsnvm_super_bad(why, FSNVM_MEDIA_BAD_CRC, "crc",
				       le32_to_cpu(sb->crc), crc);
	if (fsnvm_super_field_bad(why, "device_bytes",
				  le64_to_cpu(sb->device_bytes), device_bytes))
		return FSNVM_MEDIA_BAD_GEOMETRY;
	if (fsnvm_geometry_for_size(device_bytes, &want) != FSNVM_MEDIA_OK)
		return fsnvm_super_bad(why, FSNVM_MEDIA_BAD_GEOMETRY,
				       "device size", device_bytes,
				       FSNVM_MIN_DEVICE_BYTES);
	if (fsnvm_super_field_bad(why, "version", le32_to_cpu(sb->version),
				  FSNVM_VERSION) ||
	    fsnvm_super_field_bad(why, "sb_bytes", le32_to_cpu(sb->sb_bytes),
				  sizeof(*sb)) ||
	    fsnvm_super_field_bad(why, "page_size", le32_to_cpu(sb->page_size),
				  want.page_size) ||
	    fsnvm_super_field_bad(why, "entry_bytes",
				  le32_to_cpu(sb->entry_bytes),
				  FSNVM_ENTRY_BYTES) ||
	    fsnvm_super_field_bad(why, "nr_frames", le64_to_cpu(sb->nr_frames),
				  want.nr_frames) ||
	    fsnvm_super_field_bad(why, "index_offset",
				  le64_to_cpu(sb->index_offset),
				  want.index_offset) ||
	    fsnvm_super_field_bad(why, "data_offset",
				  le64_to_cpu(sb->data_offset),
				  want.data_offset))
		return FSNVM_MEDIA_BAD_GEOMETRY;
	*geo = want;
	geo->compat = le64_to_cpu(sb->compat);
	return FSNVM_MEDIA_OK;
}

void fsnvm_super_problem_str(const struct fsnvm_super_problem *p, char *buf,
			     size_t len)
{
	const char *what = fsnvm_media_str(p->status);
	unsigned long long found = p->found, want = p->expected;
	unsigned long long dev = p->device_bytes;

	switch (p->status) {
	case FSNVM_MEDIA_TOO_SMALL:
		snprintf(buf, len, "%s: the device has %llu bytes", what, found);
		break;
	case FSNVM_MEDIA_TOO_LARGE:
		snprintf(buf, len, "%s: %llu bytes", what, found);
		break;
	case FSNVM_MEDIA_BAD_MAGIC:
		snprintf(buf, len, "%s: magic 0x%016llx, expected 0x%016llx",
			 what, found, want);
		break;
	case FSNVM_MEDIA_BAD_VERSION:
		snprintf(buf, len,
			 "%s: version %llu, this code reads version %llu", what,
			 found, want);
		break;
	case FSNVM_MEDIA_BAD_FEATURES:
		snprintf(buf, len, "%s: %s 0x%llx, known 0x%llx", what,
			 p->field ? p->field : "incompat", found, want);
		break;
	case FSNVM_MEDIA_BAD_CRC:
		snprintf(buf, len, "%s: stored crc 0x%08llx, computed 0x%08llx",
			 what, found, want);
		break;
	case FSNVM_MEDIA_BAD_GEOMETRY:
		if (p->field && !strcmp(p->field, "device_bytes"))
			snprintf(buf, len,
				 "%s: device_bytes %llu, but the device has %llu bytes (resized since the format?)",
				 what, found, dev);
		else if (p->field && !strcmp(p->field, "device size"))
			snprintf(buf, len,
				 "%s: a device of %llu bytes cannot hold the format (at least %llu bytes, at most 2^31 frames)",
				 what, found, want);
		else if (p->field && (!strcmp(p->field, "version") ||
				      !strcmp(p->field, "sb_bytes") ||
				      !strcmp(p->field, "page_size") ||
				      !strcmp(p->field, "entry_bytes")))
			snprintf(buf, len, "%s: %s %llu, expected %llu", what,
				 p->field, found, want);
		else
			snprintf(buf, len,
				 "%s: %s %llu does not fit a device of %llu bytes: %s %llu",
				 what, p->field ? p->field : "?", found, dev,
				 p->at_most ? "at most" : "expected", want);
		break;
	default:
		snprintf(buf, len, "%s", what);
	}
}

/* Read one copy and check it; its status. */
static enum fsnvm_media_status fsnvm_super_read(const void *base, u64 off,
						u64 device_bytes,
						struct fsnvm_super *sb,
						struct fsnvm_geometry *geo,
						struct fsnvm_super_problem *why)
{
	fsnvm_super_problem_reset(why, device_bytes);
	if (device_bytes < off + sizeof(*sb))
		return fsnvm_super_bad(why, FSNVM_MEDIA_TOO_SMALL,
				       "device size", device_bytes,
				       FSNVM_MIN_DEVICE_BYTES);
	if (fsnvm_pmem_read(sb, (const u8 *)base + off, sizeof(*sb)))
		return fsnvm_super_bad(why, FSNVM_MEDIA_IO_ERROR, NULL, 0, 0);
	return fsnvm_super_check_why(sb, device_bytes, geo, why);
}

/*
 * The primary is ours but damaged when it cannot be read, or when its
 * crc is wrong and its magic is within a few bits of ours: a flipped bit,
 * or a primary torn by a format cut short (both magics are FSNVM_MAGIC).
 * A random magic comes that near once in about 3 * 10^9.
 */
static bool fsnvm_super_damaged(const struct fsnvm_super *sb,
				const struct fsnvm_super_problem *why)
{
	if (why->status == FSNVM_MEDIA_IO_ERROR)
		return true;
	if (why->status == FSNVM_MEDIA_TOO_SMALL ||
	    why->status == FSNVM_MEDIA_TOO_LARGE)
		return false;
	return hweight64(le64_to_cpu(sb->magic) ^ FSNVM_MAGIC) <=
	       FSNVM_MAGIC_NEAR_BITS &&
	       le32_to_cpu(sb->crc) != fsnvm_super_crc(sb);
}

enum fsnvm_media_status fsnvm_super_pick(const void *base, u64 device_bytes,
					 struct fsnvm_super *sb,
					 struct fsnvm_geometry *geo,
					 struct fsnvm_super_pick *pick)
{
	struct fsnvm_super_pick local;
	struct fsnvm_geometry bgeo;
	struct fsnvm_super bsb;
	enum fsnvm_media_status st, bst;

	if (!pick)
		pick = &local;
	memset(pick, 0, sizeof(*pick));
	st = fsnvm_super_read(base, 0, device_bytes, sb, geo, &pick->primary);
	bst = fsnvm_super_read(base, FSNVM_SUPER_BACKUP, device_bytes, &bsb,
			       &bgeo, &pick->backup);
	if (bst == FSNVM_MEDIA_OK &&
	    !(le64_to_cpu(bsb.compat) & FSNVM_COMPAT_BACKUP_SB))
		bst = fsnvm_super_bad(&pick->backup, FSNVM_MEDIA_BAD_FEATURES,
				      "compat", le64_to_cpu(bsb.compat),
				      FSNVM_COMPAT_BACKUP_SB);
	if (st == FSNVM_MEDIA_OK) {
		pick->used = FSNVM_SB_PRIMARY;
		pick->backup_differs = bst == FSNVM_MEDIA_OK &&
				       memcmp(sb, &bsb, sizeof(bsb));
		return st;
	}
	if (bst == FSNVM_MEDIA_OK && fsnvm_super_damaged(sb, &pick->primary)) {
		pick->used = FSNVM_SB_BACKUP;
		*sb = bsb;
		*geo = bgeo;
		return bst;
	}
	return st;
}

void fsnvm_super_seal(struct fsnvm_super *sb)
{
	sb->crc = cpu_to_le32(fsnvm_super_crc(sb));
}

void fsnvm_super_write(void *base, enum fsnvm_super_copy copy,
		       const struct fsnvm_super *sb)
{
	fsnvm_pmem_copy((u8 *)base + (copy == FSNVM_SB_BACKUP ?
				      FSNVM_SUPER_BACKUP : 0),
			sb, sizeof(*sb));
	fsnvm_pmem_fence();
}

enum fsnvm_super_copy fsnvm_super_repair(void *base,
					 const struct fsnvm_super *sb,
					 const struct fsnvm_super_pick *pick)
{
	enum fsnvm_super_copy fix = FSNVM_SB_NONE;

	if (pick->used == FSNVM_SB_BACKUP &&
	    pick->primary.status != FSNVM_MEDIA_IO_ERROR)
		fix = FSNVM_SB_PRIMARY;
	else if (pick->used == FSNVM_SB_PRIMARY &&
		 (le64_to_cpu(sb->compat) & FSNVM_COMPAT_BACKUP_SB) &&
		 pick->backup.status != FSNVM_MEDIA_IO_ERROR &&
		 (pick->backup.status != FSNVM_MEDIA_OK || pick->backup_differs))
		fix = FSNVM_SB_BACKUP;
	if (fix != FSNVM_SB_NONE)
		fsnvm_super_write(base, fix, sb);
	return fix;
}

int fsnvm_super_set_stale_below(void *base, struct fsnvm_super *sb,
				struct fsnvm_super_pick *pick,
				u64 stale_below)
{
	enum fsnvm_super_copy other = pick->used == FSNVM_SB_BACKUP ?
				      FSNVM_SB_PRIMARY : FSNVM_SB_BACKUP;
	const struct fsnvm_super_problem *other_status =
		other == FSNVM_SB_PRIMARY ? &pick->primary : &pick->backup;

	/* Each copy is rewritten only while the other is good or expendable. */
	if (other_status->status == FSNVM_MEDIA_IO_ERROR)
		return -EIO;
	/*
	 * A format without a backup (then the primary is in use) first gains
	 * one as the superblock stands, then a primary that names it: a crash
	 * in between leaves a backup that says what the primary says.  The
	 * pick then says the backup is good, which it now is: a format
	 * without one is not a damaged backup to report or repair.
	 */
	if (!(le64_to_cpu(sb->compat) & FSNVM_COMPAT_BACKUP_SB)) {
		sb->compat = cpu_to_le64(le64_to_cpu(sb->compat) |
					 FSNVM_COMPAT_BACKUP_SB);
		fsnvm_super_seal(sb);
		fsnvm_super_write(base, FSNVM_SB_BACKUP, sb);
		fsnvm_super_write(base, FSNVM_SB_PRIMARY, sb);
		memset(&pick->backup, 0, sizeof(pick->backup));
		pick->backup.status = FSNVM_MEDIA_OK;
		pick->backup_differs = false;
	}
	sb->incompat = cpu_to_le64(le64_to_cpu(sb->incompat) |
				   FSNVM_INCOMPAT_STALE_BELOW);
	sb->stale_below = cpu_to_le64(stale_below);
	fsnvm_super_seal(sb);
	/* The copy not in use first: torn, the one in use still stands. */
	fsnvm_super_write(base, other, sb);
	fsnvm_super_write(base, pick->used, sb);
	return 0;
}

void fsnvm_entry_seal(struct fsnvm_entry *ent)
{
	ent->crc = cpu_to_le32(crc32c(~0U, ent,
				      offsetof(struct fsnvm_entry, crc)));
}

bool fsnvm_entry_crc_ok(const struct fsnvm_entry *ent)
{
	return le32_to_cpu(ent->crc) ==
	       crc32c(~0U, ent, offsetof(struct fsnvm_entry, crc));
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
	if (le16_to_cpu(ent->writer) > FSNVM_MAX_WRITERS)
		what |= FSNVM_IMPLAUSIBLE_WRITER;
	if (le16_to_cpu(ent->vouch_writer) > FSNVM_MAX_WRITERS)
		what |= FSNVM_IMPLAUSIBLE_VOUCH_WRITER;
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
	return FSNVM_ENTRY_MAPPED;
}
