// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for fsnvmctl (the scripts in tests/tool/): fills an image file through
 * the engine, and forges damaged entries with valid checksums.
 *
 *   fill_image fill IMG N [--rewrites R] [--balance STEPS] [--dump-wear FILE]
 *	attach the engine to IMG (mmap), store N pages of swap type 0
 *	(one in eight same-filled, fill_page() of test_util.h), rewrite the
 *	first N/10 of them R times (20), invalidate keys [N/2, N/2 + N/10),
 *	store N/20 pages of type 1, run balancer steps, and close leaving
 *	valid entries.  Prints the engine's counters as JSON: what
 *	`fsnvmctl wear/check` must read back from the media.  --dump-wear
 *	writes every frame's wear as a JSON array (an independent oracle for
 *	min/max/percentiles).  Deterministic: same N, same image.
 *
 *   fill_image forge IMG WHAT [FRAME]
 *	damage one thing and print the frame (or "super") it touched.
 *	FRAME is a number, "used" (first frame holding page data), "filled"
 *	(first same-filled one) or "free" (first free one).  WHAT:
 *	  entry-flip      flip a byte of the entry (crc now wrong)
 *	  entry-flags     unknown flag, crc resealed
 *	  entry-range     key offset 2^40, crc resealed
 *	  entry-badkey    key without its valid bit, crc resealed
 *	  entry-wear      wear 2^50, crc resealed
 *	  entry-reserved  a reserved byte set, crc resealed
 *	  entry-writer    a writer id beyond FSNVM_MAX_WRITERS, crc resealed
 *	  entry-uncommitted  written by a writer no entry vouches for
 *	  entry-retired   retired as after a media error (key 0, RETIRED)
 *	  entry-field FRAME FIELD VALUE
 *	                  set one field (key, seq, wear, fill, flags,
 *	                  data_crc, writer, vouch_writer, vouch_seq) to VALUE
 *	                  (any base strtoull takes), crc resealed
 *	  entry-ones      the whole entry 0xff (crc wrong)
 *	  entry-ones-sealed  the same, crc resealed
 *	  dup FRAME       copy the key of the first used frame into FRAME (a
 *	                  free one) with a lower seq: a crash's leftover
 *	  dup-same FRAME  the same with an equal seq
 *	  data-flip       flip a byte of the frame's page data
 *	  super-flip      flip a byte of nr_frames (crc now wrong)
 *	  super-version   version + 1, crc resealed
 *	  super-incompat  an unknown incompatible feature, crc resealed
 *	  super-reserved  a reserved byte set, crc resealed
 *	  super-age SECS  format_time moved SECS into the past, crc resealed,
 *	                  in both superblock copies
 *	  super-time T    format_time set to T, crc resealed, in both copies
 *
 *   fill_image wear IMG
 *	print every frame's wear as a JSON array, straight from the index
 *	(no engine, nothing written).
 *
 *   fill_image hold DEV SECONDS
 *	open a block device O_EXCL (as a mount or swapon would hold it),
 *	print "held", and keep it for SECONDS.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_util.h"

