// SPDX-License-Identifier: GPL-2.0
/*
 * Bad media: every kind of unusable image gets its own status (and errno),
 * and checking it changes nothing.  Also the geometry for small and odd
 * sizes, and the DRAM budget (<= 0.5% of the namespace).
 */
#include "test_util.h"

static void *copy_of(const void *img, u64 bytes)
{
	void *c = aligned_alloc(4096, (bytes + 4096) / 4096 * 4096);

	CHECK(c, "oom");
	memcpy(c, img, bytes);
	return c;
}

static void expect(void *img, u64 bytes, enum fsnvm_media_status want,
		   const char *what)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = fsnvm_engine_open(img, bytes, &st);
	void *before = copy_of(img, bytes);

	CHECK(st == want, "%s: got '%s', want '%s'", what, fsnvm_media_str(st),
	      fsnvm_media_str(want));
	CHECK((e != NULL) == (want == FSNVM_MEDIA_OK), "%s: engine", what);
	fsnvm_engine_close(e);
	CHECK(!memcmp(before, img, bytes), "%s: image modified", what);
	free(before);
	printf("ok: %-28s -> %s (errno %d)\n", what, fsnvm_media_str(st),
	       fsnvm_media_errno(st));
}

/* The primary's problem, in words, starts with want. */
static void says(const void *img, u64 bytes, const char *want)
{
	struct fsnvm_super_problem why;
	struct fsnvm_geometry geo;
	char msg[256];

	fsnvm_super_check_why(img, bytes, &geo, &why);
	fsnvm_super_problem_str(&why, msg, sizeof(msg));
	CHECK(!strncmp(msg, want, strlen(want)), "said '%s', want '%s'", msg,
	      want);
	printf("ok: says '%s'\n", msg);
}

/*
 * The image opens with the backup, naming the primary's damage; repair
 * rewrites the primary, which then opens alone.
 */
static void backup_used(void *img, u64 bytes, enum fsnvm_media_status why,
			const char *field)
{
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;
	struct fsnvm_super sb;

	CHECK(fsnvm_super_pick(img, bytes, &sb, &geo, &pick) == FSNVM_MEDIA_OK &&
	      pick.used == FSNVM_SB_BACKUP && pick.primary.status == why &&
	      !strcmp(pick.primary.field, field), "backup not used");
	CHECK(fsnvm_super_repair(img, &sb, &pick) == FSNVM_SB_PRIMARY,
	      "primary not repaired");
	CHECK(fsnvm_super_check(img, bytes, &geo) == FSNVM_MEDIA_OK &&
	      !memcmp(img, (u8 *)img + FSNVM_SUPER_BACKUP, sizeof(sb)),
	      "primary not restored");
	CHECK(fsnvm_super_pick(img, bytes, &sb, &geo, &pick) == FSNVM_MEDIA_OK &&
	      pick.used == FSNVM_SB_PRIMARY && !pick.backup_differs &&
	      pick.backup.status == FSNVM_MEDIA_OK, "repair incomplete");
	printf("ok: backup used for a bad %s, primary repaired\n", field);
	/* Damage it again for the caller's next step. */
	((u8 *)img)[70] ^= 0x10;
}

static void backup_repaired(void *img, u64 bytes, bool stale)
{
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;
	struct fsnvm_super sb;

	CHECK(fsnvm_super_pick(img, bytes, &sb, &geo, &pick) == FSNVM_MEDIA_OK &&
	      pick.used == FSNVM_SB_PRIMARY &&
	      pick.backup_differs == stale &&
	      (pick.backup.status == FSNVM_MEDIA_OK) == stale,
	      "backup state not seen");
	CHECK(fsnvm_super_repair(img, &sb, &pick) == FSNVM_SB_BACKUP,
	      "backup not repaired");
	CHECK(!memcmp(img, (u8 *)img + FSNVM_SUPER_BACKUP, sizeof(sb)),
	      "backup not restored");
	printf("ok: %s backup seen and repaired\n", stale ? "a stale" : "a damaged");
}

static void resign(struct fsnvm_super *sb)
{
	sb->crc = cpu_to_le32(fsnvm_super_crc(sb));
}

