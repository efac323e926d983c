// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over everything that parses the media: the superblock
 * check, fsnvm_engine_open(), recovery in FSNVM_RECOVER_INSPECT mode and
 * the entry verifier of `fsnvmctl check` (tools/fsnvmctl/verify.c).
 *
 * The input patches a formatted image of 1 MiB + a few pages:
 *   byte 0   flags: bit 0 reseal the superblock crc after patching,
 *            bit 1 reseal every patched entry's crc, bit 2 set the
 *            DATA_CRC feature, bit 3 truncate the device by one page
 *   byte 1   extra pages (0..7) of device size
 *   then     up to 256 bytes over the superblock, then bytes over the
 *            index from its first entry on
 * Resealing lets the fuzzer get past the checksums to the fields behind
 * them.  Oracles, beyond "no crash, no sanitizer report":
 *  - the image is read-only while parsed (mprotect), and the persistence
 *    shim below traps on any write: inspecting never writes;
 *  - the engine and the verifier agree on the superblock status and on
 *    the valid, torn and duplicate entries, the pages mapped and the
 *    same-filled ones.
 *
 * Run: tests/fuzz/run.sh [SECONDS] (make check: 20 s; see README.md).
 */
#include <sys/mman.h>

#include "fsnvm_engine.h"
#include "verify.h"

#define IMG_MAX		(FSNVM_MIN_DEVICE_BYTES + 8 * FSNVM_PAGE_SIZE)

static bool writes_allowed;

/*
 * Only building the template may write (the rest of the persistence
 * primitives: tests/persist_memcpy.c).
 */
void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	if (!writes_allowed)
		__builtin_trap();
	memcpy(dst, src, len);
}

#define ORACLE(cond)			\
	do {				\
		if (!(cond)) {		\
			fprintf(stderr, "oracle failed: %s\n", #cond); \
			__builtin_trap();	\
		}			\
	} while (0)

static u8 *img;

/* A formatted image with a few entries, as a store would leave them. */
static void build(u64 bytes, u64 compat)
{
	static const u8 uuid[16] = "fuzz-fuzz-fuzz!";
	struct fsnvm_geometry geo;
	u64 f;

	memset(img, 0, FSNVM_SUPER_BYTES + 64 * 1024);
	if (fsnvm_geometry_for_size(bytes, &geo) != FSNVM_MEDIA_OK)
		__builtin_trap();
	geo.compat = compat;
	writes_allowed = true;
	fsnvm_format(img, &geo, uuid, 1700000000, NULL, NULL);
	writes_allowed = false;
	for (f = 0; f < 8; f++) {
		struct fsnvm_entry *ent = fsnvm_entry_at(img, &geo, f);
		void *data = fsnvm_frame_at(img, &geo, f);

		ent->key = cpu_to_le64(fsnvm_key(f & 1, 100 + f / 2));
		ent->seq = cpu_to_le64(10 + f);
		ent->wear = cpu_to_le64(1 + f);
		if (f == 5) {
			ent->flags = cpu_to_le32(FSNVM_ENT_FILLED);
			ent->fill = cpu_to_le64(0x0101010101010101ULL);
		}
		ent->data_crc = cpu_to_le32(crc32c(~0U, data, FSNVM_PAGE_SIZE));
		fsnvm_entry_seal(ent);
	}
}

static void check_image(u64 bytes)
{
	enum fsnvm_media_status st, st_engine;
	struct fsnvm_geometry geo;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_super sb;
	struct fsnvm_stats s;
	struct vp_report r;

	st = fsnvm_super_pick(img, bytes, &sb, &geo, NULL);
	e = fsnvm_engine_open(img, bytes, &st_engine);
	ORACLE(st == st_engine);
	ORACLE(fsnvm_verify(img, bytes, NULL, &r) == 0);
	ORACLE(r.super == st);
	if (e) {
		ORACLE(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0);
		fsnvm_get_stats(e, &s);
		ORACLE(r.entries == geo.nr_frames);
		ORACLE(r.valid == rep.valid);
		ORACLE(r.torn == rep.torn);
		ORACLE(r.duplicates == rep.duplicates);
		ORACLE(r.uncommitted == rep.uncommitted);
		ORACLE(r.used == s.frames_used);
		ORACLE(r.filled == s.pages_filled);
		ORACLE(r.retired == rep.retired);
		ORACLE(s.frames_used + s.frames_free + s.frames_bad ==
		       s.frames_total);
		fsnvm_engine_close(e);
	} else {
		ORACLE(r.errors == 1 && r.nr_problems == 1);
	}
	vp_report_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 ctl = size > 0 ? data[0] : 0;
	u64 bytes = FSNVM_MIN_DEVICE_BYTES + (u64)(size > 1 ? data[1] % 8 : 0) *
		    FSNVM_PAGE_SIZE;
	struct fsnvm_geometry geo;
	size_t n = 0, idx_len;

	if (!img) {
		img = mmap(NULL, IMG_MAX, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (img == MAP_FAILED)
			__builtin_trap();
		for (n = FSNVM_SUPER_BYTES + 64 * 1024; n < IMG_MAX; n++)
			img[n] = (u8)(n * 7 + (n >> 12));
	}
	build(bytes, ctl & 4 ? FSNVM_COMPAT_DATA_CRC : 0);
	fsnvm_geometry_for_size(bytes, &geo);

	data += size > 2 ? 2 : size;
	size -= size > 2 ? 2 : size;
	n = size < sizeof(struct fsnvm_super) ? size : sizeof(struct fsnvm_super);
	memcpy(img, data, n);
	data += n;
	size -= n;
	if (ctl & 1)
		((struct fsnvm_super *)img)->crc =
			cpu_to_le32(fsnvm_super_crc((struct fsnvm_super *)img));
	idx_len = geo.nr_frames * FSNVM_ENTRY_BYTES;
	n = size < idx_len ? size : idx_len;
	memcpy(img + geo.index_offset, data, n);
	if (ctl & 2) {
		u64 f;

		for (f = 0; f * FSNVM_ENTRY_BYTES < n; f++)
			fsnvm_entry_seal(fsnvm_entry_at(img, &geo, f));
	}
	if (ctl & 8)
		bytes -= FSNVM_PAGE_SIZE;

	if (mprotect(img, IMG_MAX, PROT_READ))
		__builtin_trap();
	check_image(bytes);
	if (mprotect(img, IMG_MAX, PROT_READ | PROT_WRITE))
		__builtin_trap();
	return 0;
}
