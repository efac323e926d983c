// SPDX-License-Identifier: GPL-2.0
/* The frontswap-nvm side of an opened device (see media.h). */
#include "media.h"

enum fsnvm_media_status dev_super(const struct dev *d,
				  struct fsnvm_geometry *geo)
{
	if (d->bytes < sizeof(struct fsnvm_super))
		return FSNVM_MEDIA_TOO_SMALL;
	return fsnvm_super_check(d->base, d->bytes, geo);
}

struct bad_ctx {
	const struct fsnvm_geometry *geo;
	void (*mark)(void *ctx, u64 frame);
	void *ctx;
	u64 n;
};

/* Mark the frames whose [area + f * unit, + unit) meets [start, end). */
static void mark_area(struct bad_ctx *b, u64 start, u64 end, u64 area,
		      u64 unit)
{
	u64 area_end = area + b->geo->nr_frames * unit, f, last;

	if (end <= area || start >= area_end)
		return;
	if (start < area)
		start = area;
	if (end > area_end)
		end = area_end;
	last = (end - 1 - area) / unit;
	for (f = (start - area) / unit; f <= last; f++) {
		b->mark(b->ctx, f);
		b->n++;
	}
}

static void bad_range(void *ctx, uint64_t start, uint64_t end)
{
	struct bad_ctx *b = ctx;

	mark_area(b, start, end, b->geo->index_offset, FSNVM_ENTRY_BYTES);
	mark_area(b, start, end, b->geo->data_offset, b->geo->page_size);
}

u64 dev_bad_frames(const struct dev *d, const struct fsnvm_geometry *geo,
		   void (*mark)(void *ctx, u64 frame), void *ctx)
{
	struct bad_ctx b = { .geo = geo, .mark = mark, .ctx = ctx };

	dev_bad_ranges(d, bad_range, &b);
	return b.n;
}
