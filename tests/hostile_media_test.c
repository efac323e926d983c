// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile media: index entries whose crc is right (resealed) but whose
 * counters no engine wrote, and torn entries whose wear is garbage.  The
 * engine must not hang, must not let a wear wrap or leave the plausible
 * range, must not trust a store a forged vouch or seq would cover, must
 * not let a forged seq make a stale copy win, and must give a torn
 * entry the highest wear known when attach rewrites it (never its own
 * field, never 0).  Each case runs under an alarm: a hang fails the test.
 *
 * Writers are threads in userspace: this single-threaded test stores as
 * writer 1 (tools/shim/writer_id.c).
 */
#include <signal.h>
#include <unistd.h>

#include "test_util.h"

#define MIB (1024 * 1024)
#define WEAR_BOUND ((1ULL << 48) - 1)	/* FSNVM_WEAR_MAX */

static const char *current = "?";

static void on_alarm(int sig)
{
	(void)sig;
	fprintf(stderr, "FAIL: %s: hangs (no progress in 10 s)\n", current);
	_exit(1);
}

static void begin(const char *name)
{
	current = name;
	alarm(10);
}

static void done(void)
{
	alarm(0);
	printf("ok: %s\n", current);
}

static struct fsnvm_geometry geo_of(u64 bytes)
{
	struct fsnvm_geometry geo;

	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK, "geo");
	return geo;
}

static struct fsnvm_entry *entry(void *img, u64 bytes, u64 frame)
{
	struct fsnvm_geometry geo = geo_of(bytes);

	return fsnvm_entry_at(img, &geo, frame);
}

static void *copy_of(const void *img, u64 bytes)
{
	void *c = aligned_alloc(4096, bytes);

	CHECK(c, "oom");
	memcpy(c, img, bytes);
	return c;
}

/* The page of (key, version), never same-filled. */
static void page_of(u8 *page, u64 key, u64 version)
{
	fill_page(page, key, version);
	page[0] ^= 1;
	page[8] ^= 2;
}

/* Open read-only, as after a crash (fsnvmctl check, the crash test). */
static struct fsnvm_engine *inspect(void *img, u64 bytes,
				    struct fsnvm_recovery *rep)
{
	return open_recovered(img, bytes, FSNVM_RECOVER_INSPECT, rep);
}

/* Every entry crc-valid with a wear in the plausible range. */
static void check_wears(void *img, u64 bytes, u64 at_least)
{
	struct fsnvm_geometry geo = geo_of(bytes);
	u64 f;

	for (f = 0; f < geo.nr_frames; f++) {
		struct fsnvm_entry *ent = fsnvm_entry_at(img, &geo, f);
		u64 wear = le64_to_cpu(ent->wear);

		CHECK(fsnvm_entry_crc_ok(ent), "%s: frame %llu torn", current,
		      (unsigned long long)f);
		CHECK(wear <= WEAR_BOUND && wear >= at_least,
		      "%s: frame %llu has wear %llu (want %llu..2^48-1)",
		      current, (unsigned long long)f,
		      (unsigned long long)wear, (unsigned long long)at_least);
	}
}

/*
 * Attach, then store into every frame: the hostile frame must come out
 * of the pool (no hang) and take the write with a plausible wear.
 */
static void fill_all(void *img, u64 bytes)
{
	static u8 page[FSNVM_PAGE_SIZE];
	struct fsnvm_engine *e = attach(img, bytes);
	u64 k;

	for (k = 0; k < e->geo.nr_frames; k++) {
		page_of(page, k, 1);
		CHECK(fsnvm_store(e, 0, k, page) == 0, "%s: store %llu", current,
		      (unsigned long long)k);
	}
	page_of(page, k, 1);
	CHECK(fsnvm_store(e, 0, k, page) == -ENOSPC, "%s: a store beyond full",
	      current);
	fsnvm_engine_close(e);
	check_wears(img, bytes, 1);	/* every frame written: none wrapped */
}

