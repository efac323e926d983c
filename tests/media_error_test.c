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
/* Reads of a whole entry in the range that still succeed first. */
static unsigned int poison_entry_reads_ok;

/* Replaces the weak one of tests/persist_memcpy.c (lockless loads too). */
size_t fsnvm_pmem_read(void *dst, const void *src, size_t len)
{
	const u8 *s = src;

	if (s < poison_hi && s + len > poison_lo &&
	    len == sizeof(struct fsnvm_entry) && poison_entry_reads_ok) {
		poison_entry_reads_ok--;
	} else if (s < poison_hi && s + len > poison_lo) {
		size_t ok = s < poison_lo ? (size_t)(poison_lo - s) : 0;

		memcpy(dst, src, ok);
		return len - ok;
	}
	memcpy(dst, src, len);
	return 0;
}

/*
 * Fences of the engine, watched by bad_listed_newest(): the entry of a
 * block's newest copy must not stop naming it in the same fence window
 * as its older copy's, or a crash there would leave the older one named
 * alone.
 */
static struct fence_order {
	const void *img;
	struct fsnvm_geometry geo;
	u32 older, newer;
	bool watching, older_named, newer_named;
	unsigned int early;	/* windows where the newest went first */
} order;

static bool names_block5(u32 f)
{
	const struct fsnvm_entry *ent = fsnvm_entry_at((void *)order.img,
						       &order.geo, f);
	u64 key = le64_to_cpu(ent->key);

	return fsnvm_entry_classify(ent) == FSNVM_ENTRY_MAPPED &&
	       !fsnvm_key_type(key) && fsnvm_key_offset(key) == 5;
}

/* Replaces the weak one of tests/persist_memcpy.c. */
void fsnvm_pmem_fence(void)
{
	bool older, newer;

	if (!order.watching)
		return;
	older = names_block5(order.older);
	newer = names_block5(order.newer);
	if (!newer && order.newer_named && order.older_named)
		order.early++;
	order.older_named = older;
	order.newer_named = newer;
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

/*
 * Open an engine, with one frame on the badblocks list unless bad is
 * FSNVM_NO_FRAME; not recovered yet.
 */
static struct fsnvm_engine *open_marked(void *img, u64 bytes, u32 bad)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = fsnvm_engine_open(img, bytes, &st);

	CHECK(e, "open: %s", fsnvm_media_str(st));
	if (bad != FSNVM_NO_FRAME)
		fsnvm_mark_bad(e, bad);
	return e;
}

/* open_marked(), then recover the engine in mode. */
static struct fsnvm_engine *open_bad_listed(void *img, u64 bytes, u32 bad,
					    enum fsnvm_recover_mode mode,
					    struct fsnvm_recovery *rep)
{
	struct fsnvm_engine *e = open_marked(img, bytes, bad);

	CHECK(fsnvm_recover(e, mode, rep) == 0, "recover");
	return e;
}

/*
 * Write block 5 of a KEEP device (a small machine's reserve: 4 writers)
 * through a bind; returns the frame holding it at the next bind.
 */
static u32 store_block5(void *img, u64 bytes, unsigned int version)
{
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	u32 frame;

	fsnvm_test_nr_writers = 4;
	e = open_recovered(img, bytes, FSNVM_RECOVER_KEEP, &rep);
	fill_page(page, 5, version);
	page[0] |= 1;
	CHECK(fsnvm_store(e, 0, 5, page) == 0, "store v%u", version);
	fsnvm_engine_close(e);
	e = open_recovered(img, bytes, FSNVM_RECOVER_INSPECT, &rep);
	frame = fsnvm_keymap_find(&e->map, 0, 5);
	CHECK(frame != FSNVM_NO_FRAME, "block 5 not kept");
	fsnvm_engine_close(e);
	return frame;
}

/* Watch the fences of the next bind for block 5's two copies. */
static void watch_block5(const void *img, u64 bytes, u32 older, u32 newer)
{
	order = (struct fence_order){
		.img = img, .older = older, .newer = newer,
		.watching = true, .older_named = true, .newer_named = true,
	};
	CHECK(fsnvm_geometry_for_size(bytes, &order.geo) == FSNVM_MEDIA_OK,
	      "geometry");
}

/* Stop watching, after the bind's last fence; did the order hold? */
static bool block5_order_held(void)
{
	fsnvm_pmem_fence();
	order.watching = false;
	return !order.early && !order.older_named && !order.newer_named;
}

/*
 * A crash left block 5's older copy named beside its newer one: its clear
 * never reached the media.  Returns the image as the crash left it, and
 * the two frames.
 */
static void *crashed_block5(u64 bytes, u32 *old_frame, u32 *new_frame)
{
	void *img = make_image(bytes, 0);
	struct fsnvm_geometry geo;
	struct fsnvm_entry older;

	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK,
	      "geometry");
	*old_frame = store_block5(img, bytes, 1);
	older = *fsnvm_entry_at(img, &geo, *old_frame);
	*new_frame = store_block5(img, bytes, 2);
	CHECK(*new_frame != *old_frame &&
	      le64_to_cpu(fsnvm_entry_at(img, &geo, *new_frame)->seq) >
	      le64_to_cpu(older.seq), "the rewrite went out of place");
	*fsnvm_entry_at(img, &geo, *old_frame) = older;
	return img;
}