static void *map_image(const char *path, u64 *bytes, int *fd)
{
	void *base;
	off_t end;

	*fd = open(path, O_RDWR);
	CHECK(*fd >= 0, "open %s: %s", path, strerror(errno));
	end = lseek(*fd, 0, SEEK_END);
	CHECK(end > 0, "size of %s", path);
	*bytes = (u64)end;
	base = mmap(NULL, *bytes, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	CHECK(base != MAP_FAILED, "mmap: %s", strerror(errno));
	return base;
}

static void unmap_image(void *base, u64 bytes, int fd)
{
	CHECK(!msync(base, bytes, MS_SYNC), "msync: %s", strerror(errno));
	munmap(base, bytes);
	CHECK(!fsync(fd) && !close(fd), "fsync/close");
}

static void store(struct fsnvm_engine *e, unsigned int type, u64 key,
		  u64 version)
{
	static u8 page[FSNVM_PAGE_SIZE] __attribute__((aligned(64)));

	fill_page(page, key + type * 1000000, version);
	CHECK(fsnvm_store(e, type, key, page) == 0, "store %u/%llu", type,
	      (unsigned long long)key);
}

static int fill(int argc, char **argv)
{
	struct fsnvm_balance_params bp = {
		.threshold = 4, .first_move = 4, .budget = 8, .scan = 256,
	};
	const char *dump = NULL;
	u64 n, bytes, k, steps = 64, rewrites = 20;
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	int fd, i, r;
	void *base;

	CHECK(argc >= 4, "fill IMG N [--rewrites R] [--balance STEPS] [--dump-wear FILE]");
	n = strtoull(argv[3], NULL, 0);
	for (i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--balance"))
			steps = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--rewrites"))
			rewrites = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--dump-wear"))
			dump = argv[i + 1];
	}
	base = map_image(argv[2], &bytes, &fd);
	e = attach(base, bytes);
	for (k = 0; k < n; k++)
		store(e, 0, k, 1);
	for (r = 0; r < (int)rewrites; r++)
		for (k = 0; k < n / 10; k++)
			store(e, 0, k, 2 + r);
	for (k = n / 2; k < n / 2 + n / 10; k++)
		fsnvm_invalidate_page(e, 0, k);
	for (k = 0; k < n / 20; k++)
		store(e, 1, k, 1);
	for (k = 0; k < steps; k++)
		fsnvm_balance_step(e, &bp);
	fsnvm_get_stats(e, &s);
	printf("{\"frames_total\": %llu, \"frames_used\": %llu, \"frames_free\": %llu, "
	       "\"frames_bad\": %llu, \"pages_filled\": %llu, \"wear_sum\": %llu, "
	       "\"wear_max\": %llu, \"data_writes\": %llu, \"migrations\": %llu, "
	       "\"succ_stores\": %llu, \"keys\": %llu}\n",
	       (unsigned long long)s.frames_total, (unsigned long long)s.frames_used,
	       (unsigned long long)s.frames_free, (unsigned long long)s.frames_bad,
	       (unsigned long long)s.pages_filled, (unsigned long long)s.wear_sum,
	       (unsigned long long)s.wear_max, (unsigned long long)s.data_writes,
	       (unsigned long long)s.migrations, (unsigned long long)s.succ_stores,
	       (unsigned long long)(n - n / 10 + n / 20));
	if (dump) {
		FILE *f = fopen(dump, "w");

		CHECK(f, "open %s", dump);
		fputc('[', f);
		for (k = 0; k < e->geo.nr_frames; k++)
			fprintf(f, "%s%llu", k ? "," : "",
				(unsigned long long)fsnvm_entry_wear(e, (u32)k));
		fputs("]\n", f);
		CHECK(!fclose(f), "write %s", dump);
	}
	fsnvm_engine_close(e);
	unmap_image(base, bytes, fd);
	return 0;
}

/* The first frame whose entry matches `what`, or a number. */
static u64 pick(void *base, const struct fsnvm_geometry *geo, const char *what)
{
	u64 f;

	if (what[0] >= '0' && what[0] <= '9')
		return strtoull(what, NULL, 0);
	for (f = 0; f < geo->nr_frames; f++) {
		struct fsnvm_entry *ent = fsnvm_entry_at(base, geo, f);
		bool used = le64_to_cpu(ent->key) & FSNVM_KEY_VALID;
		bool filled = le32_to_cpu(ent->flags) & FSNVM_ENT_FILLED;

		if ((!strcmp(what, "used") && used && !filled) ||
		    (!strcmp(what, "filled") && used && filled) ||
		    (!strcmp(what, "free") && !used))
			return f;
	}
	CHECK(0, "no %s frame", what);
	return 0;
}

/* Set an entry's field by name (the crc is the caller's). */
static void set_field(struct fsnvm_entry *ent, const char *field, u64 v)
{
	if (!strcmp(field, "key"))
		ent->key = cpu_to_le64(v);
	else if (!strcmp(field, "seq"))
		ent->seq = cpu_to_le64(v);
	else if (!strcmp(field, "wear"))
		ent->wear = cpu_to_le64(v);
	else if (!strcmp(field, "fill"))
		ent->fill = cpu_to_le64(v);
	else if (!strcmp(field, "flags"))
		ent->flags = cpu_to_le32((u32)v);
	else if (!strcmp(field, "data_crc"))
		ent->data_crc = cpu_to_le32((u32)v);
	else if (!strcmp(field, "writer"))
		ent->writer = cpu_to_le16((u16)v);
	else if (!strcmp(field, "vouch_writer"))
		ent->vouch_writer = cpu_to_le16((u16)v);
	else if (!strcmp(field, "vouch_seq"))
		ent->vouch_seq = cpu_to_le64(v);
	else
		CHECK(0, "unknown entry field %s", field);
}

static void super_reseal(struct fsnvm_super *sb)
{
	sb->crc = cpu_to_le32(fsnvm_super_crc(sb));
}

static int forge(int argc, char **argv)
{
	struct fsnvm_super *sb;
	struct fsnvm_geometry geo;
	struct fsnvm_entry *ent;
	const char *what;
	u64 bytes, f;
	void *base;
	int fd;

	CHECK(argc >= 4, "forge IMG WHAT [FRAME]");
	what = argv[3];
	base = map_image(argv[2], &bytes, &fd);
	sb = base;
	if (!strncmp(what, "super-", 6)) {
		if (!strcmp(what, "super-flip"))
			((u8 *)base)[72] ^= 0x01;
		else if (!strcmp(what, "super-version"))
			sb->version = cpu_to_le32(le32_to_cpu(sb->version) + 1);
		else if (!strcmp(what, "super-incompat"))
			sb->incompat = cpu_to_le64(1ULL << 40);
		else if (!strcmp(what, "super-reserved"))
			sb->reserved[7] = 0x5a;
		else if (!strcmp(what, "super-age") && argc > 4)
			sb->format_time = cpu_to_le64(le64_to_cpu(sb->format_time) -
						      strtoull(argv[4], NULL, 0));
		else if (!strcmp(what, "super-time") && argc > 4)
			sb->format_time = cpu_to_le64(strtoull(argv[4], NULL, 0));
		else
			CHECK(0, "unknown %s", what);
		if (strcmp(what, "super-flip"))
			super_reseal(sb);
		/* a format at another time: both copies say so */
		if ((!strcmp(what, "super-age") || !strcmp(what, "super-time")) &&
		    (le64_to_cpu(sb->compat) & FSNVM_COMPAT_BACKUP_SB))
			memcpy((u8 *)base + FSNVM_SUPER_BACKUP, sb, sizeof(*sb));
		printf("super\n");
		unmap_image(base, bytes, fd);
		return 0;
	}
	CHECK(fsnvm_super_check(sb, bytes, &geo) == FSNVM_MEDIA_OK, "not formatted");
	f = pick(base, &geo, argc > 4 ? argv[4] : "used");
	CHECK(f < geo.nr_frames, "frame %llu out of range", (unsigned long long)f);
	ent = fsnvm_entry_at(base, &geo, f);
	if (!strcmp(what, "entry-flip")) {
		((u8 *)ent)[9] ^= 0x40;
	} else if (!strncmp(what, "entry-ones", 10)) {
		memset(ent, 0xff, sizeof(*ent));
		if (!strcmp(what, "entry-ones-sealed"))
			fsnvm_entry_seal(ent);
	} else if (!strcmp(what, "entry-field")) {
		CHECK(argc >= 7, "forge IMG entry-field FRAME FIELD VALUE");
		set_field(ent, argv[5], strtoull(argv[6], NULL, 0));
		fsnvm_entry_seal(ent);
	} else if (!strcmp(what, "data-flip")) {
		((u8 *)fsnvm_frame_at(base, &geo, f))[100] ^= 0x01;
	} else if (!strcmp(what, "dup") || !strcmp(what, "dup-same")) {
		struct fsnvm_entry *src = fsnvm_entry_at(base, &geo, pick(base, &geo, "used"));
		u64 seq = le64_to_cpu(src->seq);

		*ent = *src;
		ent->seq = cpu_to_le64(strcmp(what, "dup") ? seq : seq - 1);
		ent->wear = cpu_to_le64(le64_to_cpu(ent->wear) + 1);
		fsnvm_entry_seal(ent);
	} else {
		if (!strcmp(what, "entry-flags"))
			ent->flags = cpu_to_le32(le32_to_cpu(ent->flags) | 0x100);
		else if (!strcmp(what, "entry-range"))
			ent->key = cpu_to_le64(fsnvm_key(0, 1ULL << 40));
		else if (!strcmp(what, "entry-badkey"))
			ent->key = cpu_to_le64(le64_to_cpu(ent->key) & ~FSNVM_KEY_VALID);
		else if (!strcmp(what, "entry-wear"))
			ent->wear = cpu_to_le64(1ULL << 50);
		else if (!strcmp(what, "entry-writer"))
			ent->writer = cpu_to_le16(FSNVM_MAX_WRITERS + 1);
		else if (!strcmp(what, "entry-uncommitted"))	/* nobody vouches */
			ent->writer = cpu_to_le16(FSNVM_MAX_WRITERS);
		else if (!strcmp(what, "entry-retired")) {	/* as the backend does */
			ent->key = 0;
			ent->flags = cpu_to_le32(FSNVM_ENT_RETIRED);
		} else if (!strcmp(what, "entry-reserved"))
			ent->reserved2[3] = 0x77;
		else
			CHECK(0, "unknown %s", what);
		fsnvm_entry_seal(ent);
	}
	printf("%llu\n", (unsigned long long)f);
	unmap_image(base, bytes, fd);
	return 0;
}

static int wear(int argc, char **argv)
{
	struct fsnvm_geometry geo;
	u64 bytes, f;
	void *base;
	int fd;

	CHECK(argc >= 3, "wear IMG");
	base = map_image(argv[2], &bytes, &fd);
	CHECK(fsnvm_super_check(base, bytes, &geo) == FSNVM_MEDIA_OK, "not formatted");
	putchar('[');
	for (f = 0; f < geo.nr_frames; f++)
		printf("%s%llu", f ? "," : "", (unsigned long long)
		       le64_to_cpu(fsnvm_entry_at(base, &geo, f)->wear));
	puts("]");
	munmap(base, bytes);
	close(fd);
	return 0;
}

static int hold(int argc, char **argv)
{
	int fd;

	CHECK(argc >= 4, "hold DEV SECONDS");
	fd = open(argv[2], O_RDONLY | O_EXCL);
	CHECK(fd >= 0, "open %s O_EXCL: %s", argv[2], strerror(errno));
	printf("held\n");
	fflush(stdout);
	sleep((unsigned int)strtoul(argv[3], NULL, 0));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	CHECK(argc >= 2, "usage: fill_image fill|forge|wear|hold IMG ...");
	if (!strcmp(argv[1], "fill"))
		return fill(argc, argv);
	if (!strcmp(argv[1], "forge"))
		return forge(argc, argv);
	if (!strcmp(argv[1], "wear"))
		return wear(argc, argv);
	if (!strcmp(argv[1], "hold"))
		return hold(argc, argv);
	CHECK(0, "unknown command %s", argv[1]);
	return 1;
}