/* wear 2^64-1, crc resealed: the pool's window would overflow. */
static void wear_max_u64(void)
{
	void *img = make_image(MIB, 0);

	begin("free entry with wear 2^64-1, crc resealed");
	entry(img, MIB, 5)->wear = cpu_to_le64(~0ULL);
	fsnvm_entry_seal(entry(img, MIB, 5));
	fill_all(img, MIB);
	done();
	free(img);
}

/* An index line of 0xff, crc wrong or resealed (a key out of range). */
static void all_ones(bool reseal)
{
	void *img = make_image(MIB, 0);

	begin(reseal ? "all-0xff entry, crc resealed" : "all-0xff entry, crc wrong");
	memset(entry(img, MIB, 7), 0xff, FSNVM_ENTRY_BYTES);
	if (reseal)
		fsnvm_entry_seal(entry(img, MIB, 7));
	fill_all(img, MIB);
	done();
	free(img);
}

/* A plausible wear at the bound: one more write must not pass it. */
static void wear_at_bound(void)
{
	void *img = make_image(MIB, 0);

	begin("wear at the bound saturates");
	entry(img, MIB, 3)->wear = cpu_to_le64(WEAR_BOUND);
	fsnvm_entry_seal(entry(img, MIB, 3));
	fill_all(img, MIB);
	CHECK(le64_to_cpu(entry(img, MIB, 3)->wear) == WEAR_BOUND,
	      "wear %llu", (unsigned long long)le64_to_cpu(entry(img, MIB, 3)->wear));
	done();
	free(img);
}

/*
 * Attach notes each frame's wear in 32 bits between its scan and the
 * pool's fill (fsnvm_wear_pool_note()).  A mapped entry whose plausible
 * wear does not fit, and a torn entry (the highest wear known stands for
 * it), must still reach the pool with their whole wear: they are its two
 * most worn frames, at 2^40 + 3.  The attach writes no entry but the torn
 * one, rewritten clean; the superblock's stale_below releases the two
 * keys, so the device maps nothing after it.
 */
static void wear_beyond_note(void)
{
	const u64 big = (1ULL << 40) + 3;
	void *img = make_image(MIB, 0);
	struct fsnvm_entry *ent = entry(img, MIB, 3);
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	u64 w, f;
	u32 a, b;
	void *before;

	begin("attach: a wear beyond 32 bits and a torn entry reach the pool whole");
	ent->key = cpu_to_le64(fsnvm_key(0, 77));
	ent->seq = cpu_to_le64(5);
	ent->wear = cpu_to_le64(big);
	fsnvm_entry_seal(ent);
	entry(img, MIB, 4)->crc ^= cpu_to_le32(1);	/* torn */
	ent = entry(img, MIB, 5);
	ent->key = cpu_to_le64(fsnvm_key(0, 78));
	ent->seq = cpu_to_le64(6);
	ent->wear = cpu_to_le64(4);
	fsnvm_entry_seal(ent);
	before = copy_of(img, MIB);
	e = open_recovered(img, MIB, FSNVM_RECOVER_ATTACH, &rep);
	CHECK(rep.valid == 2 && rep.released == 2 && rep.torn == 1,
	      "valid %llu released %llu torn %llu",
	      (unsigned long long)rep.valid, (unsigned long long)rep.released,
	      (unsigned long long)rep.torn);
	spin_lock(&e->lock);
	a = fsnvm_wear_pool_get_most(&e->pool, &w);
	CHECK(w == big, "most worn free frame %u has wear %llu, want %llu", a,
	      (unsigned long long)w, (unsigned long long)big);
	b = fsnvm_wear_pool_get_most(&e->pool, &w);
	CHECK(w == big && ((a == 3 && b == 4) || (a == 4 && b == 3)),
	      "next most worn: frame %u wear %llu", b, (unsigned long long)w);
	fsnvm_wear_pool_get_most(&e->pool, &w);
	CHECK(w < 8, "third most worn has wear %llu", (unsigned long long)w);
	spin_unlock(&e->lock);
	for (f = 0; f < e->geo.nr_frames; f++)
		CHECK(f == 4 || !memcmp(entry(img, MIB, f), entry(before, MIB, f),
					FSNVM_ENTRY_BYTES),
		      "attach rewrote the entry of frame %llu",
		      (unsigned long long)f);
	CHECK(fsnvm_entry_classify(entry(img, MIB, 4)) == FSNVM_ENTRY_FREE,
	      "the torn entry is not rewritten clean");
	CHECK(le64_to_cpu(entry(img, MIB, 3)->wear) == big &&
	      le64_to_cpu(entry(img, MIB, 4)->wear) == big, "wear on the media");
	fsnvm_engine_close(e);
	e = inspect(img, MIB, &rep);
	CHECK(rep.valid == 0 && rep.stale == 2 && !fsnvm_load(e, 0, 78, before) == 0,
	      "after the attach: %llu valid, %llu stale",
	      (unsigned long long)rep.valid, (unsigned long long)rep.stale);
	fsnvm_engine_close(e);
	done();
	free(before);
	free(img);
}