/* Reads of the frame's entry fail after the first `ok` of them. */
static void poison_entry(const void *img, u64 bytes, u32 frame,
			 unsigned int ok)
{
	struct fsnvm_geometry geo;

	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK,
	      "geometry");
	poison_lo = (const u8 *)fsnvm_entry_at((void *)img, &geo, frame);
	poison_hi = poison_lo + sizeof(struct fsnvm_entry);
	poison_entry_reads_ok = ok;
}

/*
 * The crash of crashed_block5(), and the newer copy's frame on the
 * badblocks list at the next bind (the swap device's, which keeps pages):
 * the block is lost, its read fails once, then reads as never written;
 * the older copy is never served, not at this bind nor at the next one
 * without the bad block.  An attach releases both copies.
 */
static void bad_listed_newest(void)
{
	const u64 bytes = 1024 * 1024;
	void *img, *crashed = malloc(bytes);
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_geometry geo;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	u32 old_frame, new_frame;
	u64 new_seq;

	CHECK(crashed, "oom");
	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK,
	      "geometry");
	img = crashed_block5(bytes, &old_frame, &new_frame);
	memcpy(crashed, img, bytes);
	new_seq = le64_to_cpu(fsnvm_entry_at(img, &geo, new_frame)->seq);

	watch_block5(img, bytes, old_frame, new_frame);
	e = open_bad_listed(img, bytes, new_frame, FSNVM_RECOVER_KEEP, &rep);
	CHECK(block5_order_held(),
	      "the bind rewrote the newest copy's entry before the older one's was durable");
	CHECK(rep.lost == 1 && rep.duplicates == 1, "%llu lost, %llu duplicates",
	      (unsigned long long)rep.lost, (unsigned long long)rep.duplicates);
	CHECK(fsnvm_load(e, 0, 5, page) == -EIO, "lost block read");
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT, "lost block read again");
	CHECK(fsnvm_entry_classify(fsnvm_entry_at(img, &e->geo, old_frame)) ==
	      FSNVM_ENTRY_FREE, "the older copy still named");
	CHECK(le32_to_cpu(fsnvm_entry_at(img, &e->geo, new_frame)->flags) &
	      FSNVM_ENT_RETIRED, "the lost page's frame not retired");
	fsnvm_engine_close(e);
	e = open_recovered(img, bytes, FSNVM_RECOVER_KEEP, &rep);
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT,
	      "the block came back at the next bind");
	CHECK(fsnvm_fstate(e, new_frame) == FSNVM_FS_BAD, "frame back in use");
	fsnvm_engine_close(e);

	e = open_bad_listed(crashed, bytes, new_frame, FSNVM_RECOVER_ATTACH,
			    &rep);
	CHECK(rep.released == 2, "%llu released",
	      (unsigned long long)rep.released);
	CHECK(fsnvm_super_stale_below(fsnvm_engine_super(e)) > new_seq,
	      "the bad-listed copy not released");
	fsnvm_engine_close(e);
	printf("a block's newest copy on a bad-listed frame: lost loudly (-EIO), its older copy never served, both released by an attach\n");
	fsnvm_test_nr_writers = 0;
	free(crashed);
	free(img);
}

/*
 * The same order for a newest copy on a good frame that no vouch covers (a
 * crash inside its store): the bind drops it, and must not clear its entry
 * in the fence window that clears the older copy's, or a crash there would
 * leave the older copy named alone, and served by the next bind.
 */
static void uncommitted_newest(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	struct fsnvm_entry *ent;
	struct fsnvm_engine *e;
	u32 old_frame, new_frame;

	old_frame = store_block5(img, bytes, 1);
	e = open_recovered(img, bytes, FSNVM_RECOVER_INSPECT, &rep);
	for (new_frame = 0; new_frame < e->geo.nr_frames; new_frame++)
		if (fsnvm_fstate(e, new_frame) == FSNVM_FS_FREE)
			break;
	CHECK(new_frame < e->geo.nr_frames, "no free frame");
	/* a newer copy by a writer nothing vouches for */
	ent = fsnvm_entry_at(img, &e->geo, new_frame);
	*ent = *fsnvm_entry_at(img, &e->geo, old_frame);
	ent->seq = cpu_to_le64(le64_to_cpu(ent->seq) + 10);
	ent->writer = cpu_to_le16(FSNVM_MAX_WRITERS);
	ent->vouch_writer = 0;
	ent->vouch_seq = 0;
	fsnvm_entry_seal(ent);
	fsnvm_engine_close(e);

	watch_block5(img, bytes, old_frame, new_frame);
	e = open_recovered(img, bytes, FSNVM_RECOVER_KEEP, &rep);
	CHECK(block5_order_held(),
	      "the bind cleared the uncommitted copy's entry before the older one's was durable");
	CHECK(rep.uncommitted == 1 && rep.duplicates == 1,
	      "%llu uncommitted, %llu duplicates",
	      (unsigned long long)rep.uncommitted,
	      (unsigned long long)rep.duplicates);
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT, "block 5 not dropped");
	fsnvm_engine_close(e);
	fsnvm_test_nr_writers = 0;
	printf("a block's newest copy uncommitted: dropped, its entry cleared a fence after the older copy's\n");
	free(img);
}

