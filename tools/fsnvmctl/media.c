// SPDX-License-Identifier: GPL-2.0
/* The frontswap-nvm side of an opened device (see media.h). */
#include "media.h"

enum fsnvm_media_status dev_super_pick(const struct dev *d,
				       struct fsnvm_super *sb,
				       struct fsnvm_geometry *geo,
				       struct fsnvm_super_pick *pick)
{
	/* A device too small for a copy is refused before it is read. */
	return fsnvm_super_pick(d->base, d->bytes, sb, geo, pick);
}

enum fsnvm_media_status dev_super(const struct dev *d,
				  struct fsnvm_geometry *geo)
{
	struct fsnvm_super sb;

	return dev_super_pick(d, &sb, geo, NULL);
}

const char *dev_super_why(const struct dev *d, char *buf, size_t len)
{
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;
	struct fsnvm_super sb;

	dev_super_pick(d, &sb, &geo, &pick);
	fsnvm_super_problem_str(&pick.primary, buf, len);
	return buf;
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

const char *media_code(enum fsnvm_media_status st)
{
	static const char * const codes[] = {
		[FSNVM_MEDIA_OK] = "ok",
		[FSNVM_MEDIA_TOO_SMALL] = "too_small",
		[FSNVM_MEDIA_TOO_LARGE] = "too_large",
		[FSNVM_MEDIA_BAD_MAGIC] = "bad_magic",
		[FSNVM_MEDIA_BAD_VERSION] = "bad_version",
		[FSNVM_MEDIA_BAD_FEATURES] = "bad_features",
		[FSNVM_MEDIA_BAD_CRC] = "bad_crc",
		[FSNVM_MEDIA_BAD_GEOMETRY] = "bad_geometry",
		[FSNVM_MEDIA_IO_ERROR] = "io_error",
		[FSNVM_MEDIA_NO_MEMORY] = "no_memory",
	};

	if ((unsigned int)st >= ARRAY_SIZE(codes) || !codes[st])
		return "unknown";
	return codes[st];
}
