// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over what `fsnvmctl check` and `fsnvmctl wear` do with
 * a device: the bad frames from its badblocks list (media.c), the entry
 * verifier (verify.c) with every problem described, the comparison with
 * recovery in inspect mode (as cmd_check.c makes it), and the wear
 * statistics (wearstat.c).  The input is the compact image of
 * fuzz_image.h; its bad-block items are badblocks ranges (below), and
 * the byte after the records is `wear --top`.
 *
 * Oracles, beyond "no crash, no sanitizer report": nothing is written;
 * the verifier's counts add up and match its problem list, which is
 * sorted; every problem has a name and a sentence; recovery counts the
 * same valid, torn, implausible, duplicate, uncommitted and retired
 * entries as the verifier (else `check` reports an internal error); the
 * wear statistics see the same used, same-filled, bad, torn and
 * implausible frames, a trusted entry's wear as it is and an untrusted
 * one's as the highest trusted wear (fsnvm_layout.h), and are
 * consistent: min <= percentiles <= max, bins that
 * tile [min, max] and hold every usable frame, the hottest frames sorted.
 * Run: tests/fuzz/run.sh (see README.md).
 */
#include "fuzz_image.h"
#include "verify.h"
#include "wearstat.h"

static struct fz_image im;
static u8 badmap[300];

/*
 * The device's badblocks list, as device.c reads it from sysfs: sector
 * ranges, computed the same way.  Item: frame, where, len:
 * where & 3 = 0 the frame's entry, 1 its data, 2 anywhere (frame shifted
 * left by where >> 2), 3 near the end of the 64-bit space.
 */
void dev_bad_ranges(const struct dev *d,
		    void (*range)(void *ctx, uint64_t start, uint64_t end),
		    void *ctx)
{
	unsigned int i;

	(void)d;
	for (i = 0; i < im.nbad; i++) {
		const struct fz_bad *b = &im.bad[i];
		unsigned long long sector, count = b->len;

		switch (b->where & 3) {
		case 0:
			sector = (im.geo.index_offset + b->frame * 64ULL) / 512;
			count %= 4;
			break;
		case 1:
			sector = (im.geo.data_offset + b->frame * 4096ULL) / 512 +
				 b->len % 8;
			count = 1 + (count >> 3);
			break;
		case 2:
			sector = (unsigned long long)b->frame << (b->where >> 2);
			break;
		default:
			sector = ~0ULL / 512 - b->frame;
		}
		range(ctx, sector * 512, (sector + count) * 512);
	}
}

static void mark_bad(void *ctx, u64 frame)
{
	ORACLE(frame < im.geo.nr_frames);
	((u8 *)ctx)[frame] = 1;
}

static bool vp_kind_implausible(enum vp_kind k)
{
	return k == VP_WEAR_IMPLAUSIBLE || k == VP_SEQ_IMPLAUSIBLE ||
	       k == VP_VOUCH_SEQ_IMPLAUSIBLE || k == VP_BAD_WRITER ||
	       k == VP_BAD_VOUCH_WRITER;
}

static void check_verify(const struct vp_report *r, u64 n)
{
	u64 i, kinds[VP_NR_KINDS] = { 0 }, errors = 0, implausible = 0;
	u64 last = VP_NO_FRAME;
	char msg[256];

	ORACLE(r->super == FSNVM_MEDIA_OK);
	ORACLE(r->entries + r->bad == n);
	ORACLE(r->valid == r->used + r->uncommitted + r->duplicates + r->lost);
	/* valid and stale also count bad-listed frames' entries */
	ORACLE(r->free + r->stale + r->torn + r->implausible + r->valid +
	       r->retired <=
	       r->entries + r->bad);
	ORACLE(r->filled <= r->used);
	ORACLE(r->errors + r->warnings == r->nr_problems);
	for (i = 0; i < r->nr_problems; i++) {
		const struct vp_problem *p = &r->problems[i];

		ORACLE((unsigned int)p->kind < VP_NR_KINDS);
		ORACLE(p->frame < n || p->frame == VP_NO_FRAME);
		if (i)
			ORACLE(p[-1].frame + 1 < p->frame + 1 ||
			       (p[-1].frame == p->frame && p[-1].kind <= p->kind));
		kinds[p->kind]++;
		errors += p->severity == VP_ERROR;
		/* one implausible entry, one problem per counter beyond bound */
		if (vp_kind_implausible(p->kind) && p->frame != last) {
			implausible++;
			last = p->frame;
		}
		ORACLE(strcmp(vp_kind_name(p->kind), "?"));
		msg[0] = 0;
		vp_describe(p, msg, sizeof(msg));
		ORACLE(msg[0] && strlen(msg) < sizeof(msg));
		ORACLE(strcmp(msg, "unknown problem"));
	}
	ORACLE(errors == r->errors);
	ORACLE(kinds[VP_ENTRY_CRC] == r->torn);
	ORACLE(kinds[VP_DUPLICATE_KEY] == r->duplicates);
	ORACLE(kinds[VP_UNCOMMITTED] == r->uncommitted);
	ORACLE(kinds[VP_BAD_BLOCK] == r->bad);
	ORACLE(kinds[VP_LOST_PAGE] == r->lost);
	ORACLE(kinds[VP_RETIRED] == r->retired);
	ORACLE(implausible == r->implausible);
	ORACLE(!r->torn || r->errors);
	ORACLE(!r->implausible || r->errors);
}

