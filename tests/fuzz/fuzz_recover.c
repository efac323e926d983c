// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the engine's attach: fsnvm_engine_open() and
 * fsnvm_recover() on a hostile index whose crcs are resealed, first
 * INSPECT then ATTACH, then a few operations on the attached engine, a
 * clean close and a reopen.  The input is the compact image of
 * fuzz_image.h; its trailing bytes are operations, two bytes each:
 *
 *   b0 bits 0..2  0-2 store, 3-4 load, 5 invalidate_page,
 *                 6 invalidate_area, 7 a balancer step
 *      bits 3..4  swap type (0..3)
 *      bits 5..7  offset bits 4..6
 *   b1 bits 0..3  offset bits 0..3 (offsets 0..127)
 *      bits 4..7  page version (0 mod 4: a same-filled page); the
 *                 balancer's threshold
 *
 * Oracles, beyond "no crash, no sanitizer report, no hang (-timeout)":
 *  INSPECT  writes nothing (image read-only, fsnvm_pmem_copy traps);
 *           every used frame's entry is valid, committed and the key
 *           map's frame for its key, and no valid entry of the key beats
 *           it (so no key has two frames), a bad-listed frame's entry
 *           included: a key whose winner that is stays mapped there and
 *           its load fails (lost); an entry below the
 *           superblock's stale_below maps nothing; the max seq is the
 *           highest seq or vouch seq of a trusted entry (neither torn nor
 *           implausible, fsnvm_layout.h), or stale_below - 1; the
 *           verifier of `fsnvmctl
 *           check` counts the same entries; loads return the mapped
 *           pages, or -EIO (counted, nothing retired) when their data
 *           crc is wrong;
 *  ATTACH   every frame is free or bad and the map is empty; it writes
 *           no trusted entry, and the superblock's stale_below then
 *           releases every key named; an untrusted entry is rewritten
 *           free with the highest trusted wear; a bad frame's entry is
 *           not touched, but stale_below releases it too;
 *  serving  loads return what the model stored, or -ENOENT when it holds
 *           nothing; stores fail only with -ENOSPC, or all with -EROFS
 *           when the seqs found leave no room below FSNVM_SEQ_MAX; invalidate_area drops
 *           what the model holds of the type; the counters add up; the
 *           wear written is the data writes counted (fewer only where it
 *           saturated at FSNVM_WEAR_MAX); wear never drops;
 *  reopen   after the clean close, INSPECT maps exactly the model's pages,
 *           all vouched for, with their data.
 * Run: tests/fuzz/run.sh (see README.md).
 */
#include "fuzz_image.h"
#include "verify.h"

#define NTYPES	4
#define NOFF	128
#define MAX_OPS	48

struct ent_view {
	bool ok;		/* trusted (a bad-listed frame's too) */
	bool mapped;		/* FSNVM_ENTRY_MAPPED */
	u64 key, seq, wear;
};

static u8 badmap[300];
static struct ent_view view[300];
static struct fsnvm_entry before[300];
static u64 wear_attached[300];
static u8 model[NTYPES][NOFF];		/* version + 1; 0: nothing */
static u8 touched[NTYPES][NOFF];
static u64 page[FSNVM_PAGE_SIZE / 8], got[FSNVM_PAGE_SIZE / 8];

static void gen_page(u64 *w, unsigned int type, unsigned int off,
		     unsigned int ver)
{
	u64 s = ((u64)type << 40 | (u64)off << 8 | ver) *
		0x9e3779b97f4a7c15ULL + 7;
	unsigned int i;

	for (i = 0; i < FSNVM_PAGE_SIZE / 8; i++) {
		w[i] = s;
		if (ver % 4) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
		}
	}
}

static struct fsnvm_engine *open_marked(const struct fz_image *im)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = fsnvm_engine_open(fz_img, im->bytes, &st);
	unsigned int i;

	ORACLE(e && st == FSNVM_MEDIA_OK);
	for (i = 0; i < im->nbad; i++)
		fsnvm_mark_bad(e, im->bad[i].frame % im->geo.nr_frames);
	return e;
}

