// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvmctl wear DEV: frames, wear distribution, endurance used, histogram,
 * hottest frames and a lifetime projection.
 *
 * Projection: the most-worn frame has endurance - max writes left.  If the
 * engine keeps levelling from now on, every usable frame takes about as
 * many more before that one wears out, so the device takes
 * (endurance - max) * usable more page writes.  The observed rate is the
 * total wear divided by the time since format (format_time), which
 * overstates the rate after `format --keep-wear` (the old wear is
 * counted, the old time is not).  Endurance is an assumption
 * (FSNVMCTL_DEFAULT_ENDURANCE unless --endurance).
 */
#include <math.h>
#include <time.h>

#include "fsnvmctl.h"
#include "options.h"
#include "output.h"
#include "svg.h"
#include "wearstat.h"

struct projection {
	u64 endurance;
	u64 remaining_per_frame;	/* endurance - max, 0 when past it */
	u64 remaining_writes;		/* the device's, saturated */
	u64 elapsed;			/* since format; 0: unknown */
	double rate;			/* page writes per second; 0: unknown */
	double seconds;			/* until the most-worn frame wears out */
};

static void project(const struct wear_report *w, u64 endurance,
		    struct projection *p)
{
	u64 now = (u64)time(NULL), usable = w->total - w->bad;

	memset(p, 0, sizeof(*p));
	p->endurance = endurance;
	p->remaining_per_frame = endurance > w->max ? endurance - w->max : 0;
	if (__builtin_mul_overflow(p->remaining_per_frame, usable,
				   &p->remaining_writes))
		p->remaining_writes = ~0ULL;
	if (w->format_time && now > w->format_time)
		p->elapsed = now - w->format_time;
	if (p->elapsed && w->sum) {
		p->rate = (double)w->sum / (double)p->elapsed;
		p->seconds = (double)p->remaining_per_frame * (double)usable / p->rate;
	}
}

static const char *state_str(u8 s)
{
	switch (WS_STATE(s)) {
	case WS_USED:
		return s & WS_FILLED ? "filled" : "used";
	case WS_FREE:
		return "free";
	default:
		return "bad";
	}
}

static void wear_json(const char *path, const struct wear_report *w,
		      const struct projection *p)
{
	struct json_object *o = json_object_new_object(), *x;
	struct json_object *hist = json_object_new_array();
	struct json_object *hot = json_object_new_array();
	unsigned int i;

	jadd_str(o, "device", path);
	x = json_object_new_object();
	jadd_u64(x, "total", w->total);
	jadd_u64(x, "used", w->used);
	jadd_u64(x, "free", w->free);
	jadd_u64(x, "bad", w->bad);
	jadd_u64(x, "filled", w->filled);
	jadd_u64(x, "torn", w->torn);
	jadd_u64(x, "implausible", w->implausible);
	jadd_u64(x, "unreadable", w->unreadable);
	jadd_u64(x, "page_size", w->geo.page_size);
	json_object_object_add(o, "frames", x);

	x = json_object_new_object();
	jadd_u64(x, "min", w->min);
	jadd_u64(x, "max", w->max);
	jadd_double(x, "mean", w->mean);
	jadd_double(x, "stddev", w->stddev);
	jadd_u64(x, "sum", w->sum);
	jadd_u64(x, "p50", w->p50);
	jadd_u64(x, "p90", w->p90);
	jadd_u64(x, "p99", w->p99);
	jadd_u64(x, "p99_9", w->p999);
	json_object_object_add(o, "wear", x);

	x = json_object_new_object();
	jadd_u64(x, "writes_per_frame", p->endurance);
	jadd_double(x, "used_mean", w->mean / (double)p->endurance);
	jadd_double(x, "used_max", (double)w->max / (double)p->endurance);
	if (w->max)
		jadd_double(x, "levelling", w->mean / (double)w->max);
	else
		jadd_null(x, "levelling");
	json_object_object_add(o, "endurance", x);

	for (i = 0; i < w->nbins; i++) {
		x = json_object_new_object();
		jadd_u64(x, "from", w->bins[i].lo);
		jadd_u64(x, "to", w->bins[i].hi);
		jadd_u64(x, "frames", w->bins[i].frames);
		json_object_array_add(hist, x);
	}
	json_object_object_add(o, "histogram", hist);

	for (i = 0; i < w->nhot; i++) {
		const struct wear_hot *h = &w->hot[i];

		x = json_object_new_object();
		jadd_u64(x, "frame", h->frame);
		jadd_u64(x, "wear", h->wear);
		jadd_str(x, "state", state_str(h->state));
		if (WS_STATE(h->state) == WS_USED) {
			jadd_u64(x, "type", fsnvm_key_type(h->key));
			jadd_u64(x, "offset", fsnvm_key_offset(h->key));
		}
		json_object_array_add(hot, x);
	}
	json_object_object_add(o, "hottest", hot);

	x = json_object_new_object();
	jadd_u64(x, "remaining_writes_per_frame", p->remaining_per_frame);
	jadd_u64(x, "remaining_writes", p->remaining_writes);
	jadd_u64(x, "format_time", w->format_time);
	if (p->elapsed)
		jadd_u64(x, "elapsed_seconds", p->elapsed);
	else
		jadd_null(x, "elapsed_seconds");
	if (p->rate > 0) {
		jadd_double(x, "write_rate", p->rate);
		jadd_double(x, "remaining_seconds", p->seconds);
	} else {
		jadd_null(x, "write_rate");
		jadd_null(x, "remaining_seconds");
	}
	json_object_object_add(o, "projection", x);
	json_emit(o);
}

