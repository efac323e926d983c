// SPDX-License-Identifier: GPL-2.0
/* Wear statistics of a device, read-only (see wearstat.h). */
#include <math.h>

#include "fsnvm_engine.h"
#include "wearstat.h"

static void mark_bad(void *ctx, u64 frame)
{
	fsnvm_mark_bad(ctx, frame);
}

static int u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the value at rank ceil(q / 10000 * n). */
static u64 percentile(const u64 *sorted, u64 n, u64 q)
{
	u64 rank = (q * n + 9999) / 10000;

	return sorted[rank ? rank - 1 : 0];
}

/* Keep the top most worn frames, most worn first, lower frame on ties. */
static void hot_insert(struct wear_report *w, unsigned int top,
		       const struct wear_hot *h)
{
	unsigned int i;

	if (w->nhot == top && w->hot[top - 1].wear >= h->wear)
		return;
	i = w->nhot < top ? w->nhot++ : top - 1;
	while (i > 0 && w->hot[i - 1].wear < h->wear) {
		w->hot[i] = w->hot[i - 1];
		i--;
	}
	w->hot[i] = *h;
}

/*
 * At most WEAR_MAX_BINS bins of equal width from min to max.  span is one
 * less than the number of wear values, so that it cannot wrap (min 0, max
 * 2^64-1); bins are only as many as the width needs, none beyond max.
 */
static void wear_histogram(struct wear_report *w, const u64 *sorted, u64 n)
{
	u64 span = w->max - w->min, width, i = 0;
	unsigned int b;

	w->nbins = span < WEAR_MAX_BINS ? (unsigned int)span + 1 : WEAR_MAX_BINS;
	width = span / w->nbins + 1;	/* ceil((span + 1) / nbins) */
	w->nbins = (unsigned int)(span / width + 1);
	for (b = 0; b < w->nbins; b++) {
		w->bins[b].lo = w->min + b * width;
		w->bins[b].hi = b + 1 == w->nbins ? w->max :
				w->bins[b].lo + width - 1;
		while (i < n && sorted[i] <= w->bins[b].hi) {
			w->bins[b].frames++;
			i++;
		}
	}
}

/* min, max, mean, stddev, percentiles and histogram of the usable frames. */
static int wear_summarize(struct wear_report *w)
{
	u64 n = w->total - w->bad, i, k = 0;
	double var = 0;
	u64 *sorted;

	if (!n)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < w->total; i++)
		if (WS_STATE(w->state[i]) != WS_BAD)
			sorted[k++] = w->wear[i];
	qsort(sorted, n, sizeof(*sorted), u64_cmp);
	w->min = sorted[0];
	w->max = sorted[n - 1];
	for (i = 0; i < n; i++)
		w->mean += (double)sorted[i];
	w->mean /= (double)n;
	for (i = 0; i < n; i++)
		var += ((double)sorted[i] - w->mean) * ((double)sorted[i] - w->mean);
	w->stddev = sqrt(var / (double)n);
	w->p50 = percentile(sorted, n, 5000);
	w->p90 = percentile(sorted, n, 9000);
	w->p99 = percentile(sorted, n, 9900);
	w->p999 = percentile(sorted, n, 9990);
	wear_histogram(w, sorted, n);
	free(sorted);
	return 0;
}

int wear_collect(const struct dev *d, unsigned int top, struct wear_report *w)
{
	enum fsnvm_media_status st = FSNVM_MEDIA_TOO_SMALL;
	struct fsnvm_recovery rep;
	struct fsnvm_engine *e = NULL;
	u64 f;

	memset(w, 0, sizeof(*w));
	if (d->bytes >= sizeof(struct fsnvm_super))
		e = fsnvm_engine_open(d->base, d->bytes, &st);
	if (!e)
		return st == FSNVM_MEDIA_OK ? -ENOMEM : (int)st;
	w->geo = *fsnvm_engine_geo(e);
	w->format_time = le64_to_cpu(fsnvm_engine_super(e)->format_time);
	w->total = w->geo.nr_frames;
	dev_bad_frames(d, &w->geo, mark_bad, e);
	w->wear = calloc(w->total ? w->total : 1, sizeof(*w->wear));
	w->state = calloc(w->total ? w->total : 1, 1);
	w->hot = calloc(top ? top : 1, sizeof(*w->hot));
	if (!w->wear || !w->state || !w->hot) {
		fsnvm_engine_close(e);
		wear_report_free(w);
		return -ENOMEM;
	}
	fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep);	/* INSPECT cannot fail */
	w->torn = rep.torn;
	w->implausible = rep.implausible;
	w->unreadable = rep.unreadable;
	for (f = 0; f < w->total; f++) {
		struct fsnvm_entry *ent = fsnvm_entry_at(d->base, &w->geo, f);
		enum fsnvm_frame_use use = fsnvm_frame_use(e, f);
		struct wear_hot h = { .frame = f };

		switch (use) {
		case FSNVM_FRAME_BAD:
			w->state[f] = WS_BAD;
			w->bad++;
			continue;
		case FSNVM_FRAME_USED:
		case FSNVM_FRAME_FILLED:
			w->state[f] = WS_USED;
			w->used++;
			h.key = le64_to_cpu(ent->key);
			if (use == FSNVM_FRAME_FILLED) {
				w->state[f] |= WS_FILLED;
				w->filled++;
			}
			break;
		default:
			w->state[f] = WS_FREE;
			w->free++;
		}
		/* torn or implausible: the highest wear known (fsnvm_layout.h) */
		w->wear[f] = fsnvm_frame_wear(e, f);
		w->sum = fsnvm_add_sat(w->sum, w->wear[f]);
		h.wear = w->wear[f];
		h.state = w->state[f];
		if (top)
			hot_insert(w, top, &h);
	}
	fsnvm_engine_close(e);
	if (wear_summarize(w)) {
		wear_report_free(w);
		return -ENOMEM;
	}
	return 0;
}

void wear_report_free(struct wear_report *w)
{
	free(w->wear);
	free(w->state);
	free(w->hot);
	w->wear = NULL;
	w->state = NULL;
	w->hot = NULL;
}