/* Set stale_below in both superblock copies, crcs resealed. */
static void forge_stale_below(void *img, u64 value, bool feature)
{
	for (u64 off = 0; off <= FSNVM_SUPER_BACKUP; off += FSNVM_SUPER_BACKUP) {
		struct fsnvm_super *sb = (void *)((u8 *)img + off);

		if (feature)
			sb->incompat |= cpu_to_le64(FSNVM_INCOMPAT_STALE_BELOW);
		else
			sb->incompat &= ~cpu_to_le64(FSNVM_INCOMPAT_STALE_BELOW);
		sb->stale_below = cpu_to_le64(value);
		sb->crc = cpu_to_le32(fsnvm_super_crc(sb));
	}
}

/*
 * A superblock whose stale_below no engine writes (2^64-1, crc right):
 * every entry is released, and as no seq is left for new stores the
 * attach is refused and the engine stays read-only.  Without the feature
 * bit the field means nothing: the page is still there.
 */
static void stale_below_forged(void)
{
	static u8 page[FSNVM_PAGE_SIZE], got[FSNVM_PAGE_SIZE];
	void *img = make_image(MIB, 0), *plain;
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *e;

	begin("superblock stale_below 2^64-1, crc resealed");
	e = attach(img, MIB);
	page_of(page, 5, 1);
	CHECK(fsnvm_store(e, 0, 5, page) == 0, "store");
	fsnvm_engine_close(e);
	plain = copy_of(img, MIB);
	forge_stale_below(img, ~0ULL, true);
	e = inspect(img, MIB, &rep);
	CHECK(rep.valid == 0 && rep.stale == 1 &&
	      fsnvm_load(e, 0, 5, got) == -ENOENT,
	      "inspect: %llu valid, %llu stale", (unsigned long long)rep.valid,
	      (unsigned long long)rep.stale);
	fsnvm_engine_close(e);
	e = fsnvm_engine_open(img, MIB, &st);
	CHECK(e, "open: %s", fsnvm_media_str(st));
	CHECK(fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep) == -EOVERFLOW,
	      "attach not refused");
	CHECK(fsnvm_store(e, 0, 6, page) == -EROFS, "store not refused");
	fsnvm_engine_close(e);
	forge_stale_below(plain, ~0ULL, false);
	e = inspect(plain, MIB, &rep);
	CHECK(rep.valid == 1 && !rep.stale && fsnvm_load(e, 0, 5, got) == 0 &&
	      !memcmp(got, page, sizeof(got)),
	      "without the feature: %llu valid, %llu stale",
	      (unsigned long long)rep.valid, (unsigned long long)rep.stale);
	fsnvm_engine_close(e);
	done();
	free(plain);
	free(img);
}

/*
 * What an attach releases stays released for a bind that keeps pages
 * (the swap device's KEEP), and what is stored after it does not: the
 * page stored before the attach is gone, the one after it is kept, and a
 * second attach with nothing stored since writes nothing at all.
 */
