// SPDX-License-Identifier: GPL-2.0
/*
 * Media errors on load, with persistence primitives that poison chosen
 * frames (a machine check in the kernel: copy_mc_to_kernel() returns the
 * bytes it could not copy), and bit rot caught by the data crc.  Each must
 * be reported (-EIO, counted), the frame retired and never used again, the
 * key unmapped, and every other page still served.
 */
#include "test_util.h"

static const u8 *poison_lo, *poison_hi;	/* [lo, hi): reads fail */

/* Replaces the weak one of tests/persist_memcpy.c (lockless loads too). */
size_t fsnvm_pmem_read(void *dst, const void *src, size_t len)
{
	const u8 *s = src;

	if (s < poison_hi && s + len > poison_lo) {
		size_t ok = s < poison_lo ? (size_t)(poison_lo - s) : 0;

		memcpy(dst, src, ok);
		return len - ok;
	}
	memcpy(dst, src, len);
	return 0;
}

#define KEYS 40

/* Churn 2000 stores over `keys` keys of type 1: none may land on `bad`. */
static void never_reused(struct fsnvm_engine *e, u32 bad, unsigned int keys,
			 u64 first, const char *when)
{
	static u8 page[FSNVM_PAGE_SIZE];

	for (unsigned int i = 0; i < 2000; i++) {
		fill_page(page, first + i, 2);
		page[0] |= 1;
		if (fsnvm_store(e, 1, i % keys, page) == 0)
			CHECK(fsnvm_keymap_find(&e->map, 1, i % keys) != bad,
			      "retired frame reused%s", when);
	}
}

static void run(u64 compat, bool rot)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, compat);
	struct fsnvm_engine *e = attach(img, bytes);
	static u8 page[FSNVM_PAGE_SIZE], want[FSNVM_PAGE_SIZE];
	struct fsnvm_stats s;
	u32 bad;

	for (unsigned int k = 0; k < KEYS; k++) {
		fill_page(page, k, 1);
		if ((page[0] & 7) == 0)	/* keep them all data pages */
			page[0] ^= 1;
		memcpy(want, page, sizeof(page));
		CHECK(fsnvm_store(e, 0, k, page) == 0, "store %u", k);
	}
	bad = fsnvm_keymap_find(&e->map, 0, 7);
	if (rot) {
		((u8 *)fsnvm_frame_at(img, &e->geo, bad))[100] ^= 0x40;
	} else {
		poison_lo = fsnvm_frame_at(img, &e->geo, bad);
		poison_lo += 512;
		poison_hi = poison_lo + 64;
	}
	CHECK(fsnvm_load(e, 0, 7, page) == -EIO, "bad page loaded");
	fsnvm_get_stats(e, &s);
	CHECK(rot ? s.crc_errors == 1 : s.load_errors == 1, "not counted");
	CHECK(s.frames_bad == 1 && s.frames_retired == 1, "frame not retired");
	CHECK(fsnvm_load(e, 0, 7, page) == -ENOENT, "bad key still mapped");
	poison_lo = poison_hi = NULL;
	/* Everything else is intact; the retired frame is never used again. */
	for (unsigned int k = 0; k < KEYS; k++) {
		if (k == 7)
			continue;
		fill_page(want, k, 1);
		if ((want[0] & 7) == 0)
			want[0] ^= 1;
		CHECK(fsnvm_load(e, 0, k, page) == 0 && !memcmp(page, want, sizeof(page)),
		      "key %u damaged", k);
	}
	never_reused(e, bad, 150, 100, "");
	fsnvm_get_stats(e, &s);
	CHECK(s.frames_used + s.frames_free + s.frames_bad == s.frames_total,
	      "frames leaked");
	fsnvm_engine_close(e);

	/* The next boot: the frame is still retired, and never used. */
	{
		struct fsnvm_recovery rep;
		enum fsnvm_media_status st;

		e = fsnvm_engine_open(img, bytes, &st);
		CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep) == 0,
		      "reattach");
		CHECK(rep.retired == 1 && fsnvm_fstate(e, bad) == FSNVM_FS_BAD,
		      "retirement forgotten: %llu retired",
		      (unsigned long long)rep.retired);
		never_reused(e, bad, 250, 200, " after reattach");
		fsnvm_engine_close(e);
	}
	printf("%s: reported, frame %u retired (also after a reattach), %u other pages intact\n",
	       rot ? "data crc mismatch" : "media error", bad, KEYS - 1);
	free(img);
}

/*
 * An engine recovered in INSPECT mode (fsnvmctl check, after a crash)
 * never writes: a load that meets a media error or a data crc mismatch
 * fails with -EIO and is counted, but retires nothing and leaves the
 * media byte for byte as it was.
 */