/* The stale_below of the superblock on the media (0 if none is usable). */
static u64 media_stale_below(const struct fz_image *im)
{
	struct fsnvm_geometry geo;
	struct fsnvm_super sb;

	if (fsnvm_super_pick(fz_img, im->bytes, &sb, &geo, NULL) !=
	    FSNVM_MEDIA_OK)
		return 0;
	return fsnvm_super_stale_below(&sb);
}

static void inspect(const struct fz_image *im)
{
	u64 n = im->geo.nr_frames, f, g, used = 0, max_seq = 0, crc_bad = 0;
	u64 stale_below = media_stale_below(im), stale = 0, lost = 0;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	struct vp_report r;

	for (f = 0; f < n; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at(fz_img, &im->geo, f);
		struct ent_view *v = &view[f];

		v->ok = !fsnvm_entry_untrusted(ent);
		v->mapped = v->ok &&
			    fsnvm_entry_classify(ent) == FSNVM_ENTRY_MAPPED;
		if (v->mapped && fsnvm_entry_released(ent, stale_below)) {
			v->mapped = false;
			stale++;
		}
		v->key = le64_to_cpu(ent->key);
		v->seq = le64_to_cpu(ent->seq);
		v->wear = le64_to_cpu(ent->wear);
		if (v->ok && v->seq > max_seq)
			max_seq = v->seq;
		if (v->ok && le64_to_cpu(ent->vouch_seq) > max_seq)
			max_seq = le64_to_cpu(ent->vouch_seq);
	}
	if (stale_below > max_seq + 1)
		max_seq = stale_below - 1;

	e = open_marked(im);
	fz_protect(true);
	ORACLE(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0);
	for (f = 0; f < n; f++) {
		const struct ent_view *v = &view[f];

		if (fsnvm_fstate(e, f) != FSNVM_FS_USED)
			continue;
		used++;
		ORACLE(v->mapped);
		ORACLE(fsnvm_entry_committed(fsnvm_entry_at(fz_img, &im->geo, f),
					     e->vouched));
		ORACLE(fsnvm_keymap_find(&e->map, fsnvm_key_type(v->key),
					 (u32)fsnvm_key_offset(v->key)) == f);
		/* the winner: highest seq, the lower frame on a tie */
		for (g = 0; g < n; g++)
			if (g != f && view[g].mapped && view[g].key == v->key)
				ORACLE(view[g].seq < v->seq ||
				       (view[g].seq == v->seq && g > f));
	}
	/*
	 * A key whose winner is on a bad-listed frame: mapped there, lost,
	 * never an older copy elsewhere (the loop above).
	 */
	for (f = 0; f < n; f++) {
		const struct ent_view *v = &view[f];

		if (!badmap[f] || !v->mapped ||
		    fsnvm_keymap_find(&e->map, fsnvm_key_type(v->key),
				      (u32)fsnvm_key_offset(v->key)) != f)
			continue;
		lost++;
		ORACLE(test_bit(f, e->lost));	/* its load fails */
		ORACLE(fsnvm_entry_committed(fsnvm_entry_at(fz_img, &im->geo, f),
					     e->vouched));
		for (g = 0; g < n; g++)
			if (g != f && view[g].mapped && view[g].key == v->key)
				ORACLE(view[g].seq < v->seq ||
				       (view[g].seq == v->seq && g > f));
	}
	ORACLE(rep.lost == lost);
	fsnvm_get_stats(e, &s);
	ORACLE(s.pages_lost == lost);
	ORACLE(used + lost == e->map.nr_keys);
	ORACLE(rep.max_seq == max_seq);
	ORACLE(rep.stale == stale);
	fsnvm_get_stats(e, &s);
	ORACLE(s.frames_used == used);
	ORACLE(s.frames_used + s.frames_free + s.frames_bad == s.frames_total);
	ORACLE(s.frames_bad == rep.bad_frames);

	/* the verifier behind `fsnvmctl check` agrees */
	ORACLE(fsnvm_verify(fz_img, im->bytes, badmap, &r) == 0);
	ORACLE(r.super == FSNVM_MEDIA_OK);
	ORACLE(r.entries + r.bad == n);
	ORACLE(r.valid == rep.valid);
	ORACLE(r.stale == rep.stale);
	ORACLE(r.torn == rep.torn);
	ORACLE(r.implausible == rep.implausible);
	ORACLE(r.duplicates == rep.duplicates);
	ORACLE(r.uncommitted == rep.uncommitted);
	ORACLE(r.lost == rep.lost);
	ORACLE(r.retired == rep.retired);
	ORACLE(r.used == used);
	ORACLE(r.filled == s.pages_filled);
	ORACLE(r.bad + r.retired == rep.bad_frames);
	vp_report_free(&r);

	/*
	 * An inspected engine serves loads of what it maps, and writes
	 * nothing: a data crc mismatch fails the load, counted, and retires
	 * nothing.
	 */
	for (f = 0; f < n; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at(fz_img, &im->geo, f);
		int ret;

		if (fsnvm_fstate(e, f) != FSNVM_FS_USED)
			continue;
		ret = fsnvm_load(e, fsnvm_key_type(view[f].key),
				 fsnvm_key_offset(view[f].key), got);
		if (e->data_crc && !(e->state[f] & FSNVM_FS_FILLED) &&
		    le32_to_cpu(ent->data_crc) != fz_data_crc(&im->geo, f)) {
			ORACLE(ret == -EIO);
			crc_bad++;
		} else {
			ORACLE(ret == 0);
		}
		ORACLE(fsnvm_fstate(e, f) == FSNVM_FS_USED);
	}
	for (f = 0; f < n; f++)		/* a lost page's load fails */
		if (badmap[f] && view[f].mapped &&
		    fsnvm_keymap_find(&e->map, fsnvm_key_type(view[f].key),
				      (u32)fsnvm_key_offset(view[f].key)) == f)
			ORACLE(fsnvm_load(e, fsnvm_key_type(view[f].key),
					  fsnvm_key_offset(view[f].key),
					  got) == -EIO);
	fsnvm_get_stats(e, &s);
	ORACLE(s.crc_errors == crc_bad && s.frames_bad == rep.bad_frames);
	fsnvm_engine_close(e);
	fz_protect(false);
}

