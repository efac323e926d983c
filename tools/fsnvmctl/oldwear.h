/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wear of an existing format, as `fsnvmctl format` reads it to report
 * it or, with --keep-wear, to carry every frame's wear over.  Depends on
 * the shared format code and libc alone, so the format crash test
 * (tests/format_crash_test.c) checks the very function the tool uses.
 */
#ifndef FSNVMCTL_OLDWEAR_H
#define FSNVMCTL_OLDWEAR_H

#include "fsnvm_layout.h"

struct old_wear {
	u64 *wear;		/* per frame, when kept */
	u64 max, sum;
	u64 torn;		/* torn or implausible: wear not known */
};

/*
 * Read the wear of every index entry of the format geo describes on
 * base; keep the per-frame values in ow->wear when keep.  An entry whose
 * wear is unknown (torn or implausible: fsnvm_entry_untrusted()) gets the
 * highest wear of the trusted entries, so wear never goes down; ow->sum
 * counts it at that wear, as `fsnvmctl wear` does.  0, or -ENOMEM.  Free
 * ow->wear.
 */
int old_wear_read(const void *base, const struct fsnvm_geometry *geo,
		  bool keep, struct old_wear *ow);
/* fsnvm_format()'s wear_of over a kept struct old_wear. */
u64 old_wear_of(void *ctx, u64 frame);

#endif /* FSNVMCTL_OLDWEAR_H */