#define KEEP_BYTES (8 * MIB)	/* room for a block device beyond its reserve */

static void attach_then_keep(void)
{
	static u8 page[FSNVM_PAGE_SIZE], got[FSNVM_PAGE_SIZE];
	void *img = make_image(KEEP_BYTES, 0), *before;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;

	begin("pages an attach released stay released for a keep bind");
	fsnvm_test_nr_writers = 4;	/* a small machine's reserve */
	e = attach(img, KEEP_BYTES);
	page_of(page, 1, 1);
	CHECK(fsnvm_store(e, 0, 1, page) == 0, "store before");
	fsnvm_engine_close(e);
	e = attach(img, KEEP_BYTES);
	page_of(page, 2, 1);
	CHECK(fsnvm_store(e, 0, 2, page) == 0, "store after");
	fsnvm_engine_close(e);
	e = open_recovered(img, KEEP_BYTES, FSNVM_RECOVER_KEEP, &rep);
	CHECK(fsnvm_load(e, 0, 1, got) == -ENOENT, "released page kept");
	CHECK(fsnvm_load(e, 0, 2, got) == 0 && !memcmp(got, page, sizeof(got)),
	      "page stored after the attach lost");
	CHECK(rep.valid == 1 && rep.stale == 1, "keep: %llu valid, %llu stale",
	      (unsigned long long)rep.valid, (unsigned long long)rep.stale);
	fsnvm_engine_close(e);
	e = attach(img, KEEP_BYTES);
	fsnvm_engine_close(e);
	before = copy_of(img, KEEP_BYTES);
	e = attach(img, KEEP_BYTES);
	fsnvm_engine_close(e);
	CHECK(!memcmp(before, img, KEEP_BYTES), "an attach with nothing to release wrote");
	done();
	free(before);
	free(img);
}

/*
 * A free entry whose vouch names writer 2000 (beyond FSNVM_MAX_WRITERS),
 * crc resealed: implausible, so attach rewrites it clean.  Kept, its
 * vouch would be carried forward by the balancer into the entry of the
 * page it moves there, which recovery then refuses: the page is lost.
 */
static void free_bad_vouch_writer(void)
{
	void *img = make_image(MIB, 0);
	struct fsnvm_entry *ent = entry(img, MIB, 5);
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *e;

	begin("free entry with vouch writer 2000, crc resealed");
	ent->vouch_writer = cpu_to_le16(2000);
	ent->vouch_seq = cpu_to_le64(7);
	fsnvm_entry_seal(ent);
	e = fsnvm_engine_open(img, MIB, &st);
	CHECK(e, "open: %s", fsnvm_media_str(st));
	CHECK(fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep) == 0, "recover");
	CHECK(rep.implausible == 1, "%llu implausible entries, want 1",
	      (unsigned long long)rep.implausible);
	CHECK(fsnvm_entry_crc_ok(ent) && !ent->vouch_writer && !ent->vouch_seq,
	      "attach kept vouch writer %u seq %llu",
	      le16_to_cpu(ent->vouch_writer),
	      (unsigned long long)le64_to_cpu(ent->vouch_seq));
	fsnvm_engine_close(e);
	fill_all(img, MIB);
	done();
	free(img);
}

/*
 * A free entry with a plausible seq that leaves no room for the seqs of
 * stores below FSNVM_SEQ_MAX: stored, a page's entry would carry a seq
 * beyond it and the next recovery would drop the page as implausible.
 * Attach is refused then (-EOVERFLOW), and a caller that goes on anyway
 * finds every store refused; one seq lower (room for 2^59 stores) a page
 * stored survives a clean close and reopen.
 */