/* What cmd_check.c's check_recovery() compares. */
static void check_recovery(const struct vp_report *r)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = fsnvm_engine_open(fz_img, im.bytes, &st);
	struct fsnvm_recovery rep;
	u64 f;

	ORACLE(e && st == FSNVM_MEDIA_OK);
	for (f = 0; f < e->geo.nr_frames; f++)
		if (badmap[f])
			fsnvm_mark_bad(e, f);
	ORACLE(fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) == 0);
	fsnvm_engine_close(e);
	ORACLE(rep.valid == r->valid && rep.duplicates == r->duplicates &&
	       rep.torn == r->torn && rep.uncommitted == r->uncommitted &&
	       rep.lost == r->lost);
	ORACLE(rep.retired == r->retired && rep.implausible == r->implausible);
}

static void check_wear(const struct vp_report *r, unsigned int top)
{
	struct dev d = {
		.path = "fuzz", .kind = DEV_BLOCK, .fd = -1,
		.base = fz_img, .bytes = im.bytes,
	};
	u64 n = im.geo.nr_frames, f, usable, min = ~0ULL, max = 0, sum = 0;
	u64 in_bins = 0, hi = 0;
	struct wear_report w;
	unsigned int b;

	ORACLE(wear_collect(&d, top, &w) == 0);
	ORACLE(w.total == n);
	ORACLE(w.used + w.free + w.bad == n);
	ORACLE(w.used == r->used && w.filled == r->filled);
	ORACLE(w.bad == r->bad + r->retired);
	ORACLE(w.torn == r->torn && w.implausible == r->implausible);
	usable = n - w.bad;
	/* the highest trusted wear: what an untrusted entry counts at */
	for (f = 0; f < n; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at(fz_img, &im.geo, f);

		if (!badmap[f] && !fsnvm_entry_untrusted(ent) &&
		    le64_to_cpu(ent->wear) > hi)
			hi = le64_to_cpu(ent->wear);
	}
	for (f = 0; f < n; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at(fz_img, &im.geo, f);
		u64 wear = w.wear[f];

		ORACLE((WS_STATE(w.state[f]) == WS_BAD) ==
		       (badmap[f] || (!fsnvm_entry_untrusted(ent) && !ent->key &&
				      (le32_to_cpu(ent->flags) &
				       FSNVM_ENT_RETIRED))));
		if (WS_STATE(w.state[f]) == WS_BAD)
			continue;
		ORACLE(wear == (fsnvm_entry_untrusted(ent) ? hi :
				le64_to_cpu(ent->wear)));
		if (wear < min)
			min = wear;
		if (wear > max)
			max = wear;
		sum = sum + wear < sum ? ~0ULL : sum + wear;
	}
	ORACLE(w.sum == sum);
	ORACLE(w.nhot == (top < usable ? top : usable));
	for (b = 1; b < w.nhot; b++)
		ORACLE(w.hot[b - 1].wear >= w.hot[b].wear);
	for (b = 0; b < w.nhot; b++)
		ORACLE(w.hot[b].frame < n && w.hot[b].wear == w.wear[w.hot[b].frame]);
	if (usable) {
		ORACLE(w.min == min && w.max == max);
		ORACLE(min <= w.p50 && w.p50 <= w.p90 && w.p90 <= w.p99 &&
		       w.p99 <= w.p999 && w.p999 <= max);
		ORACLE(w.nbins >= 1 && w.nbins <= WEAR_MAX_BINS);
		ORACLE(w.bins[0].lo == min && w.bins[w.nbins - 1].hi == max);
		for (b = 0; b < w.nbins; b++) {
			in_bins += w.bins[b].frames;
			ORACLE(w.bins[b].lo <= w.bins[b].hi);
			if (b)
				ORACLE(w.bins[b].lo == w.bins[b - 1].hi + 1);
		}
		ORACLE(in_bins == usable);
		ORACLE(w.mean >= (double)min * (1 - 1e-9) &&
		       w.mean <= (double)max * (1 + 1e-9));
	}
	wear_report_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dev d = { .path = "fuzz", .kind = DEV_BLOCK, .fd = -1 };
	struct vp_report r;
	unsigned int top;

	if (!fz_build(data, size, &im))
		return 0;
	top = im.rest_len ? im.rest[0] % 17 : 5;
	d.base = fz_img;
	d.bytes = im.bytes;
	memset(badmap, 0, sizeof(badmap));
	dev_bad_frames(&d, &im.geo, mark_bad, badmap);

	fz_protect(true);
	ORACLE(fsnvm_verify(fz_img, im.bytes, badmap, &r) == 0);
	check_verify(&r, im.geo.nr_frames);
	check_recovery(&r);
	check_wear(&r, top);
	vp_report_free(&r);
	fz_protect(false);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	return fz_mutate_image(data, size, max_size, seed);
}
