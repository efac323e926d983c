/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Geometry, superblock and index-entry helpers: everything that encodes or
 * checks the on-media format of fsnvm_format.h.  Used by the engine, the
 * kernel backend and fsnvmctl alike.
 */
#ifndef FSNVM_LAYOUT_H
#define FSNVM_LAYOUT_H

#include "fsnvm_format.h"

/* Why a namespace cannot be used; fsnvm_media_str() says it in words. */
enum fsnvm_media_status {
	FSNVM_MEDIA_OK = 0,
	FSNVM_MEDIA_TOO_SMALL,		/* below FSNVM_MIN_DEVICE_BYTES */
	FSNVM_MEDIA_TOO_LARGE,		/* more than FSNVM_MAX_FRAMES frames */
	FSNVM_MEDIA_BAD_MAGIC,		/* unformatted or foreign */
	FSNVM_MEDIA_BAD_VERSION,	/* newer format version */
	FSNVM_MEDIA_BAD_FEATURES,	/* unknown incompatible feature */
	FSNVM_MEDIA_BAD_CRC,		/* superblock checksum mismatch */
	FSNVM_MEDIA_BAD_GEOMETRY,	/* fields disagree with the device */
	FSNVM_MEDIA_IO_ERROR,		/* media error reading the superblock */
	FSNVM_MEDIA_NO_MEMORY,		/* no DRAM for the engine: not the media's */
};

const char *fsnvm_media_str(enum fsnvm_media_status st);
/* The errno the kernel returns for it (negative). */
int fsnvm_media_errno(enum fsnvm_media_status st);

struct fsnvm_geometry {
	u64 device_bytes;
	u64 nr_frames;
	u64 index_offset;
	u64 data_offset;
	u32 page_size;
	u64 compat;
};

enum fsnvm_media_status fsnvm_geometry_for_size(u64 device_bytes,
						struct fsnvm_geometry *geo);

u32 fsnvm_super_crc(const struct fsnvm_super *sb);
/* Fill in a superblock's crc. */
void fsnvm_super_seal(struct fsnvm_super *sb);

/*
 * Why a superblock copy was refused, for a message that names the field,
 * the value found and the value wanted (fsnvm_super_problem_str()).
 */
struct fsnvm_super_problem {
	enum fsnvm_media_status status;	/* FSNVM_MEDIA_OK: nothing wrong */
	const char *field;	/* "crc", "nr_frames", ...; NULL: none */
	u64 found;		/* the field's value on the media */
	u64 expected;		/* what this code or the device wants */
	u64 device_bytes;	/* the size of the device it was read from */
	bool at_most;		/* expected is an upper bound */
};

/*
 * "<fsnvm_media_str()>: <field> <found> <how it fails> <expected>", e.g.
 * "...: nr_frames 123456 does not fit a device of 1048576 bytes: at most
 * 240" or "...: stored crc 0x12345678, computed 0x9abcdef0".
 */
void fsnvm_super_problem_str(const struct fsnvm_super_problem *p, char *buf,
			     size_t len);

/*
 * Check a superblock read from a device of device_bytes; fill geo.  why,
 * when not NULL, says which field failed and how.
 */
enum fsnvm_media_status fsnvm_super_check_why(const struct fsnvm_super *sb,
					      u64 device_bytes,
					      struct fsnvm_geometry *geo,
					      struct fsnvm_super_problem *why);
static inline enum fsnvm_media_status
fsnvm_super_check(const struct fsnvm_super *sb, u64 device_bytes,
		  struct fsnvm_geometry *geo)
{
	return fsnvm_super_check_why(sb, device_bytes, geo, NULL);
}

/* Which superblock copy a device is read with (fsnvm_format.h). */
enum fsnvm_super_copy {
	FSNVM_SB_NONE,		/* neither is usable */
	FSNVM_SB_PRIMARY,	/* at 0 */
	FSNVM_SB_BACKUP,	/* at FSNVM_SUPER_BACKUP: the primary is damaged */
};

struct fsnvm_super_pick {
	enum fsnvm_super_copy used;
	struct fsnvm_super_problem primary, backup;	/* each copy's status */
	bool backup_differs;	/* both usable but not byte-identical */
};

/*
 * Read both superblock copies of a device (machine-check safe) and pick
 * the one to use: the primary when it is usable, else the backup when the
 * primary is ours but damaged (fsnvm_format.h).  Returns the status of the
 * copy used, or the primary's when neither is; fills sb (the copy used)
 * and geo when OK.  pick may be NULL.
 */
enum fsnvm_media_status fsnvm_super_pick(const void *base, u64 device_bytes,
					 struct fsnvm_super *sb,
					 struct fsnvm_geometry *geo,
					 struct fsnvm_super_pick *pick);

