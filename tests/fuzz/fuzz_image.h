/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compact image input shared by fuzz_recover.c and fuzz_tool.c, and
 * what they share besides: the image itself, allocated once, the
 * persistence primitive that refuses writes while a target inspects, and
 * a structure-aware mutator.  Included by exactly one file per binary.
 *
 * An input describes a formatted 1 MiB (+ 0..7 pages) image; everything
 * it does not name is implicit, so inputs stay small and every run starts
 * from the same bytes:
 *
 *   header, FZ_HEAD bytes
 *     0      flags: bit 0 COMPAT_DATA_CRC, bit 1 an unknown compat bit,
 *            bit 2 the superblock's stale_below at the last record's seq
 *            (with bit 3: 2^64 - 1, which no engine writes),
 *            bits 4..7 s: the implicit entries' wear spread (2^s - 1)
 *     1      extra device pages (0..7): 251..257 frames
 *     2      nrec: entry records that follow the bad list
 *     3      nbad: bad-block items (at most FZ_MAX_BAD)
 *     4..7   base wear of the implicit entries (le32)
 *   nbad bad-block items, 4 bytes each: frame (le16), where, len
 *     (what a target makes of them: fsnvm_mark_bad(), or byte ranges
 *     that the tool turns into frames itself)
 *   nrec entry records, FZ_REC bytes each:
 *     0..1   frame (le16, modulo the frame count); a later record wins
 *     2      ctl: bit 0 leave the crc wrong (torn; bits 3..7 pick the
 *            bit flipped), bit 1 set data_crc to the frame's real data
 *            crc, bit 2 keep the implicit entry's wear
 *     3..62  the entry's bytes 0..59 (key .. reserved2), crc resealed
 *   the rest belongs to the target (operations, options).
 *
 * Implicit entries are free and sealed, wear base + (f * 7) % (spread + 1).
 * Frame data is a fixed pattern per page of the image (its crc known),
 * restored after every run for the pages a run wrote.
 */
#ifndef FUZZ_IMAGE_H
#define FUZZ_IMAGE_H

#include <sys/mman.h>

#include "fsnvm_internal.h"
#include "fsnvm_mkfs.h"

#define FZ_IMG_MAX	(FSNVM_MIN_DEVICE_BYTES + 8 * FSNVM_PAGE_SIZE)
#define FZ_PAGES	(FZ_IMG_MAX / FSNVM_PAGE_SIZE)
#define FZ_HEAD		8
#define FZ_BAD		4
#define FZ_REC		63
#define FZ_MAX_BAD	8
#define FZ_MAX_REC	255
/* The superblock and the index: rebuilt at every run. */
#define FZ_META_PAGES	6

#define ORACLE(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: oracle failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			__builtin_trap();				\
		}							\
	} while (0)

struct fz_bad {
	u16 frame;
	u8 where, len;
};

struct fz_image {
	u64 bytes;
	struct fsnvm_geometry geo;
	unsigned int nbad;
	struct fz_bad bad[FZ_MAX_BAD];
	const u8 *rest;		/* the target's bytes */
	size_t rest_len;
};

static u8 *fz_img;		/* FZ_IMG_MAX, the image the targets parse */
static u8 *fz_tmpl;		/* its pristine data pages */
static u32 fz_page_crc[FZ_PAGES];
static u64 fz_dirty[(FZ_PAGES + 63) / 64];
static bool fz_writes_allowed;

/*
 * The engine's only way to write the media (tests/persist_memcpy.c has
 * the rest).  Inspecting must never write: the target clears
 * fz_writes_allowed (and maps the image read-only) around it.  Pages
 * written are restored before the next run.
 */
void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	uintptr_t d = (uintptr_t)dst, b = (uintptr_t)fz_img;

	if (!fz_writes_allowed)
		__builtin_trap();
	if (len && d >= b && d + len <= b + FZ_IMG_MAX) {
		u64 p;

		for (p = (d - b) / FSNVM_PAGE_SIZE;
		     p <= (d - b + len - 1) / FSNVM_PAGE_SIZE; p++)
			fz_dirty[p / 64] |= 1ULL << (p % 64);
	}
	memcpy(dst, src, len);
}

