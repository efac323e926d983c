/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frontswap-nvm on-media format.  This header holds only what is written to
 * the persistent-memory namespace; the DRAM structures live in
 * fsnvm_engine.h.  Every multi-byte field is little-endian; every struct has
 * its size and key offsets asserted so a change in one compiler or the
 * other cannot silently move a field.
 *
 * Layout of a formatted namespace (all offsets in bytes):
 *
 *   0                superblock (struct fsnvm_super, 256 B)
 *   2048             its backup copy, byte for byte (FSNVM_COMPAT_BACKUP_SB)
 *   256..2047, 2304..4095  zero; the superblock region is 4 KiB
 *   index_offset     nr_frames index entries (struct fsnvm_entry, 64 B each),
 *                    padded to a page boundary
 *   data_offset      nr_frames data frames of page_size bytes each
 *
 * An entry describes the frame with the same number: which swap slot it
 * holds (key), when that was written (seq), how many times the frame has
 * been written in its life (wear) and, for a page whose words are all equal,
 * the word itself (fill), in which case the frame's data is never written.
 *
 * Commit rules (fsnvm_engine.c): an entry is one cache line written as a
 * whole and protected by its own crc32c; a frame that is released has its
 * entry rewritten with the key cleared (wear kept) before the frame is
 * reused.  A store writes the page data and its entry in one fence window,
 * so after a crash an entry may be durable while its data is not.  Such an
 * entry names its writer (a CPU), and is trusted only once some entry on
 * the media vouches for that writer up to its seq: every store's entry
 * also carries a vouch (vouch_writer, vouch_seq) for its own writer's
 * stores whose fences have passed, i.e. those before it.  A cleared entry
 * and a migration's entry carry the vouch their frame held forward.  An
 * entry with writer 0 was written after its data was durable and is
 * trusted as it is.  After a crash two entries may name one key: the
 * higher seq wins; if the winner is not trusted, the key holds nothing.
 * (Vouches ride in the entries, not in a record of their own, so they
 * wear the media no more than the stores they belong to.)
 *
 * The backup superblock lies in another 512-byte sector and another pmem
 * poison unit (64 to 256 B) of the same region, so a flipped bit, a torn
 * line or a bad block loses one copy, and the format needs no room beyond
 * its 4 KiB region (the geometry stays a function of the device size).
 * A foreign tool that rewrites the whole first page (mkswap, mkfs) takes
 * both.  Readers (fsnvm_super_pick()) use the backup only when the primary
 * is ours but damaged: its crc is wrong and its magic is within
 * FSNVM_MAGIC_NEAR_BITS bits of FSNVM_MAGIC, or it cannot be read.  A
 * primary without the magic is "not formatted" whatever the backup says:
 * a foreign signature over the first bytes must not be bound.
 *
 * An attach releases every page the index names (swap never outlives a
 * boot) without rewriting a single entry: it raises stale_below above
 * every seq on the media, and an entry naming a key with a lower seq
 * holds nothing, for every reader.  One superblock update (the copy not
 * in use, fence, the one in use, fence) releases them all at once, so a
 * crash inside an attach leaves every page or none; entries cleared one
 * by one could leave an older copy of a key whose newer entry was
 * already cleared, for a later bind that keeps pages to serve.  Only when
 * the other copy cannot be read (a media error) does attach clear the
 * entries one by one instead.  An old reader would serve released pages,
 * hence the incompatible feature.
 *
 * Format order (fsnvm_format()), so that a crash at any fence leaves the
 * old format or the new one, each with every frame's wear:
 *   1. every index entry rewritten clean (key 0) with the wear it keeps,
 *      crc-sealed, and the rest of the superblock region zeroed, while the
 *      old superblock still stands: old superblock + clean entries is a
 *      valid, empty device with the right wear;  fence;
 *   2. the backup copy of the new superblock;  fence;
 *   3. the new primary, whole;  fence.  Torn, its crc is wrong but its
 *      magic is there (old or new), so readers take the new backup.
 * Over foreign data or a format of another geometry there is no wear to
 * keep (--keep-wear refuses those); a crash there leaves a device that is
 * not usable (no magic, or the old geometry) or the new format.
 */
#ifndef FSNVM_FORMAT_H
#define FSNVM_FORMAT_H

#include "fsnvm_platform.h"

#define FSNVM_MAGIC		0x314d564e53574653ULL	/* "FSWSNVM1" */
#define FSNVM_VERSION		1
#define FSNVM_SUPER_BYTES	4096	/* the superblock region */
#define FSNVM_SUPER_BACKUP	2048	/* offset of the backup superblock */
#define FSNVM_MAGIC_NEAR_BITS	8	/* a damaged magic: at most this far */
#define FSNVM_PAGE_SIZE		4096	/* the only frame size supported */
#define FSNVM_ENTRY_BYTES	64
#define FSNVM_MAX_WRITERS	1024	/* writer ids 1..this; 0 = none */
#define FSNVM_MIN_DEVICE_BYTES	(1024 * 1024)
/*
 * Frame numbers are u32 in DRAM and the key map's slot count must stay
 * below 2^32 (fsnvm_keymap.c): 2^31 frames, an 8 TiB namespace.
 */
