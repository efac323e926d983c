// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the superblock parser, fsnvm_super_check(), and
 * the geometry it derives (fsnvm_geometry_for_size()).  The input:
 *
 *   byte 0      ctl: bit 0 keep the crc as given (else resealed);
 *               bits 1..2 the device size: 0 the next 8 bytes (le64),
 *               1 the superblock's device_bytes, 2 that + (s8)byte 1
 *               pages, 3 an image of 1 MiB + (byte 1 % 8) pages that
 *               the superblock is put on (then the engine and the
 *               verifier of `fsnvmctl check` parse it too)
 *   bytes 1..8  the device size (le64)
 *   bytes 9..   the superblock (256 bytes; missing bytes are zero)
 *
 * A custom mutator sets single fields to values near what the geometry
 * of the superblock's own device_bytes wants, and near the limits.
 * Oracles: the check is deterministic and checks in its documented order
 * (identity, then crc, then geometry); a superblock it accepts describes
 * a geometry that fits the device, with the most frames that fit, equal
 * to the one format computes, and rebuilding it from that geometry gives
 * a superblock it accepts again; on an image, the engine and the
 * verifier reach the same status, and the engine opens and inspects a
 * freshly formatted index without writing.
 * Run: tests/fuzz/run.sh (see README.md).
 */
#include "fuzz_image.h"
#include "verify.h"

#define SB_AT	9

static u64 round_page(u64 x)
{
	return (x + FSNVM_PAGE_SIZE - 1) / FSNVM_PAGE_SIZE * FSNVM_PAGE_SIZE;
}

static void check_accepted(const struct fsnvm_super *sb, u64 dev,
			   const struct fsnvm_geometry *geo)
{
	struct fsnvm_geometry want, again;
	struct fsnvm_super b;
	u64 n = geo->nr_frames;

	ORACLE(fsnvm_geometry_for_size(dev, &want) == FSNVM_MEDIA_OK);
	ORACLE(geo->device_bytes == dev && geo->nr_frames == want.nr_frames &&
	       geo->index_offset == want.index_offset &&
	       geo->data_offset == want.data_offset &&
	       geo->page_size == want.page_size);
	ORACLE(geo->compat == le64_to_cpu(sb->compat));
	ORACLE(dev >= FSNVM_MIN_DEVICE_BYTES);
	ORACLE(n >= 1 && n <= FSNVM_MAX_FRAMES);
	ORACLE(geo->page_size == FSNVM_PAGE_SIZE);
	ORACLE(geo->index_offset >= FSNVM_SUPER_BYTES);
	ORACLE(geo->data_offset % FSNVM_PAGE_SIZE == 0);
	ORACLE(geo->index_offset + n * FSNVM_ENTRY_BYTES <= geo->data_offset);
	ORACLE(geo->data_offset + n * FSNVM_PAGE_SIZE <= dev);
	/* the most frames that fit */
	ORACLE(FSNVM_SUPER_BYTES + round_page((n + 1) * FSNVM_ENTRY_BYTES) +
	       (n + 1) * FSNVM_PAGE_SIZE > dev);
	ORACLE(le64_to_cpu(sb->magic) == FSNVM_MAGIC);
	ORACLE(le32_to_cpu(sb->version) == FSNVM_VERSION);
	ORACLE(le32_to_cpu(sb->crc) == fsnvm_super_crc(sb));
	ORACLE(!(le64_to_cpu(sb->incompat) & ~FSNVM_INCOMPAT_KNOWN));
	ORACLE(le64_to_cpu(sb->nr_frames) == n &&
	       le64_to_cpu(sb->device_bytes) == dev &&
	       le64_to_cpu(sb->index_offset) == geo->index_offset &&
	       le64_to_cpu(sb->data_offset) == geo->data_offset);

	fsnvm_super_build(&b, geo, sb->uuid, le64_to_cpu(sb->format_time));
	ORACLE(fsnvm_super_check(&b, dev, &again) == FSNVM_MEDIA_OK);
	ORACLE(!memcmp(&again, geo, sizeof(again)));
	/*
	 * all but incompat (known bits only, checked above), ro_compat, the
	 * reserved bytes, stale_below and the crc
	 */
	ORACLE(!memcmp(&b, sb, 24) && !memcmp(b.uuid, sb->uuid, 64));
}

/* On a formatted image: the engine and the verifier agree. */
static void check_image(const struct fsnvm_super *sb, u64 dev,
			enum fsnvm_media_status st)
{
	enum fsnvm_media_status st_engine;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	struct vp_report r;