/*
 * Start (readonly) and end an inspection: writes through
 * fsnvm_pmem_copy() trap, and any other write to the superblock or the
 * index shows as a difference from the copy taken at the start.  (Not
 * mprotect(): changing a mapping's protection costs more than a run.)
 */
static u8 fz_meta_copy[FZ_META_PAGES * FSNVM_PAGE_SIZE];

static void fz_protect(bool readonly)
{
	if (readonly)
		memcpy(fz_meta_copy, fz_img, sizeof(fz_meta_copy));
	else
		ORACLE(!memcmp(fz_meta_copy, fz_img, sizeof(fz_meta_copy)));
	fz_writes_allowed = !readonly;
}

/* A smaller quarantine: engines allocated per run then reuse warm memory. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}

static u64 fz_le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void fz_init(void)
{
	u64 i, p;

	if (fz_img)
		return;
	fsnvm_test_nr_writers = 4;	/* an engine per run: see README.md */
	fz_img = mmap(NULL, FZ_IMG_MAX, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz_tmpl = malloc(FZ_IMG_MAX);
	if (fz_img == MAP_FAILED || !fz_tmpl)
		__builtin_trap();
	for (p = 0; p < FZ_PAGES; p++) {
		u64 *w = (u64 *)(fz_tmpl + p * FSNVM_PAGE_SIZE);
		u64 s = p * 0x9e3779b97f4a7c15ULL + 1;

		for (i = 0; i < FSNVM_PAGE_SIZE / 8; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			w[i] = p < FZ_META_PAGES - 1 ? 0 : s;
		}
		fz_page_crc[p] = crc32c(~0U, w, FSNVM_PAGE_SIZE);
	}
	memcpy(fz_img, fz_tmpl, FZ_IMG_MAX);
}

static u32 fz_data_crc(const struct fsnvm_geometry *geo, u64 frame)
{
	return fz_page_crc[geo->data_offset / FSNVM_PAGE_SIZE + frame];
}

/*
 * Build the image an input describes; false if the input is too short
 * for its own header (the target then does nothing).  The image is left
 * writable.
 */
static bool fz_build(const u8 *data, size_t size, struct fz_image *im)
{
	static const u8 uuid[16] = "fuzz-fuzz-fuzz!";
	unsigned int nrec, i, spread;
	u64 p, f, base_wear, stale_below = 0;
	u8 flags;

	fz_init();
	memset(im, 0, sizeof(*im));
	if (size < FZ_HEAD)
		return false;
	flags = data[0];
	im->bytes = FSNVM_MIN_DEVICE_BYTES + (u64)(data[1] % 8) * FSNVM_PAGE_SIZE;
	nrec = data[2];
	im->nbad = data[3] % (FZ_MAX_BAD + 1);
	base_wear = fz_le(data + 4, 4);
	spread = (1U << (flags >> 4)) - 1;
	data += FZ_HEAD;
	size -= FZ_HEAD;
	if (im->nbad * FZ_BAD > size)
		im->nbad = size / FZ_BAD;
	for (i = 0; i < im->nbad; i++) {
		im->bad[i].frame = (u16)fz_le(data, 2);
		im->bad[i].where = data[2];
		im->bad[i].len = data[3];
		data += FZ_BAD;
		size -= FZ_BAD;
	}
	if (nrec * FZ_REC > size)
		nrec = size / FZ_REC;

	/* Data pages the last run wrote, then the metadata from scratch. */
	for (p = 0; p < FZ_PAGES; p++)
		if ((fz_dirty[p / 64] >> (p % 64)) & 1)
			memcpy(fz_img + p * FSNVM_PAGE_SIZE,
			       fz_tmpl + p * FSNVM_PAGE_SIZE, FSNVM_PAGE_SIZE);
	memset(fz_dirty, 0, sizeof(fz_dirty));
	memcpy(fz_img, fz_tmpl, FZ_META_PAGES * FSNVM_PAGE_SIZE);
	if (fsnvm_geometry_for_size(im->bytes, &im->geo) != FSNVM_MEDIA_OK)
		__builtin_trap();
	im->geo.compat = (flags & 1 ? FSNVM_COMPAT_DATA_CRC : 0) |
			 (flags & 2 ? BIT_ULL(17) : 0);
	fsnvm_super_build((struct fsnvm_super *)fz_img, &im->geo, uuid,
			  1700000000);
	for (f = 0; f < im->geo.nr_frames; f++) {
		struct fsnvm_entry *ent = fsnvm_entry_at(fz_img, &im->geo, f);

		memset(ent, 0, sizeof(*ent));
		ent->wear = cpu_to_le64(base_wear + (f * 7) % (spread + 1));
		fsnvm_entry_seal(ent);
	}

	for (i = 0; i < nrec; i++, data += FZ_REC, size -= FZ_REC) {
		struct fsnvm_entry *ent;
		u8 ctl = data[2];
		__le64 wear;

		f = fz_le(data, 2) % im->geo.nr_frames;
		ent = fsnvm_entry_at(fz_img, &im->geo, f);
		wear = ent->wear;
		memcpy(ent, data + 3, __builtin_offsetof(struct fsnvm_entry, crc));
		if (ctl & 4)
			ent->wear = wear;
		if (ctl & 2)
			ent->data_crc = cpu_to_le32(fz_data_crc(&im->geo, f));
		fsnvm_entry_seal(ent);
		if (ctl & 1)
			ent->crc ^= cpu_to_le32(1U << (ctl >> 3));
		stale_below = le64_to_cpu(ent->seq);
	}
	if (flags & 4) {
		struct fsnvm_super *sb = (struct fsnvm_super *)fz_img;

		sb->incompat = cpu_to_le64(FSNVM_INCOMPAT_STALE_BELOW);
		sb->stale_below = cpu_to_le64(flags & 8 ? ~0ULL : stale_below);
		sb->crc = cpu_to_le32(fsnvm_super_crc(sb));
	}
	im->rest = data;
	im->rest_len = size;
	return true;
}