static void print_histogram(const struct wear_report *w)
{
	u64 most = 0;
	unsigned int i, bar;

	for (i = 0; i < w->nbins; i++)
		if (w->bins[i].frames > most)
			most = w->bins[i].frames;
	printf("histogram (frames by wear):\n");
	for (i = 0; i < w->nbins; i++) {
		const u64 n = w->bins[i].frames;

		bar = most ? (unsigned int)((n * 50 + most - 1) / most) : 0;
		if (w->bins[i].lo == w->bins[i].hi)
			printf("  %21llu ", (unsigned long long)w->bins[i].lo);
		else
			printf("  %10llu-%-10llu ", (unsigned long long)w->bins[i].lo,
			       (unsigned long long)w->bins[i].hi);
		printf("%10llu %.*s\n", (unsigned long long)n, bar,
		       "##################################################");
	}
}

static void wear_text(const char *path, const struct wear_report *w,
		      const struct projection *p)
{
	char b[32], d1[40], d2[40];
	unsigned int i;

	printf("%s: %llu frames of %u bytes (%s)\n", path,
	       (unsigned long long)w->total, w->geo.page_size,
	       fmt_bytes(w->total * w->geo.page_size, b, sizeof(b)));
	printf("frames:      %llu used (%llu same-filled, in the index only), %llu free, %llu bad\n",
	       (unsigned long long)w->used, (unsigned long long)w->filled,
	       (unsigned long long)w->free, (unsigned long long)w->bad);
	if (w->unreadable)
		printf("             %llu index entries unreadable (a bad block; the page cache reads 4 KiB pages), counted as bad\n",
		       (unsigned long long)w->unreadable);
	if (w->torn || w->implausible)
		printf("             %llu torn and %llu implausible entries, counted at the highest wear known (see fsnvmctl check)\n",
		       (unsigned long long)w->torn,
		       (unsigned long long)w->implausible);
	if (w->total == w->bad) {
		printf("wear:        no usable frame\n");
		return;
	}
	printf("wear:        min %llu, max %llu, mean %.2f, stddev %.2f, total %llu writes\n",
	       (unsigned long long)w->min, (unsigned long long)w->max, w->mean,
	       w->stddev, (unsigned long long)w->sum);
	printf("percentiles: p50 %llu, p90 %llu, p99 %llu, p99.9 %llu\n",
	       (unsigned long long)w->p50, (unsigned long long)w->p90,
	       (unsigned long long)w->p99, (unsigned long long)w->p999);
	printf("endurance:   %llu writes per frame (%s)\n",
	       (unsigned long long)p->endurance,
	       p->endurance == FSNVMCTL_DEFAULT_ENDURANCE ?
	       "assumed default; set with --endurance" : "--endurance");
	printf("  used:      mean %.6f%%, max %.6f%%; levelling mean/max %.3f\n",
	       100 * w->mean / (double)p->endurance,
	       100 * (double)w->max / (double)p->endurance,
	       w->max ? w->mean / (double)w->max : 1.0);
	print_histogram(w);
	if (w->nhot) {
		printf("hottest frames:\n  %10s %12s  %s\n", "frame", "wear", "holds");
		for (i = 0; i < w->nhot; i++) {
			const struct wear_hot *h = &w->hot[i];

			printf("  %10llu %12llu  %s", (unsigned long long)h->frame,
			       (unsigned long long)h->wear, state_str(h->state));
			if (WS_STATE(h->state) == WS_USED)
				printf(" (type %u, offset %llu)", fsnvm_key_type(h->key),
				       (unsigned long long)fsnvm_key_offset(h->key));
			printf("\n");
		}
	}
	if (!p->remaining_per_frame) {
		printf("lifetime:    the most-worn frame is at or past the assumed endurance\n");
		return;
	}
	printf("lifetime:    %llu more writes on the most-worn frame, about %llu page writes for the device\n",
	       (unsigned long long)p->remaining_per_frame,
	       (unsigned long long)p->remaining_writes);
	if (p->rate > 0)
		printf("             at the observed %.3g writes/s (formatted %s ago): about %s\n",
		       p->rate, fmt_duration((double)p->elapsed, d1, sizeof(d1)),
		       fmt_duration(p->seconds, d2, sizeof(d2)));
	else
		printf("             write rate unknown (%s)\n",
		       !w->format_time ? "no format time" :
		       !p->elapsed ? "formatted just now or in the future" :
		       "no writes yet");
}

