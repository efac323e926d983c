/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wear statistics of a formatted device, read through the engine in
 * inspect mode (fsnvm_recover(FSNVM_RECOVER_INSPECT): nothing is written),
 * so "used", "free" and "bad" mean exactly what the backend would see.
 *
 * A torn or implausible entry's own wear is untrusted: its frame counts
 * at the highest wear known, as recovery, attach and `format --keep-wear`
 * count it (fsnvm_layout.h).
 *
 * Statistics are over the usable frames (not bad).  Percentiles use the
 * nearest-rank definition: pX is the smallest wear w such that at least
 * X% of the usable frames have wear <= w.
 */
#ifndef FSNVMCTL_WEARSTAT_H
#define FSNVMCTL_WEARSTAT_H

#include "media.h"

#define WS_USED		1
#define WS_FREE		2
#define WS_BAD		3
#define WS_FILLED	0x10	/* with WS_USED: same-filled page */
#define WS_STATE(s)	((s) & 0x0f)

#define WEAR_MAX_BINS	16

struct wear_hot {
	u64 frame, wear, key;
	u8 state;
};

struct wear_report {
	struct fsnvm_geometry geo;
	u64 format_time;
	u64 total, used, free, bad, filled, torn;
	u64 implausible;		/* entries treated as torn */
	u64 unreadable;			/* entries a media error hid (in bad) */
	u64 min, max, sum;		/* over usable frames */
	double mean, stddev;
	u64 p50, p90, p99, p999;
	unsigned int nbins;
	struct { u64 lo, hi, frames; } bins[WEAR_MAX_BINS];
	unsigned int nhot;
	struct wear_hot *hot;		/* most worn first */
	u64 *wear;			/* per frame */
	u8 *state;			/* per frame: WS_* */
};

/*
 * Read the wear of every frame of d.  0, or the media status (> 0) when
 * the device is not usable, or -ENOMEM.  top: how many hottest frames.
 */
int wear_collect(const struct dev *d, unsigned int top, struct wear_report *w);
void wear_report_free(struct wear_report *w);

#endif /* FSNVMCTL_WEARSTAT_H */