/* ---- structure-aware mutation ------------------------------------------ */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static u64 fz_rand(unsigned int *seed)
{
	u64 s = *seed = *seed * 1103515245U + 12345U;

	s = s * 0x9e3779b97f4a7c15ULL;
	return s ^ (s >> 29);
}

static void fz_put(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		*p++ = (u8)v;
		v >>= 8;
	}
}

/* A value a field of width n bytes may interestingly hold, given old. */
static u64 fz_value(unsigned int *seed, u64 old, unsigned int n, u64 other)
{
	u64 max = n == 8 ? ~0ULL : (1ULL << (8 * n)) - 1;

	switch (fz_rand(seed) % 12) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return max;
	case 3:
		return max - fz_rand(seed) % 4;
	case 4:
		return old + 1;
	case 5:
		return old - 1;
	case 6:
		return other;
	case 7:
		return other + 1;
	case 8:
		return other - 1;
	case 9:	/* near a limit the format defines */
		return (n == 2 ? FSNVM_MAX_WRITERS : 1ULL << (n == 8 ? 48 : 8 * n - 1)) +
		       fz_rand(seed) % 3 - 1;
	case 10:
		return fz_rand(seed) % 16;
	default:
		return old ^ (1ULL << (fz_rand(seed) % (8 * n)));
	}
}

/*
 * Entry fields that matter to recovery: offset, width.  The key gets its
 * own treatment (a few small keys, so that keys collide).
 */
static const u8 fz_fields[][2] = {
	{ 8, 8 },	/* seq */
	{ 16, 8 },	/* wear */
	{ 24, 8 },	/* fill */
	{ 32, 4 },	/* flags */
	{ 36, 4 },	/* data_crc */
	{ 40, 2 },	/* writer */
	{ 42, 2 },	/* vouch_writer */
	{ 44, 4 },	/* reserved */
	{ 48, 8 },	/* vouch_seq */
	{ 56, 4 },	/* reserved2 */
};

/*
 * Mutate one field of one record (or the header), keeping the structure;
 * half of the time, and when there is nothing to mutate, libFuzzer's own
 * byte mutations instead.
 */
