/* SPDX-License-Identifier: GPL-2.0 */
/* The frontswap-nvm side of an opened device (device.h). */
#ifndef FSNVMCTL_MEDIA_H
#define FSNVMCTL_MEDIA_H

#include "device.h"
#include "fsnvm_layout.h"

/*
 * The superblock status of an opened device, read with either copy
 * (fsnvm_super_pick()); geo filled when OK.  dev_super_pick() also gives
 * the copy used and why the other was not; dev_super_why() says in words
 * why the primary is refused (the field, found and expected).
 */
enum fsnvm_media_status dev_super(const struct dev *d,
				  struct fsnvm_geometry *geo);
enum fsnvm_media_status dev_super_pick(const struct dev *d,
				       struct fsnvm_super *sb,
				       struct fsnvm_geometry *geo,
				       struct fsnvm_super_pick *pick);
const char *dev_super_why(const struct dev *d, char *buf, size_t len);
/* A status as a stable word for JSON: "ok", "bad_crc", ... */
const char *media_code(enum fsnvm_media_status st);

/*
 * Call mark(ctx, frame) for every frame whose index entry or data lies on
 * the device's badblocks list, as the backend retires them.  Returns the
 * number of calls (a frame may be named twice).
 */
u64 dev_bad_frames(const struct dev *d, const struct fsnvm_geometry *geo,
		   void (*mark)(void *ctx, u64 frame), void *ctx);

#endif /* FSNVMCTL_MEDIA_H */