static void seq_room(u64 seq, bool room)
{
	static u8 page[FSNVM_PAGE_SIZE], got[FSNVM_PAGE_SIZE];
	struct fsnvm_entry *ent;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	enum fsnvm_media_status st;
	void *img = make_image(MIB, 0);
	int ret;

	ent = entry(img, MIB, 9);
	ent->seq = cpu_to_le64(seq);
	fsnvm_entry_seal(ent);
	e = fsnvm_engine_open(img, MIB, &st);
	CHECK(e, "%s: open: %s", current, fsnvm_media_str(st));
	ret = fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep);
	CHECK(ret == (room ? 0 : -EOVERFLOW), "%s: attach gave %d", current,
	      ret);
	page_of(page, 3, 1);
	ret = fsnvm_store(e, 0, 3, page);
	CHECK(ret == (room ? 0 : -EROFS), "%s: store gave %d", current, ret);
	fsnvm_engine_close(e);
	e = inspect(img, MIB, &rep);
	CHECK(!rep.implausible, "%s: %llu implausible entries after a close",
	      current, (unsigned long long)rep.implausible);
	ret = fsnvm_load(e, 0, 3, got);
	CHECK(room ? ret == 0 && !memcmp(page, got, sizeof(got)) : ret == -ENOENT,
	      "%s: load after reopen gave %d", current, ret);
	fsnvm_engine_close(e);
	free(img);
}

static void seq_no_room(void)
{
	begin("seq 2^60-1 in a free entry: no room, attach refused");
	seq_room((1ULL << 60) - 1, false);
	seq_room((1ULL << 60) - (1ULL << 59) + 1, false);
	done();
	begin("seq 2^59-1 in a free entry: a store survives a reopen");
	seq_room((1ULL << 60) - 1 - (1ULL << 59), true);
	done();
}

/*
 * After attach, store one page as writer 1 and crash (copy the media
 * without a close), its data torn.  Nothing vouches for the store yet, so
 * recovery must not serve it: neither a forged vouch_seq nor a seq that
 * wrapped the engine's counter to 0 (which every writer's default vouch
 * covers) may make it trusted.
 */
static void torn_store_after(const char *name, u64 seq, u64 vouch_seq)
{
	static u8 page[FSNVM_PAGE_SIZE], got[FSNVM_PAGE_SIZE];
	const u64 bytes = 2 * MIB;
	void *img = make_image(bytes, 0), *crash;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_entry *ent = entry(img, bytes, 300);
	u32 frame;
	int ret;

	begin(name);
	ent->seq = cpu_to_le64(seq);
	ent->vouch_writer = cpu_to_le16(1);
	ent->vouch_seq = cpu_to_le64(vouch_seq);
	ent->wear = cpu_to_le64(1000);	/* most worn: no store takes it */
	fsnvm_entry_seal(ent);
	e = attach(img, bytes);
	page_of(page, 42, 1);
	CHECK(fsnvm_store(e, 0, 42, page) == 0, "store");
	fsnvm_publish_stores(e);
	frame = fsnvm_keymap_find(&e->map, 0, 42);
	CHECK(frame != FSNVM_NO_FRAME, "stored");
	crash = copy_of(img, bytes);
	memset(fsnvm_frame_at(crash, &e->geo, frame), 0x5a, 64); /* torn */
	fsnvm_engine_close(e);

	e = inspect(crash, bytes, &rep);
	ret = fsnvm_load(e, 0, 42, got);
	CHECK(ret == -ENOENT, "%s: load after the crash gave %d%s (max_seq %llu)",
	      name, ret, ret ? "" : ", a torn page",
	      (unsigned long long)rep.max_seq);
	CHECK(rep.uncommitted == 1, "uncommitted %llu",
	      (unsigned long long)rep.uncommitted);
	fsnvm_engine_close(e);
	done();
	free(crash);
	free(img);
}

/*
 * A key in two entries after a crash: the current copy (seq 10) and one
 * with seq 2^64-1, crc resealed, holding an older page.  The forged seq
 * must not make the old page win.
 */