/*
 * The swap device's attach (FSNVM_RECOVER_KEEP) on what inspect() saw:
 * it keeps exactly the committed winners the device can address (type 0,
 * below its capacity), serves them, and leaves every other frame with a
 * clean free entry (a bad-listed one's cleared, or retired under a lost
 * page, whose load fails), so no later recovery finds a page it dropped.
 * Its close vouches for nothing new: the next steps recover the same
 * pages.
 */
static void keep(const struct fz_image *im)
{
	u64 n = im->geo.nr_frames, f, kept = 0, cap;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	u8 was_used[300];
	int ret;

	e = open_marked(im);
	ORACLE(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0);
	for (f = 0; f < n; f++)
		was_used[f] = fsnvm_fstate(e, f) == FSNVM_FS_USED;
	fsnvm_engine_close(e);

	e = open_marked(im);
	ret = fsnvm_recover(e, FSNVM_RECOVER_KEEP, &rep);
	ORACLE(ret == (rep.max_seq > FSNVM_SEQ_MAX - FSNVM_SEQ_ROOM ?
		       -EOVERFLOW : 0));
	cap = fsnvm_engine_capacity(e);
	fsnvm_get_stats(e, &s);
	ORACLE(cap + fsnvm_engine_reserve(e) == n - s.frames_bad ||
	       (cap == 0 && fsnvm_engine_reserve(e) >= n - s.frames_bad));
	for (f = 0; f < n; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at(fz_img, &im->geo, f);
		const struct ent_view *v = &view[f];
		unsigned int st = fsnvm_fstate(e, f);
		bool addressable = v->mapped && !fsnvm_key_type(v->key) &&
				   fsnvm_key_offset(v->key) < cap;

		if (st == FSNVM_FS_BAD) {
			/* a lost page's load fails */
			if (v->mapped &&
			    fsnvm_keymap_find(&e->map, fsnvm_key_type(v->key),
					      (u32)fsnvm_key_offset(v->key)) == f)
				ORACLE(fsnvm_load(e, fsnvm_key_type(v->key),
						  fsnvm_key_offset(v->key),
						  got) == -EIO);
			/* no bad-listed entry names a key any more */
			if (!ret)
				ORACLE(fsnvm_entry_classify(ent) !=
				       FSNVM_ENTRY_MAPPED);
			continue;
		}
		ORACLE((st == FSNVM_FS_USED) == (was_used[f] && addressable));
		if (st == FSNVM_FS_USED) {
			kept++;
			ORACLE(fsnvm_keymap_find(&e->map, 0,
						 (u32)fsnvm_key_offset(v->key)) == f);
			if (!e->data_crc || (e->state[f] & FSNVM_FS_FILLED) ||
			    le32_to_cpu(ent->data_crc) == fz_data_crc(&im->geo, f))
				ORACLE(fsnvm_load(e, 0, fsnvm_key_offset(v->key), got) == 0);
		} else if (!ret) {
			ORACLE(fsnvm_entry_classify(ent) == FSNVM_ENTRY_FREE ||
			       (le32_to_cpu(ent->flags) & FSNVM_ENT_RETIRED));
		}
	}
	fsnvm_get_stats(e, &s);
	ORACLE(s.frames_used == kept);
	ORACLE(s.frames_used + s.frames_free + s.frames_bad == s.frames_total);
	fsnvm_engine_close(e);

	/* What KEEP kept, a later inspection finds, and nothing else. */
	e = open_marked(im);
	ORACLE(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0);
	if (!ret)
		ORACLE(rep.uncommitted == 0 && rep.duplicates == 0 &&
		       rep.torn == 0 && rep.implausible == 0);
	ORACLE(e->map.nr_keys == kept);
	fsnvm_engine_close(e);
}