/* Write sb into one copy (primary or backup) and make it durable. */
void fsnvm_super_write(void *base, enum fsnvm_super_copy copy,
		       const struct fsnvm_super *sb);

/*
 * Rewrite the copy pick says is damaged from the one in use (sb), made
 * durable; nothing when both are good, when the damaged copy cannot be
 * read (a media error), or for a format without a backup.  Returns the
 * copy rewritten, FSNVM_SB_NONE for none.
 */
enum fsnvm_super_copy fsnvm_super_repair(void *base,
					 const struct fsnvm_super *sb,
					 const struct fsnvm_super_pick *pick);

/*
 * Write a new stale_below into both copies (fsnvm_format.h), the one not
 * in use (pick) first, each made durable, and into sb, the copy in use; a
 * format without a backup copy gains one first, and pick then says it is
 * good.  -EIO, with nothing written, when the copy not in use cannot be
 * read: rewriting the only good copy in place could tear it.
 */
int fsnvm_super_set_stale_below(void *base, struct fsnvm_super *sb,
				struct fsnvm_super_pick *pick,
				u64 stale_below);

/*
 * The keys the engine can hold: its DRAM map keeps 32-bit offsets
 * (fsnvm_keymap.h), the key 7 bits of type.  Recovery and `fsnvmctl
 * check` apply the same limits to entries on the media.
 */
#define FSNVM_MAX_SWAP_TYPES	(FSNVM_KEY_TYPE_MASK + 1)	/* kernel: 32 */
#define FSNVM_MAX_MAP_OFFSET	0xffffffffULL

static inline u64 fsnvm_key(unsigned int type, u64 offset)
{
	return FSNVM_KEY_VALID | ((u64)type << FSNVM_KEY_TYPE_SHIFT) | offset;
}

static inline unsigned int fsnvm_key_type(u64 key)
{
	return (key >> FSNVM_KEY_TYPE_SHIFT) & FSNVM_KEY_TYPE_MASK;
}

static inline u64 fsnvm_key_offset(u64 key)
{
	return key & FSNVM_KEY_OFFSET_MASK;
}

/* Fill in an entry's crc; check one.  The crc covers bytes 0..59. */
void fsnvm_entry_seal(struct fsnvm_entry *ent);
bool fsnvm_entry_crc_ok(const struct fsnvm_entry *ent);

/*
 * Bounds on the counters of an entry.  The engine never writes a value
 * beyond them (wear saturates at FSNVM_WEAR_MAX; seq would need 2^60
 * stores: 36 years at a billion a second), so a crc-valid entry beyond
 * one was not written by this code: a bug elsewhere, or forged media.
 * Both sit far below 2^64, so no arithmetic on a value that passed them
 * can overflow:
 *  - wear: 2^48 writes to one frame take 9 years at one a microsecond,
 *    orders of magnitude beyond the endurance of any persistent memory;
 *    a sum over all 2^31 frames can still reach 2^79, so sums saturate;
 *  - seq, vouch_seq: a recovery continues at the highest seq found plus
 *    one, and the engine must write none beyond FSNVM_SEQ_MAX, which the
 *    next recovery would call implausible (losing the pages); so when
 *    the highest seq found leaves less than FSNVM_SEQ_ROOM below the
 *    bound (forged media: no device makes 2^59 stores), attach refuses
 *    stores, and otherwise 2^59 stores stay within it (18 years at a
 *    billion a second); max seq + 1 never wraps.
 * The writer ids obey the same rule: the engine writes none beyond
 * FSNVM_MAX_WRITERS, in a free entry's vouch either, so an entry naming
 * one is untrusted as a whole; otherwise a free frame would pass a vouch
 * no recovery honours on to the page the balancer next moves there.
 */
#define FSNVM_WEAR_MAX		(BIT_ULL(48) - 1)
#define FSNVM_SEQ_MAX		(BIT_ULL(60) - 1)
#define FSNVM_SEQ_ROOM		BIT_ULL(59)

/* The wear after one more write: saturates, never beyond FSNVM_WEAR_MAX. */
static inline u64 fsnvm_wear_inc(u64 wear)
{
	return wear < FSNVM_WEAR_MAX ? wear + 1 : FSNVM_WEAR_MAX;
}

/* a + b, or ~0 when that does not fit: for sums of media values. */
static inline u64 fsnvm_add_sat(u64 a, u64 b)
{
	return a + b < a ? ~0ULL : a + b;
}

/* a * b, or ~0 when that does not fit. */
static inline u64 fsnvm_mul_sat(u64 a, u64 b)
{
	return b && a > ~0ULL / b ? ~0ULL : a * b;
}