/*
 * A format without a backup copy gains one at its first attach that
 * releases pages: the pick then says the backup is good, so the bind
 * neither reports it unusable nor rewrites it again (the kernel's
 * fsnvm_super_fixup() reads the pick after the recovery).
 */
static void backup_gained(u64 bytes)
{
	void *img = make_image(bytes, 0);
	static u8 page[FSNVM_PAGE_SIZE];
	const struct fsnvm_super_pick *pick;
	struct fsnvm_super *sb = img;
	struct fsnvm_engine *e = attach(img, bytes);

	fill_page(page, 1, 1);
	CHECK(fsnvm_store(e, 0, 1, page) == 0, "store");
	fsnvm_engine_close(e);
	memset((u8 *)img + FSNVM_SUPER_BACKUP, 0, sizeof(*sb));
	sb->compat &= ~cpu_to_le64(FSNVM_COMPAT_BACKUP_SB);
	resign(sb);
	e = attach(img, bytes);
	pick = fsnvm_engine_super_pick(e);
	CHECK(le64_to_cpu(fsnvm_engine_super(e)->compat) &
	      FSNVM_COMPAT_BACKUP_SB, "no backup gained");
	CHECK(!memcmp(img, (u8 *)img + FSNVM_SUPER_BACKUP, sizeof(*sb)),
	      "backup not written");
	CHECK(pick->backup.status == FSNVM_MEDIA_OK && !pick->backup_differs,
	      "the backup just written reported unusable: %s",
	      fsnvm_media_str(pick->backup.status));
	CHECK(fsnvm_super_repair(img, fsnvm_engine_super(e), pick) ==
	      FSNVM_SB_NONE, "the backup just written rewritten again");
	fsnvm_engine_close(e);
	printf("ok: a format without a backup gains one at its first attach, reported good\n");
	free(img);
}