/* Returns the attached engine. */
static struct fsnvm_engine *attach(const struct fz_image *im)
{
	u64 n = im->geo.nr_frames, f, hi = 0, stale_below;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e;
	struct fsnvm_stats s;
	int ret;

	memcpy(before, fsnvm_entry_at(fz_img, &im->geo, 0), n * sizeof(*before));
	for (f = 0; f < n; f++)
		if (!badmap[f] && !fsnvm_entry_untrusted(&before[f]) &&
		    le64_to_cpu(before[f].wear) > hi)
			hi = le64_to_cpu(before[f].wear);
	e = open_marked(im);
	/* the attach is refused when no seq room is left (fsnvm_layout.h) */
	ret = fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep);
	ORACLE(ret == (rep.max_seq > FSNVM_SEQ_MAX - FSNVM_SEQ_ROOM ?
		       -EOVERFLOW : 0));
	ORACLE(e->map.nr_keys == 0);
	ORACLE(e->readonly == (rep.max_seq > FSNVM_SEQ_MAX - FSNVM_SEQ_ROOM));
	fsnvm_get_stats(e, &s);
	ORACLE(s.frames_used == 0 && s.pages_filled == 0);
	ORACLE(s.frames_free + s.frames_bad == s.frames_total);
	stale_below = media_stale_below(im);
	for (f = 0; f < n; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at(fz_img, &im->geo, f);
		unsigned int st = fsnvm_fstate(e, f);

		ORACLE(st == FSNVM_FS_FREE || st == FSNVM_FS_BAD);
		wear_attached[f] = le64_to_cpu(ent->wear);
		if (badmap[f]) {
			ORACLE(st == FSNVM_FS_BAD);
			ORACLE(!memcmp(ent, &before[f], sizeof(*ent)));
			/* released all the same (fsnvm_recover.c) */
			ORACLE(fsnvm_entry_untrusted(ent) ||
			       fsnvm_entry_classify(ent) != FSNVM_ENTRY_MAPPED ||
			       fsnvm_entry_released(ent, stale_below));
			continue;
		}
		if (st == FSNVM_FS_BAD)	/* retired by its entry */
			continue;
		if (fsnvm_entry_untrusted(&before[f])) {
			ORACLE(fsnvm_entry_classify(ent) == FSNVM_ENTRY_FREE);
			ORACLE(le64_to_cpu(ent->wear) == hi);
			continue;
		}
		ORACLE(!memcmp(ent, &before[f], sizeof(*ent)));
		ORACLE(fsnvm_entry_classify(ent) != FSNVM_ENTRY_MAPPED ||
		       fsnvm_entry_released(ent, stale_below));
	}
	return e;
}