/*
 * The crash of crashed_block5(), and the newer copy's entry unreadable at
 * the next bind keeping pages, its frame on the badblocks list or not:
 * the key it named is unknown, so the older copy, or any page kept, may
 * not be the newest.  The bind is refused before it writes anything and
 * serves nothing; `fsnvmctl check` (INSPECT) still reads the rest, and an
 * attach, which keeps nothing, goes on.
 */
static void unreadable_newest(bool listed)
{
	const u64 bytes = 1024 * 1024;
	u32 old_frame, new_frame, mark;
	void *img = crashed_block5(bytes, &old_frame, &new_frame);
	void *before = malloc(bytes);
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	int ret;

	CHECK(before, "oom");
	memcpy(before, img, bytes);
	poison_entry(img, bytes, new_frame, 0);
	mark = listed ? new_frame : FSNVM_NO_FRAME;
	e = open_marked(img, bytes, mark);
	ret = fsnvm_recover(e, FSNVM_RECOVER_KEEP, &rep);
	CHECK(ret == -EIO, "a bind keeping pages went on past an unreadable entry: %d",
	      ret);
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT,
	      "the refused bind serves the block's older copy");
	fill_page(page, 6, 1);
	CHECK(fsnvm_store(e, 0, 6, page) == -EROFS, "the refused bind stores");
	fsnvm_engine_close(e);
	CHECK(!memcmp(img, before, bytes), "the refused bind wrote the media");

	e = open_bad_listed(img, bytes, mark, FSNVM_RECOVER_INSPECT, &rep);
	CHECK(listed ? rep.bad_unreadable == 1 && !rep.unreadable :
	      rep.unreadable == 1 && !rep.bad_unreadable,
	      "%llu unreadable, %llu bad-listed unreadable",
	      (unsigned long long)rep.unreadable,
	      (unsigned long long)rep.bad_unreadable);
	fsnvm_engine_close(e);
	CHECK(!memcmp(img, before, bytes), "inspecting wrote the media");

	e = open_recovered(img, bytes, FSNVM_RECOVER_ATTACH, &rep);
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT, "an attach kept block 5");
	fsnvm_engine_close(e);
	poison_lo = poison_hi = NULL;
	fsnvm_test_nr_writers = 0;
	printf("a block's newest copy behind an unreadable entry (%s): the bind keeping pages refused (-EIO), media untouched, nothing served\n",
	       listed ? "bad-listed" : "not listed");
	free(before);
	free(img);
}

/*
 * An entry the scan read that cannot be read again later in the same
 * bind: while resolving a key named twice, the bind is refused as above;
 * while checking a kept page (its only copy), the page is lost as after a
 * memory error: its read fails once and says so, its frame retired.
 */
static void reread_fails(void)
{
	const u64 bytes = 1024 * 1024;
	u32 old_frame, new_frame, frame;
	void *img = crashed_block5(bytes, &old_frame, &new_frame);
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *e;

	/* The frame scanned first is the one read again for its seq. */
	poison_entry(img, bytes, old_frame < new_frame ? old_frame : new_frame,
		     1);
	e = fsnvm_engine_open(img, bytes, &st);
	CHECK(e, "open: %s", fsnvm_media_str(st));
	CHECK(fsnvm_recover(e, FSNVM_RECOVER_KEEP, &rep) == -EIO,
	      "the bind resolved block 5 past an entry it could not read again");
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT,
	      "the refused bind serves block 5");
	fsnvm_engine_close(e);
	poison_lo = poison_hi = NULL;
	free(img);

	img = make_image(bytes, 0);
	frame = store_block5(img, bytes, 1);
	poison_entry(img, bytes, frame, 1);
	e = open_recovered(img, bytes, FSNVM_RECOVER_KEEP, &rep);
	CHECK(rep.lost == 1, "%llu lost", (unsigned long long)rep.lost);
	CHECK(fsnvm_load(e, 0, 5, page) == -EIO,
	      "a kept page whose entry failed its second read was served");
	CHECK(fsnvm_load(e, 0, 5, page) == -ENOENT, "lost block read again");
	CHECK(fsnvm_fstate(e, frame) == FSNVM_FS_BAD, "frame not retired");
	fsnvm_engine_close(e);
	poison_lo = poison_hi = NULL;
	fsnvm_test_nr_writers = 0;
	printf("an entry unreadable on its second read: the bind refused while resolving a duplicate, the page lost (-EIO) while checking a kept one\n");
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
	bad_listed_newest();
	uncommitted_newest();
	unreadable_newest(false);
	unreadable_newest(true);
	reread_fails();
	printf("media errors: 12 cases, 0 failures\n");
	return 0;
}