int cmd_wear(int argc, char **argv)
{
	u64 endurance = FSNVMCTL_DEFAULT_ENDURANCE, top = 5;
	const char *svg = NULL;
	bool json = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON (raw numbers)"),
		OPT_U64('e', "endurance", &endurance, "N",
			"writes a frame survives (default 10000000, an assumption)"),
		OPT_STRING(0, "svg", &svg, "FILE", "write a wear heat-map as SVG"),
		OPT_U64('t', "top", &top, "N", "list the N most worn frames (default 5)"),
		OPT_END(),
	};
	const struct cmd_usage u = {
		"wear", "DEV [--json] [--endurance N] [--svg FILE] [--top N]",
		"Show the wear of every frame: distribution, hottest frames, lifetime.",
		opts,
	};
	struct wear_report w;
	struct projection p;
	char why[192];
	struct dev d;
	int i = parse_args(argc, argv, &u, 1, 1), r;

	if (i < 0)
		return parse_exit(i);
	if (!endurance)
		return parse_exit(usage_error(&u, "--endurance must be at least 1"));
	if (top > 10000)
		return parse_exit(usage_error(&u, "--top: at most 10000"));
	if (dev_open(&d, argv[i], false))
		return fail("%s: %s", argv[i], d.err);
	r = wear_collect(&d, (unsigned int)top, &w);
	if (r > 0)
		dev_super_why(&d, why, sizeof(why));
	dev_close(&d);
	if (r < 0)
		return fail("%s: out of memory", argv[i]);
	if (r > 0)
		return fail("%s: %s", argv[i], why);
	if (svg && svg_write(svg, argv[i], &w)) {
		r = fail_errno(svg);
		wear_report_free(&w);
		return r;
	}
	project(&w, endurance, &p);
	if (json)
		wear_json(argv[i], &w, &p);
	else
		wear_text(argv[i], &w, &p);
	wear_report_free(&w);
	return EXIT_OK;
}