static __attribute__((unused)) size_t
fz_mutate_image(u8 *data, size_t size, size_t max_size,
		unsigned int seed)
{
	unsigned int nrec, nbad, r, o;
	size_t recs;
	u8 *rec, *oth;

	if (size < FZ_HEAD || fz_rand(&seed) % 2)
		return LLVMFuzzerMutate(data, size, max_size);
	nbad = data[3] % (FZ_MAX_BAD + 1);
	recs = FZ_HEAD + (size_t)nbad * FZ_BAD;
	if (recs > size)
		return LLVMFuzzerMutate(data, size, max_size);
	nrec = data[2];
	if (nrec * FZ_REC > size - recs)
		nrec = (size - recs) / FZ_REC;
	switch (fz_rand(&seed) % 8) {
	case 0:	/* a new record, a copy of one, at the end of the records */
		if (nrec >= FZ_MAX_REC || size + FZ_REC > max_size)
			break;
		rec = data + recs + (size_t)nrec * FZ_REC;
		memmove(rec + FZ_REC, rec, size - (rec - data));
		if (nrec && fz_rand(&seed) % 2) {
			memcpy(rec, data + recs + fz_rand(&seed) % nrec * FZ_REC,
			       FZ_REC);
			fz_put(rec, fz_rand(&seed) % 260, 2);	/* elsewhere */
		} else {
			memset(rec, 0, FZ_REC);
			fz_put(rec, fz_rand(&seed) % 260, 2);
			fz_put(rec + 3, fsnvm_key(fz_rand(&seed) % 3,
						  fz_rand(&seed) % 8), 8);
			fz_put(rec + 3 + 8, fz_rand(&seed) % 64, 8);
			fz_put(rec + 3 + 16, fz_rand(&seed) % 64, 8);
		}
		data[2] = (u8)(nrec + 1);
		return size + FZ_REC;
	case 1:	/* header */
		o = fz_rand(&seed) % FZ_HEAD;
		if (o >= 4)
			fz_put(data + 4, fz_value(&seed, fz_le(data + 4, 4), 4,
						  0), 4);
		else if (o != 2)
			data[o] ^= 1U << fz_rand(&seed) % 8;
		return size;
	default:
		break;
	}
	if (!nrec)
		return LLVMFuzzerMutate(data, size, max_size);
	r = fz_rand(&seed) % nrec;
	rec = data + recs + (size_t)r * FZ_REC;
	oth = data + recs + fz_rand(&seed) % nrec * FZ_REC;
	switch (fz_rand(&seed) % 6) {
	case 0:	/* the key: small, shared with another record, or broken */
		switch (fz_rand(&seed) % 4) {
		case 0:
			memcpy(rec + 3, oth + 3, 8);
			break;
		case 1:
			fz_put(rec + 3, fsnvm_key(fz_rand(&seed) % 3,
						  fz_rand(&seed) % 8), 8);
			break;
		case 2:
			fz_put(rec + 3, fz_le(rec + 3, 8) ^ FSNVM_KEY_VALID, 8);
			break;
		default:
			fz_put(rec + 3, fz_value(&seed, fz_le(rec + 3, 8), 8,
						 fz_le(oth + 3, 8)), 8);
		}
		break;
	case 1:	/* ctl */
		rec[2] ^= 1U << fz_rand(&seed) % 8;
		break;
	case 2:	/* frame */
		fz_put(rec, fz_value(&seed, fz_le(rec, 2), 2, fz_le(oth, 2)), 2);
		break;
	case 3:	/* vouch for another record's writer and seq */
		memcpy(rec + 3 + 42, oth + 3 + 40, 2);
		fz_put(rec + 3 + 48, fz_le(oth + 3 + 8, 8) -
		       fz_rand(&seed) % 2, 8);
		break;
	default: {
		const u8 *fl = fz_fields[fz_rand(&seed) % ARRAY_SIZE(fz_fields)];

		fz_put(rec + 3 + fl[0],
		       fz_value(&seed, fz_le(rec + 3 + fl[0], fl[1]), fl[1],
				fz_le(oth + 3 + fl[0], fl[1])), fl[1]);
	}
	}
	return size;
}

#endif /* FUZZ_IMAGE_H */
