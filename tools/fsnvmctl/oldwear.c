// SPDX-License-Identifier: GPL-2.0
/* The wear of an existing format (see oldwear.h). */
#include "oldwear.h"

/* A trusted wear is at most FSNVM_WEAR_MAX, so this marks an unknown one. */
#define OLD_WEAR_UNKNOWN	(~0ULL)

u64 old_wear_of(void *ctx, u64 frame)
{
	return ((struct old_wear *)ctx)->wear[frame];
}

int old_wear_read(const void *base, const struct fsnvm_geometry *geo,
		  bool keep, struct old_wear *ow)
{
	u64 f;

	memset(ow, 0, sizeof(*ow));
	if (keep) {
		ow->wear = calloc(geo->nr_frames ? geo->nr_frames : 1, sizeof(u64));
		if (!ow->wear)
			return -ENOMEM;
	}
	for (f = 0; f < geo->nr_frames; f++) {
		const struct fsnvm_entry *ent =
			fsnvm_entry_at((void *)base, geo, f);
		u64 w = le64_to_cpu(ent->wear);

		if (fsnvm_entry_untrusted(ent)) {
			ow->torn++;
			if (keep)	/* beyond any trusted wear: set below */
				ow->wear[f] = OLD_WEAR_UNKNOWN;
			continue;
		}
		if (keep)
			ow->wear[f] = w;
		ow->max = w > ow->max ? w : ow->max;
		ow->sum = fsnvm_add_sat(ow->sum, w);
	}
	/* what `fsnvmctl wear` counts: each untrusted frame at the max */
	ow->sum = fsnvm_add_sat(ow->sum, fsnvm_mul_sat(ow->max, ow->torn));
	for (f = 0; keep && ow->torn && f < geo->nr_frames; f++)
		if (ow->wear[f] == OLD_WEAR_UNKNOWN)
			ow->wear[f] = ow->max;
	return 0;
}