static void serve(const struct fz_image *im, struct fsnvm_engine *e)
{
	u64 n = im->geo.nr_frames, f, count = 0, grown = 0;
	bool saturated = false;
	const u8 *op = im->rest;
	struct fsnvm_recovery rep;
	struct fsnvm_stats s;
	unsigned int i, t, o;

	memset(model, 0, sizeof(model));
	memset(touched, 0, sizeof(touched));
	for (i = 0; i + 1 < im->rest_len && i < 2 * MAX_OPS; i += 2) {
		u8 b0 = op[i], b1 = op[i + 1];
		unsigned int type = (b0 >> 3) & 3;
		unsigned int off = (unsigned int)(b0 >> 5) << 4 | (b1 & 15);
		unsigned int ver = b1 >> 4;
		int ret;

		switch (b0 & 7) {
		case 0: case 1: case 2:
			gen_page(page, type, off, ver);
			ret = fsnvm_store(e, type, off, page);
			if (e->readonly)	/* no room for seqs */
				ORACLE(ret == -EROFS);
			else
				ORACLE(ret == 0 || ret == -ENOSPC);
			model[type][off] = ret ? 0 : ver + 1;
			touched[type][off] = 1;
			break;
		case 3: case 4:
			ret = fsnvm_load(e, type, off, got);
			if (model[type][off]) {
				gen_page(page, type, off, model[type][off] - 1);
				ORACLE(ret == 0 && !memcmp(page, got, sizeof(page)));
			} else {
				ORACLE(ret == -ENOENT);
			}
			break;
		case 5:
			fsnvm_invalidate_page(e, type, off);
			model[type][off] = 0;
			break;
		case 6: {
			u64 had = 0;

			for (o = 0; o < NOFF; o++) {
				had += !!model[type][o];
				model[type][o] = 0;
			}
			ORACLE(fsnvm_invalidate_area(e, type) == had);
			break;
		}
		default: {
			struct fsnvm_balance_params p = {
				.threshold = 1 + (b1 >> 4), .first_move = 1 + (b1 & 3),
				.budget = 4, .scan = 64,
			};

			fsnvm_balance_step(e, &p);
		}
		}
	}
	for (t = 0; t < NTYPES; t++)
		for (o = 0; o < NOFF; o++)
			count += !!model[t][o];
	fsnvm_get_stats(e, &s);
	ORACLE(s.frames_used == count);
	ORACLE(s.frames_used + s.frames_free + s.frames_bad == s.frames_total);
	ORACLE(s.load_errors == 0 && s.crc_errors == 0);
	for (f = 0; f < n; f++) {
		u64 w = le64_to_cpu(fsnvm_entry_at(fz_img, &im->geo, f)->wear);

		if (fsnvm_fstate(e, f) == FSNVM_FS_BAD)
			continue;
		ORACLE(w >= wear_attached[f] && w <= FSNVM_WEAR_MAX);
		grown += w - wear_attached[f];
		saturated |= w == FSNVM_WEAR_MAX;
	}
	/* wear saturates at its bound: such a frame may take more writes */
	ORACLE(saturated ? grown <= s.data_writes : grown == s.data_writes);
	fsnvm_engine_close(e);

	/* a clean close: every page is there, vouched for */
	e = open_marked(im);
	fz_protect(true);
	ORACLE(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0);
	ORACLE(rep.torn == 0 && rep.uncommitted == 0 && rep.duplicates == 0);
	ORACLE(rep.valid == count);
	for (t = 0; t < NTYPES; t++)
		for (o = 0; o < NOFF; o++) {
			int ret;

			if (!touched[t][o])
				continue;
			ret = fsnvm_load(e, t, o, got);
			if (model[t][o]) {
				gen_page(page, t, o, model[t][o] - 1);
				ORACLE(ret == 0 && !memcmp(page, got, sizeof(page)));
			} else {
				ORACLE(ret == -ENOENT);
			}
		}
	fsnvm_engine_close(e);
	fz_protect(false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsnvm_engine *e;
	struct fz_image im;
	unsigned int i;

	if (!fz_build(data, size, &im))
		return 0;
	memset(badmap, 0, sizeof(badmap));
	for (i = 0; i < im.nbad; i++)
		badmap[im.bad[i].frame % im.geo.nr_frames] = 1;
	inspect(&im);
	keep(&im);
	e = attach(&im);
	serve(&im, e);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	return fz_mutate_image(data, size, max_size, seed);
}