/*
 * What an index entry read from the media says, checked in this order.
 * Recovery maps only FSNVM_ENTRY_MAPPED; `fsnvmctl check` reports the rest.
 * A torn or implausible entry is untrusted as a whole: its key, seq and
 * vouch are ignored and its wear is unknown, so wherever wear is kept
 * (recovery, attach, `fsnvmctl wear`, `format --keep-wear`) the frame
 * counts as having the highest wear of the trusted entries, and attach
 * rewrites it clean with that wear.  The frame itself stays in use: its
 * entry was read without a media error.
 */
enum fsnvm_entry_class {
	FSNVM_ENTRY_TORN,	/* crc mismatch: torn or corrupt */
	FSNVM_ENTRY_IMPLAUSIBLE,	/* crc ok, a counter beyond its bound */
	FSNVM_ENTRY_FREE,	/* key 0 */
	FSNVM_ENTRY_BAD_KEY,	/* key bits set without the valid bit */
	FSNVM_ENTRY_KEY_RANGE,	/* type or offset beyond what is mapped */
	FSNVM_ENTRY_BAD_FLAGS,	/* flags this code does not know */
	FSNVM_ENTRY_MAPPED,	/* names a stored page */
};

enum fsnvm_entry_class fsnvm_entry_classify(const struct fsnvm_entry *ent);

/* Which counters of a crc-valid entry are beyond their bounds. */
#define FSNVM_IMPLAUSIBLE_WEAR		BIT(0)
#define FSNVM_IMPLAUSIBLE_SEQ		BIT(1)
#define FSNVM_IMPLAUSIBLE_VOUCH_SEQ	BIT(2)
#define FSNVM_IMPLAUSIBLE_WRITER	BIT(3)
#define FSNVM_IMPLAUSIBLE_VOUCH_WRITER	BIT(4)
unsigned int fsnvm_entry_implausible(const struct fsnvm_entry *ent);

/* Is the entry untrusted as a whole (torn or implausible, see above)? */
static inline bool fsnvm_entry_untrusted(const struct fsnvm_entry *ent)
{
	enum fsnvm_entry_class cls = fsnvm_entry_classify(ent);

	return cls == FSNVM_ENTRY_TORN || cls == FSNVM_ENTRY_IMPLAUSIBLE;
}

/*
 * Fold a crc-checked entry's vouch into vouched[] (FSNVM_MAX_WRITERS
 * seqs, index writer - 1): the highest seq each writer is vouched up to.
 */
static inline void fsnvm_entry_vouch(const struct fsnvm_entry *ent,
				     u64 *vouched)
{
	unsigned int w = le16_to_cpu(ent->vouch_writer);
	u64 seq = le64_to_cpu(ent->vouch_seq);

	if (w && w <= FSNVM_MAX_WRITERS && seq > vouched[w - 1])
		vouched[w - 1] = seq;
}

/*
 * Is a mapped entry backed by durable data, given every vouch on the
 * media (fsnvm_format.h)?  A key whose newest entry is not committed holds
 * nothing after a crash; the entry still hides the key's older ones.
 */
static inline bool fsnvm_entry_committed(const struct fsnvm_entry *ent,
					 const u64 *vouched)
{
	unsigned int w = le16_to_cpu(ent->writer);

	/* An implausible writer is never vouched for (and never indexes). */
	if (w > FSNVM_MAX_WRITERS)
		return false;
	return !w || le64_to_cpu(ent->seq) <= vouched[w - 1];
}

/*
 * The superblock's stale_below (fsnvm_format.h): 0 without the feature.
 * A value beyond FSNVM_SEQ_MAX + 1, which no engine writes, counts as
 * that: every entry is released and no seq is left for new stores, so an
 * attach refuses them (fsnvm_recover.c) rather than serve pages a forged
 * superblock would bring back.
 */
static inline u64 fsnvm_super_stale_below(const struct fsnvm_super *sb)
{
	u64 v = le64_to_cpu(sb->stale_below);

	if (!(le64_to_cpu(sb->incompat) & FSNVM_INCOMPAT_STALE_BELOW))
		return 0;
	return v > FSNVM_SEQ_MAX + 1 ? FSNVM_SEQ_MAX + 1 : v;
}

/* Does a mapped entry hold nothing, released by an attach? */
static inline bool fsnvm_entry_released(const struct fsnvm_entry *ent,
					u64 stale_below)
{
	return le64_to_cpu(ent->seq) < stale_below;
}

static inline struct fsnvm_entry *fsnvm_entry_at(void *base,
						 const struct fsnvm_geometry *geo,
						 u64 frame)
{
	return (struct fsnvm_entry *)((u8 *)base + geo->index_offset) + frame;
}

static inline void *fsnvm_frame_at(void *base, const struct fsnvm_geometry *geo,
				   u64 frame)
{
	return (u8 *)base + geo->data_offset + frame * geo->page_size;
}

#endif /* FSNVM_LAYOUT_H */