	memcpy(fz_img, sb, sizeof(*sb));
	fz_protect(true);
	e = fsnvm_engine_open(fz_img, dev, &st_engine);
	ORACLE(st_engine == st && !e == (st != FSNVM_MEDIA_OK));
	ORACLE(fsnvm_verify(fz_img, dev, NULL, &r) == 0);
	ORACLE(r.super == st);
	if (e) {
		ORACLE(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0);
		fsnvm_get_stats(e, &s);
		ORACLE(rep.valid == 0 && rep.torn == 0);
		ORACLE(s.frames_free == s.frames_total &&
		       s.frames_total == r.entries);
		ORACLE(r.errors == 0 && r.valid == 0 && r.torn == 0);
		fsnvm_engine_close(e);
	} else {
		ORACLE(r.errors == 1 && r.nr_problems == 1 &&
		       r.problems[0].kind == VP_SUPERBLOCK);
	}
	vp_report_free(&r);
	fz_protect(false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsnvm_geometry geo, geo2;
	enum fsnvm_media_status st;
	struct fsnvm_super sb;
	u8 ctl = size ? data[0] : 0, hdr[FZ_HEAD] = { 0 };
	u64 dev = size > 8 ? fz_le(data + 1, 8) : 0;
	bool crc_given = ctl & 1;

	memset(&sb, 0, sizeof(sb));
	if (size > SB_AT)
		memcpy(&sb, data + SB_AT, size - SB_AT < sizeof(sb) ?
		       size - SB_AT : sizeof(sb));
	if (!crc_given)
		sb.crc = cpu_to_le32(fsnvm_super_crc(&sb));
	switch ((ctl >> 1) & 3) {
	case 0:
		break;
	case 1:
		dev = le64_to_cpu(sb.device_bytes);
		break;
	case 2:
		dev = le64_to_cpu(sb.device_bytes) +
		      (u64)(s64)(int8_t)(dev & 0xff) * FSNVM_PAGE_SIZE;
		break;
	default:
		hdr[1] = (u8)dev;
		if (!fz_build(hdr, sizeof(hdr), &(struct fz_image){ 0 }))
			__builtin_trap();
		dev = FSNVM_MIN_DEVICE_BYTES + (dev & 7) * FSNVM_PAGE_SIZE;
	}

	st = fsnvm_super_check(&sb, dev, &geo);
	ORACLE(fsnvm_super_check(&sb, dev, &geo2) == st);
	ORACLE(fsnvm_media_str(st) != NULL);
	ORACLE((fsnvm_media_errno(st) == 0) == (st == FSNVM_MEDIA_OK));
	ORACLE(fsnvm_media_errno(st) <= 0);
	/* the documented order: identity, integrity, geometry */
	if (dev >= sizeof(sb)) {
		if (le64_to_cpu(sb.magic) != FSNVM_MAGIC)
			ORACLE(st == FSNVM_MEDIA_BAD_MAGIC);
		else if (le32_to_cpu(sb.version) > FSNVM_VERSION)
			ORACLE(st == FSNVM_MEDIA_BAD_VERSION);
		else if (le64_to_cpu(sb.incompat) & ~FSNVM_INCOMPAT_KNOWN)
			ORACLE(st == FSNVM_MEDIA_BAD_FEATURES);
		else if (le32_to_cpu(sb.crc) != fsnvm_super_crc(&sb))
			ORACLE(st == FSNVM_MEDIA_BAD_CRC);
		else
			ORACLE(st == FSNVM_MEDIA_OK ||
			       st == FSNVM_MEDIA_BAD_GEOMETRY);
	}
	if (st == FSNVM_MEDIA_OK) {
		ORACLE(!memcmp(&geo, &geo2, sizeof(geo)));
		check_accepted(&sb, dev, &geo);
	}
	if (((ctl >> 1) & 3) == 3)
		check_image(&sb, dev, st);
	return 0;
}

/* Fields of the superblock: offset, width (the uuid is left to libFuzzer). */
static const u8 sb_fields[][2] = {
	{ 0, 8 }, { 8, 4 }, { 12, 4 }, { 16, 8 }, { 24, 8 }, { 32, 8 },
	{ 56, 4 }, { 60, 4 }, { 64, 8 }, { 72, 8 }, { 80, 8 }, { 88, 8 },
	{ 96, 8 }, { 104, 8 }, { 252, 4 },
};

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	struct fsnvm_geometry want;
	const u8 *fl;
	u64 dev, good = 0;
	u8 *p;

	if (fz_rand(&seed) % 2 || max_size < SB_AT + sizeof(struct fsnvm_super))
		return LLVMFuzzerMutate(data, size, max_size);
	if (size < SB_AT + sizeof(struct fsnvm_super)) {
		memset(data + size, 0, SB_AT + sizeof(struct fsnvm_super) - size);
		size = SB_AT + sizeof(struct fsnvm_super);
	}
	p = data + SB_AT;
	switch (fz_rand(&seed) % 8) {
	case 0:
		data[0] ^= 1U << fz_rand(&seed) % 3;
		return size;
	case 1:
		fz_put(data + 1, fz_value(&seed, fz_le(data + 1, 8), 8,
					  fz_le(p + 64, 8)), 8);
		return size;
	case 2:	/* a whole valid superblock for some device size */
		dev = FSNVM_MIN_DEVICE_BYTES +
		      (fz_rand(&seed) % 2 ? fz_rand(&seed) % 64 :
		       fz_rand(&seed) % (1ULL << 44)) * FSNVM_PAGE_SIZE;
		if (fsnvm_geometry_for_size(dev, &want) == FSNVM_MEDIA_OK) {
			struct fsnvm_super sb;
			u8 uuid[16];

			memcpy(uuid, p + 40, sizeof(uuid));
			fsnvm_super_build(&sb, &want, uuid, fz_le(p + 96, 8));
			memcpy(p, &sb, sizeof(sb));
		}
		return size;
	default:
		break;
	}
	fl = sb_fields[fz_rand(&seed) % ARRAY_SIZE(sb_fields)];
	dev = fz_le(p + 64, 8);
	if (fsnvm_geometry_for_size(dev, &want) == FSNVM_MEDIA_OK) {
		switch (fl[0]) {
		case 0: good = FSNVM_MAGIC; break;
		case 8: good = FSNVM_VERSION; break;
		case 12: good = sizeof(struct fsnvm_super); break;
		case 56: good = want.page_size; break;
		case 60: good = FSNVM_ENTRY_BYTES; break;
		case 64: good = fz_le(data + 1, 8); break;
		case 72: good = want.nr_frames; break;
		case 80: good = want.index_offset; break;
		case 88: good = want.data_offset; break;
		default: good = fz_le(p + fl[0], fl[1]);
		}
	}
	fz_put(p + fl[0], fz_value(&seed, fz_le(p + fl[0], fl[1]), fl[1], good),
	       fl[1]);
	return size;
}
