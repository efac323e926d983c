/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The media verifier behind `fsnvmctl check`: reads the superblock and
 * every index entry of a mapped image and lists each problem with the
 * frame it concerns.  Read only; depends on the shared format code and
 * libc alone, so the fuzz targets (tests/fuzz/) link it too.
 *
 * Severity, decided once here:
 *  error    the media is damaged or was written by something that breaks
 *           the format: a page may be lost or the backend would refuse
 *           or misread it (superblock, entry crc, unknown flags, key out
 *           of range, data crc, an implausible wear, seq, vouch seq,
 *           writer or vouch writer (fsnvm_entry_implausible(): the
 *           backend treats the entry as torn), equal-seq duplicates);
 *  warning  a state the backend handles by design or that loses nothing:
 *           a key named twice with different seqs (a crash inside a store
 *           or a migration; the higher seq wins), a key whose newest
 *           entry no vouch covers (a crash inside a store, or a device
 *           not closed cleanly: the page is dropped), non-zero reserved
 *           bytes, leftovers in a free entry, a data frame with wear 0,
 *           a frame the backend retired after a media error or a data crc
 *           mismatch,
 *           a frame on the namespace's badblocks list (the backend
 *           retires it; its entry and data are not read), a format time
 *           more than VP_FUTURE_MARGIN seconds in the future, a damaged
 *           primary superblock when the backup is good (the backend
 *           binds with it and rewrites the primary) and a damaged or
 *           stale backup (rewritten at bind).
 */
#ifndef FSNVMCTL_VERIFY_H
#define FSNVMCTL_VERIFY_H

#include "fsnvm_layout.h"

#define VP_NO_FRAME		(~0ULL)
/* A format time later than now by more than this is reported. */
#define VP_FUTURE_MARGIN	(24 * 3600ULL)

enum vp_severity { VP_WARNING, VP_ERROR };

enum vp_kind {
	VP_SUPERBLOCK,		/* unusable superblock: see media */
	VP_SUPER_RESERVED,	/* reserved bytes or ro_compat not zero */
	VP_SUPER_COMPAT,	/* unknown compatible feature bits */
	VP_ENTRY_CRC,		/* entry checksum mismatch */
	VP_UNKNOWN_FLAGS,	/* entry flags this version does not know */
	VP_ENTRY_RESERVED,	/* entry reserved bytes not zero */
	VP_BAD_KEY,		/* non-zero key without the valid bit */
	VP_KEY_RANGE,		/* key beyond what the backend maps */
	VP_WEAR_IMPLAUSIBLE,	/* wear > FSNVM_WEAR_MAX */
	VP_WEAR_ZERO,		/* a data frame that was never written */
	VP_DATA_CRC,		/* page data checksum mismatch */
	VP_STALE_FREE,		/* free entry with fill, flags or data crc */
	VP_DUPLICATE_KEY,	/* a key named by two entries */
	VP_BAD_BLOCK,		/* on the badblocks list: never used again */
	VP_BAD_WRITER,		/* writer id beyond FSNVM_MAX_WRITERS */
	VP_UNCOMMITTED,		/* newest entry of a key is not vouched for */
	VP_RETIRED,		/* retired by the backend: never used again */
	VP_SEQ_IMPLAUSIBLE,	/* seq > FSNVM_SEQ_MAX */
	VP_VOUCH_SEQ_IMPLAUSIBLE,	/* vouch_seq > FSNVM_SEQ_MAX */
	VP_FORMAT_TIME,		/* superblock format time in the future */
	VP_SUPER_PRIMARY,	/* primary superblock damaged: backup used */
	VP_SUPER_BACKUP,	/* backup superblock damaged or stale */
	VP_BAD_VOUCH_WRITER,	/* vouch writer id beyond FSNVM_MAX_WRITERS */
	VP_LOST_PAGE,		/* a key's newest entry is on a bad block */
	VP_NR_KINDS
};

struct vp_problem {
	enum vp_kind kind;
	enum vp_severity severity;
	enum fsnvm_media_status media;	/* VP_SUPERBLOCK */
	struct fsnvm_super_problem super;	/* VP_SUPER*: which field */
	u64 frame;		/* VP_NO_FRAME: the superblock */
	u64 key;		/* KEY_RANGE, BAD_KEY, DUPLICATE_KEY */
	u64 seq;
	u64 value;		/* the offending wear, seq, flags, crc or time */
	u64 expected;		/* the crc computed (ENTRY_CRC, DATA_CRC), now */
	u64 other_frame;	/* DUPLICATE_KEY: the winning entry */
	u64 other_seq;
};

struct vp_report {
	enum fsnvm_media_status super;
	struct fsnvm_super_pick pick;	/* the copy used, the other's state */
	struct fsnvm_geometry geo;	/* valid when super == OK */
	u64 entries;		/* index entries read */
	u64 valid;		/* entries naming a key (as recovery counts) */
	u64 used;		/* distinct keys: frames the backend maps */
	u64 filled;		/* of those, same-filled pages */
	u64 free;		/* entries with key 0 */
	u64 stale;		/* naming a key below stale_below: released */
	u64 stale_below;	/* the superblock's (fsnvm_super_stale_below()) */
	u64 torn;		/* entries with a bad crc */
	u64 implausible;	/* crc ok, a counter out of bounds (as torn) */
	u64 bad;		/* frames on bad blocks, never used */
	u64 lost;		/* keys whose newest entry is on one of those */
	u64 duplicates;		/* losing entries of keys named twice */
	u64 uncommitted;	/* keys dropped: newest entry not vouched for */
	u64 retired;		/* frames the backend retired (FSNVM_ENT_RETIRED) */
	u64 errors, warnings;
	struct vp_problem *problems;	/* sorted by frame, superblock first */
	u64 nr_problems, cap;
};

/*
 * 0, or -ENOMEM.  Free the report with vp_report_free() either way.
 * bad, when not NULL, has one byte per frame: non-zero for frames on a
 * bad block, which are reported; their entries are read only as recovery
 * reads them (fsnvm_recover.c), machine-check safe.
 */
int fsnvm_verify(const void *base, u64 bytes, const u8 *bad,
		 struct vp_report *rep);
void vp_report_free(struct vp_report *rep);

/* "entry_crc", ... (the JSON "kind"). */
const char *vp_kind_name(enum vp_kind kind);
/* One sentence about p, without the frame number. */
void vp_describe(const struct vp_problem *p, char *buf, size_t len);

#endif /* FSNVMCTL_VERIFY_H */