static void stale_copy(void)
{
	static u8 cur[FSNVM_PAGE_SIZE], old[FSNVM_PAGE_SIZE], got[FSNVM_PAGE_SIZE];
	struct fsnvm_geometry geo = geo_of(MIB);
	void *img = make_image(MIB, 0);
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_entry *a = entry(img, MIB, 20), *b = entry(img, MIB, 21);
	int ret;

	begin("seq 2^64-1 on a stale copy");
	page_of(old, 9, 1);
	page_of(cur, 9, 2);
	memcpy(fsnvm_frame_at(img, &geo, 20), old, FSNVM_PAGE_SIZE);
	memcpy(fsnvm_frame_at(img, &geo, 21), cur, FSNVM_PAGE_SIZE);
	a->key = b->key = cpu_to_le64(fsnvm_key(0, 9));
	a->wear = b->wear = cpu_to_le64(1);
	a->seq = cpu_to_le64(~0ULL);
	b->seq = cpu_to_le64(10);
	fsnvm_entry_seal(a);
	fsnvm_entry_seal(b);
	e = inspect(img, MIB, &rep);
	ret = fsnvm_load(e, 0, 9, got);
	CHECK(ret == 0 && !memcmp(got, cur, FSNVM_PAGE_SIZE),
	      "load gave %d, %s", ret, ret ? "nothing" :
	      !memcmp(got, old, FSNVM_PAGE_SIZE) ? "the stale page" : "garbage");
	CHECK(rep.max_seq == 10, "max_seq %llu", (unsigned long long)rep.max_seq);
	fsnvm_engine_close(e);
	done();
	free(img);
}

/*
 * Attach rewrites a torn entry clean.  Its wear field is untrusted: the
 * frame gets the highest wear known (frame 7 holds 500), whether the torn
 * field says 0 or 2^64-1.
 */
static void torn_wear(bool ones)
{
	void *img = make_image(MIB, 0);
	struct fsnvm_engine *e;
	struct fsnvm_entry *t = entry(img, MIB, 9);
	u64 wear;

	begin(ones ? "attach gives a torn 0xff entry the highest wear known" :
	      "attach gives a torn zeroed entry the highest wear known");
	entry(img, MIB, 7)->wear = cpu_to_le64(500);
	fsnvm_entry_seal(entry(img, MIB, 7));
	memset(t, ones ? 0xff : 0, sizeof(*t));
	CHECK(!fsnvm_entry_crc_ok(t), "not torn");
	e = attach(img, MIB);
	wear = le64_to_cpu(t->wear);
	CHECK(fsnvm_entry_crc_ok(t) && wear == 500,
	      "torn frame resealed with wear %llu, the highest known is 500",
	      (unsigned long long)wear);
	CHECK(e->stats.wear_max == 500, "wear_max %llu",
	      (unsigned long long)e->stats.wear_max);
	fsnvm_engine_close(e);
	done();
	free(img);
}

static void torn_zero(void) { torn_wear(false); }
static void torn_ones(void) { torn_wear(true); }
static void ones_torn(void) { all_ones(false); }
static void ones_sealed(void) { all_ones(true); }
static void forged_vouch(void)
{
	torn_store_after("vouch_seq 2^64-1 in a free entry", 0, ~0ULL);
}

static void forged_seq(void)
{
	torn_store_after("seq 2^64-1 in a free entry", ~0ULL, 0);
}

/* hostile_media_test [N]: every case, or only case N (0-based). */
int main(int argc, char **argv)
{
	static void (*const cases[])(void) = {
		torn_zero, torn_ones, wear_max_u64, ones_torn, ones_sealed,
		wear_at_bound, forged_vouch, forged_seq, stale_copy,
		free_bad_vouch_writer, seq_no_room, wear_beyond_note,
		stale_below_forged, attach_then_keep,
	};
	unsigned int i, n = sizeof(cases) / sizeof(cases[0]);

	signal(SIGALRM, on_alarm);
	for (i = 0; i < n; i++)
		if (argc < 2 || i == strtoul(argv[1], NULL, 0))
			cases[i]();
	printf("hostile media: no hang, no wrap, nothing stale or torn served\n");
	return 0;
}