#define FSNVM_MAX_FRAMES	BIT_ULL(31)

/* Compatible features: an older reader may ignore them. */
#define FSNVM_COMPAT_DATA_CRC	BIT_ULL(0)	/* verify data crc on load */
#define FSNVM_COMPAT_BACKUP_SB	BIT_ULL(1)	/* copy at FSNVM_SUPER_BACKUP */
#define FSNVM_COMPAT_KNOWN	(FSNVM_COMPAT_DATA_CRC | FSNVM_COMPAT_BACKUP_SB)
/* Incompatible features: a reader that does not know one must refuse. */
#define FSNVM_INCOMPAT_STALE_BELOW BIT_ULL(0)	/* stale_below is set */
#define FSNVM_INCOMPAT_KNOWN	FSNVM_INCOMPAT_STALE_BELOW

struct fsnvm_super {
	__le64 magic;		/*   0: FSNVM_MAGIC */
	__le32 version;		/*   8: FSNVM_VERSION */
	__le32 sb_bytes;	/*  12: sizeof(struct fsnvm_super) */
	__le64 compat;		/*  16: FSNVM_COMPAT_* */
	__le64 incompat;	/*  24: FSNVM_INCOMPAT_* */
	__le64 ro_compat;	/*  32: reserved, 0 */
	u8 uuid[16];		/*  40: identity of this format */
	__le32 page_size;	/*  56: bytes per data frame */
	__le32 entry_bytes;	/*  60: bytes per index entry */
	__le64 device_bytes;	/*  64: namespace size at format */
	__le64 nr_frames;	/*  72: data frames (= index entries) */
	__le64 index_offset;	/*  80: first index entry */
	__le64 data_offset;	/*  88: first data frame */
	__le64 format_time;	/*  96: seconds since the epoch */
	u8 reserved[136];	/* 104: zero */
	__le64 stale_below;	/* 240: with INCOMPAT_STALE_BELOW, else 0 */
	u8 reserved2[4];	/* 248: zero */
	__le32 crc;		/* 252: crc32c of bytes 0..251 */
};

static_assert(sizeof(struct fsnvm_super) == 256, "superblock size");
static_assert(offsetof(struct fsnvm_super, nr_frames) == 72,
	      "superblock nr_frames offset");
static_assert(offsetof(struct fsnvm_super, stale_below) == 240,
	      "superblock stale_below offset");
static_assert(offsetof(struct fsnvm_super, crc) == 252,
	      "superblock crc offset");
/* The two copies share no 512-byte sector and fit the region. */
static_assert(FSNVM_SUPER_BACKUP % 512 == 0 &&
	      FSNVM_SUPER_BACKUP >= 512 &&
	      FSNVM_SUPER_BACKUP + sizeof(struct fsnvm_super) <= FSNVM_SUPER_BYTES,
	      "backup superblock placement");

/* key: bit 63 valid, bits 56..62 swap type, bits 0..55 swap offset */
#define FSNVM_KEY_VALID		BIT_ULL(63)
#define FSNVM_KEY_TYPE_SHIFT	56
#define FSNVM_KEY_TYPE_MASK	0x7fULL
#define FSNVM_KEY_OFFSET_MASK	GENMASK_ULL(55, 0)

/* entry flags */
#define FSNVM_ENT_FILLED	BIT(0)	/* page is fill repeated */
#define FSNVM_ENT_MOVED		BIT(1)	/* put here by the balancer */
#define FSNVM_ENT_RETIRED	BIT(2)	/* key 0: never use the frame again */
#define FSNVM_ENT_KNOWN		(FSNVM_ENT_FILLED | FSNVM_ENT_MOVED | \
				 FSNVM_ENT_RETIRED)

struct fsnvm_entry {
	__le64 key;		/*  0: FSNVM_KEY_*, 0 when the frame is free */
	__le64 seq;		/*  8: store sequence number, higher wins */
	__le64 wear;		/* 16: data writes this frame has taken, ever */
	__le64 fill;		/* 24: the repeated word when FILLED */
	__le32 flags;		/* 32: FSNVM_ENT_* */
	__le32 data_crc;	/* 36: crc32c of the frame, if COMPAT_DATA_CRC */
	__le16 writer;		/* 40: 0, or the writer that must vouch */
	__le16 vouch_writer;	/* 42: the writer vouch_seq speaks for */
	__le32 reserved;	/* 44: zero */
	__le64 vouch_seq;	/* 48: its stores up to here are durable */
	u8 reserved2[4];	/* 56: zero */
	__le32 crc;		/* 60: crc32c of bytes 0..59 */
};

static_assert(sizeof(struct fsnvm_entry) == FSNVM_ENTRY_BYTES, "entry size");
static_assert(offsetof(struct fsnvm_entry, wear) == 16,
	      "entry wear offset");
static_assert(offsetof(struct fsnvm_entry, crc) == 60,
	      "entry crc offset");
static_assert(offsetof(struct fsnvm_entry, writer) == 40,
	      "entry writer offset");
static_assert(offsetof(struct fsnvm_entry, vouch_seq) == 48,
	      "entry vouch_seq offset");

#endif /* FSNVM_FORMAT_H */