int main(void)
{
	const u64 bytes = 2 * 1024 * 1024;
	void *good = make_image(bytes, 0), *img;
	struct fsnvm_geometry geo;
	struct fsnvm_super *sb;

	expect(good, bytes, FSNVM_MEDIA_OK, "good image");
	expect(good, 0, FSNVM_MEDIA_TOO_SMALL, "zero length");
	expect(good, 100, FSNVM_MEDIA_TOO_SMALL, "truncated below superblock");
	expect(good, bytes - 4096, FSNVM_MEDIA_BAD_GEOMETRY, "truncated image");

	img = copy_of(good, bytes);
	memset(img, 0, 4096);
	expect(img, bytes, FSNVM_MEDIA_BAD_MAGIC, "unformatted (zeroes)");
	memcpy(img, "\x7f" "ELF", 4);
	expect(img, bytes, FSNVM_MEDIA_BAD_MAGIC, "foreign signature");
	free(img);

	img = copy_of(good, bytes);
	sb = img;
	sb->version = cpu_to_le32(FSNVM_VERSION + 1);
	resign(sb);
	expect(img, bytes, FSNVM_MEDIA_BAD_VERSION, "future version");
	free(img);

	img = copy_of(good, bytes);
	sb = img;
	sb->incompat = cpu_to_le64(1ULL << 40);
	resign(sb);
	expect(img, bytes, FSNVM_MEDIA_BAD_FEATURES, "unknown incompat feature");
	free(img);

	/* One flipped bit: the backup superblock stands in. */
	img = copy_of(good, bytes);
	((u8 *)img)[70] ^= 0x10;	/* a bit of nr_frames... */
	expect(img, bytes, FSNVM_MEDIA_OK, "flipped bit (backup used)");
	backup_used(img, bytes, FSNVM_MEDIA_BAD_CRC, "crc");
	memset((u8 *)img + FSNVM_SUPER_BACKUP, 0, 256);
	expect(img, bytes, FSNVM_MEDIA_BAD_CRC, "flipped bit, no backup");
	free(img);
	img = copy_of(good, bytes);
	((u8 *)img)[3] ^= 0x04;		/* ...and of the magic */
	expect(img, bytes, FSNVM_MEDIA_OK, "flipped magic bit (backup used)");
	backup_used(img, bytes, FSNVM_MEDIA_BAD_MAGIC, "magic");
	free(img);
	/* A damaged or stale backup: the primary is used, the backup repaired. */
	img = copy_of(good, bytes);
	((u8 *)img)[FSNVM_SUPER_BACKUP + 70] ^= 0x10;
	expect(img, bytes, FSNVM_MEDIA_OK, "flipped bit in the backup");
	backup_repaired(img, bytes, false);
	sb = img;
	sb->format_time = cpu_to_le64(12345);
	resign(sb);
	backup_repaired(img, bytes, true);
	free(img);
	backup_gained(bytes);
	/* A primary overwritten by another tool is not ours: no backup. */
	img = copy_of(good, bytes);
	memset(img, 0, 256);
	expect(img, bytes, FSNVM_MEDIA_BAD_MAGIC, "primary zeroed, backup kept");
	free(img);

	img = copy_of(good, bytes);
	sb = img;
	sb->nr_frames = cpu_to_le64(le64_to_cpu(sb->nr_frames) + 1);
	resign(sb);
	expect(img, bytes, FSNVM_MEDIA_BAD_GEOMETRY, "geometry lie, crc ok");
	says(img, bytes, "superblock geometry does not match the device: nr_frames 504 does not fit a device of 2097152 bytes: at most 503");
	sb->nr_frames = cpu_to_le64(le64_to_cpu(sb->nr_frames) - 1);
	sb->version = cpu_to_le32(0);
	resign(sb);
	says(img, bytes, "superblock geometry does not match the device: version 0, expected 1");
	sb->version = cpu_to_le32(7);
	resign(sb);
	says(img, bytes, "format version newer than this code: version 7, this code reads version 1");
	sb->version = cpu_to_le32(1);
	sb->crc = cpu_to_le32(0x12345678);
	says(img, bytes, "superblock checksum mismatch (corrupt): stored crc 0x12345678, computed 0x");
	resign(sb);
	says(img, bytes - 4096, "superblock geometry does not match the device: device_bytes 2097152, but the device has 2093056 bytes (resized since the format?)");
	free(img);

	/* Geometry: the minimum, odd sizes, and everything fits. */
	CHECK(fsnvm_geometry_for_size(FSNVM_MIN_DEVICE_BYTES - 1, &geo) ==
	      FSNVM_MEDIA_TOO_SMALL, "below 1 MiB accepted");
	for (u64 size = FSNVM_MIN_DEVICE_BYTES; size < 64ULL << 20;
	     size = size * 3 / 2 + 4093) {
		CHECK(fsnvm_geometry_for_size(size, &geo) == FSNVM_MEDIA_OK, "size");
		CHECK(geo.nr_frames > 0 && geo.data_offset % 4096 == 0 &&
		      geo.index_offset + geo.nr_frames * FSNVM_ENTRY_BYTES <=
		      geo.data_offset &&
		      geo.data_offset + geo.nr_frames * geo.page_size <= size,
		      "geometry of %llu does not fit", (unsigned long long)size);
		/* no room left for one more frame */
		CHECK(size - (geo.data_offset + geo.nr_frames * 4096) <
		      4096 + FSNVM_ENTRY_BYTES + 4096, "wasted space");
	}
	CHECK(fsnvm_geometry_for_size(1ULL << 20, &geo) == FSNVM_MEDIA_OK &&
	      geo.nr_frames == 251, "1 MiB holds %llu frames",
	      (unsigned long long)geo.nr_frames);

	/*
	 * DRAM per frame: state byte, generation, pool link, type byte,
	 * 1.25 map slots.
	 */
	{
		double per_frame = 1 + 4 + 4 + 1 +
				   1.25 * sizeof(struct fsnvm_keymap_slot);
		double pct = per_frame / (4096 + FSNVM_ENTRY_BYTES) * 100;

		CHECK(pct <= 0.5, "DRAM overhead %.3f%%", pct);
		printf("ok: DRAM overhead %.1f bytes per frame = %.3f%% of pmem\n",
		       per_frame, pct);
	}
	free(good);
	printf("media: all bad images refused with their own status\n");
	return 0;
}