static void inspected(bool rot)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, FSNVM_COMPAT_DATA_CRC), *before;
	struct fsnvm_engine *e = attach(img, bytes);
	static u8 page[FSNVM_PAGE_SIZE], want[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_stats s;
	u32 bad;

	for (unsigned int k = 0; k < 4; k++) {
		fill_page(page, k, 1);
		page[0] |= 1;
		CHECK(fsnvm_store(e, 0, k, page) == 0, "store %u", k);
	}
	fsnvm_engine_close(e);
	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0,
	      "inspect");
	bad = fsnvm_keymap_find(&e->map, 0, 2);
	CHECK(bad != FSNVM_NO_FRAME, "key 2 not mapped");
	if (rot) {
		((u8 *)fsnvm_frame_at(img, &e->geo, bad))[100] ^= 0x40;
	} else {
		poison_lo = fsnvm_frame_at(img, &e->geo, bad);
		poison_hi = poison_lo + 64;
	}
	before = malloc(bytes);
	CHECK(before, "oom");
	memcpy(before, img, bytes);
	CHECK(fsnvm_load(e, 0, 2, page) == -EIO, "inspected: bad page loaded");
	fsnvm_get_stats(e, &s);
	CHECK(rot ? s.crc_errors == 1 : s.load_errors == 1,
	      "inspected: not counted");
	CHECK(s.frames_bad == 0 && s.frames_retired == 0,
	      "inspected: frame retired (%llu bad)",
	      (unsigned long long)s.frames_bad);
	CHECK(!memcmp(before, img, bytes), "inspected: the load wrote the media");
	poison_lo = poison_hi = NULL;
	fill_page(want, 3, 1);
	want[0] |= 1;
	CHECK(fsnvm_load(e, 0, 3, page) == 0 && !memcmp(page, want, sizeof(page)),
	      "inspected: key 3 damaged");
	fsnvm_engine_close(e);
	CHECK(!memcmp(before, img, bytes), "inspected: the close wrote the media");
	printf("inspected, %s: -EIO, counted, nothing written\n",
	       rot ? "data crc mismatch" : "media error");
	free(before);
	free(img);
}

/*
 * One superblock copy behind a media error (at 0 or at the backup's
 * place): an attach must not rewrite the other, the only good one, in
 * place (a torn write would leave none), so it releases the pages it
 * finds entry by entry instead: neither copy changes, every entry that
 * named a key is cleared, and nothing is found after it.
 */
static void super_unreadable(u64 at)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	struct fsnvm_engine *e = attach(img, bytes);
	static u8 page[FSNVM_PAGE_SIZE], sb[FSNVM_SUPER_BYTES];
	struct fsnvm_geometry geo;
	struct fsnvm_recovery rep;

	for (unsigned int k = 0; k < KEYS; k++) {
		fill_page(page, k, 1);
		page[0] |= 1;
		CHECK(fsnvm_store(e, 0, k, page) == 0, "store %u", k);
	}
	fsnvm_engine_close(e);
	memcpy(sb, img, sizeof(sb));
	poison_lo = (u8 *)img + at;
	poison_hi = poison_lo + 64;
	e = open_recovered(img, bytes, FSNVM_RECOVER_ATTACH, &rep);
	CHECK(rep.released == KEYS, "%llu released",
	      (unsigned long long)rep.released);
	geo = e->geo;
	fsnvm_engine_close(e);
	CHECK(!memcmp(sb, img, sizeof(sb)), "superblock rewritten in place");
	for (u64 f = 0; f < geo.nr_frames; f++)
		CHECK(fsnvm_entry_classify(fsnvm_entry_at(img, &geo, f)) !=
		      FSNVM_ENTRY_MAPPED, "frame %llu still names a key",
		      (unsigned long long)f);
	e = open_recovered(img, bytes, FSNVM_RECOVER_INSPECT, &rep);
	CHECK(rep.valid == 0, "%llu pages after the attach",
	      (unsigned long long)rep.valid);
	fsnvm_engine_close(e);
	poison_lo = poison_hi = NULL;
	printf("superblock copy at %llu unreadable: %u pages released entry by entry, superblock untouched\n",
	       (unsigned long long)at, KEYS);
	free(img);
}

int main(void)
{
	run(0, false);
	run(FSNVM_COMPAT_DATA_CRC, false);
	run(FSNVM_COMPAT_DATA_CRC, true);
	inspected(false);
	inspected(true);
	super_unreadable(0);
	super_unreadable(FSNVM_SUPER_BACKUP);
	printf("media errors: 7 cases, 0 failures\n");
	return 0;
}
