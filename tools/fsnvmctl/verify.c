// SPDX-License-Identifier: GPL-2.0
/*
 * The media verifier (see verify.h).  It applies the same rules as
 * recovery (pmem-layout/fsnvm_recover.c) but on its own, entry by entry,
 * so that the two can be compared: the fuzz target checks that both count
 * the same valid, torn and duplicate entries.
 */
#include <time.h>

#include "fsnvm_keymap.h"
#include "verify.h"

static const char * const vp_kind_names[VP_NR_KINDS] = {
	[VP_SUPERBLOCK] = "superblock",
	[VP_SUPER_RESERVED] = "super_reserved",
	[VP_SUPER_COMPAT] = "super_compat",
	[VP_ENTRY_CRC] = "entry_crc",
	[VP_UNKNOWN_FLAGS] = "unknown_flags",
	[VP_ENTRY_RESERVED] = "entry_reserved",
	[VP_BAD_KEY] = "bad_key",
	[VP_KEY_RANGE] = "key_range",
	[VP_WEAR_IMPLAUSIBLE] = "wear_implausible",
	[VP_WEAR_ZERO] = "wear_zero",
	[VP_DATA_CRC] = "data_crc",
	[VP_STALE_FREE] = "stale_free",
	[VP_DUPLICATE_KEY] = "duplicate_key",
	[VP_BAD_BLOCK] = "bad_block",
	[VP_LOST_PAGE] = "lost_page",
	[VP_BAD_WRITER] = "bad_writer",
	[VP_BAD_VOUCH_WRITER] = "bad_vouch_writer",
	[VP_UNCOMMITTED] = "uncommitted",
	[VP_RETIRED] = "retired",
	[VP_SEQ_IMPLAUSIBLE] = "seq_implausible",
	[VP_VOUCH_SEQ_IMPLAUSIBLE] = "vouch_seq_implausible",
	[VP_FORMAT_TIME] = "format_time",
	[VP_SUPER_PRIMARY] = "super_primary",
	[VP_SUPER_BACKUP] = "super_backup",
};

const char *vp_kind_name(enum vp_kind kind)
{
	return (unsigned int)kind < VP_NR_KINDS ? vp_kind_names[kind] : "?";
}

void vp_describe(const struct vp_problem *p, char *buf, size_t len)
{
	unsigned int type = fsnvm_key_type(p->key);
	unsigned long long off = fsnvm_key_offset(p->key);
	char sup[192];

	switch (p->kind) {
	case VP_SUPERBLOCK:
		fsnvm_super_problem_str(&p->super, buf, len);
		break;
	case VP_SUPER_PRIMARY:
		fsnvm_super_problem_str(&p->super, sup, sizeof(sup));
		snprintf(buf, len,
			 "primary superblock unusable (%s); the backup at %u is good and used (the backend rewrites the primary at bind)",
			 sup, FSNVM_SUPER_BACKUP);
		break;
	case VP_SUPER_BACKUP:
		if (p->super.status == FSNVM_MEDIA_OK) {
			snprintf(buf, len,
				 "backup superblock at %u differs from the primary (a format cut short?); the primary is used and the backend rewrites the backup at bind",
				 FSNVM_SUPER_BACKUP);
			break;
		}
		fsnvm_super_problem_str(&p->super, sup, sizeof(sup));
		snprintf(buf, len,
			 "backup superblock at %u unusable (%s); the primary is good (the backend rewrites the backup at bind)",
			 FSNVM_SUPER_BACKUP, sup);
		break;
	case VP_SUPER_RESERVED:
		snprintf(buf, len, "superblock reserved bytes or ro_compat are not zero");
		break;
	case VP_SUPER_COMPAT:
		snprintf(buf, len, "unknown compatible feature bits 0x%llx (ignored)",
			 (unsigned long long)p->value);
		break;
	case VP_ENTRY_CRC:
		snprintf(buf, len,
			 "entry checksum mismatch (stored 0x%08llx, computed 0x%08llx): torn or corrupt, the backend treats the frame as free",
			 (unsigned long long)p->value, (unsigned long long)p->expected);
		break;
	case VP_UNKNOWN_FLAGS:
		snprintf(buf, len, "unknown entry flags 0x%llx: the backend ignores the entry",
			 (unsigned long long)p->value);
		break;
	case VP_ENTRY_RESERVED:
		snprintf(buf, len, "entry reserved bytes are not zero");
		break;
	case VP_BAD_KEY:
		snprintf(buf, len, "key 0x%016llx is set without its valid bit",
			 (unsigned long long)p->key);
		break;
	case VP_KEY_RANGE:
		snprintf(buf, len,
			 "key (type %u, offset %llu) is beyond what the backend maps (offset <= %llu)",
			 type, off, (unsigned long long)FSNVM_MAX_MAP_OFFSET);
		break;
	case VP_WEAR_IMPLAUSIBLE:
	case VP_SEQ_IMPLAUSIBLE:
	case VP_VOUCH_SEQ_IMPLAUSIBLE:
		snprintf(buf, len,
			 "%s %llu is implausible (at most %llu): the backend treats the entry as torn, its frame at the highest wear known",
			 p->kind == VP_WEAR_IMPLAUSIBLE ? "wear" :
			 p->kind == VP_SEQ_IMPLAUSIBLE ? "seq" : "vouch seq",
			 (unsigned long long)p->value,
			 (unsigned long long)(p->kind == VP_WEAR_IMPLAUSIBLE ?
					      FSNVM_WEAR_MAX : FSNVM_SEQ_MAX));
		break;
	case VP_FORMAT_TIME:
		snprintf(buf, len,
			 "format time %llu is %llu seconds in the future: a wrong clock at format, or a forged superblock; the write rate of `fsnvmctl wear` is unknown",
			 (unsigned long long)p->value,
			 (unsigned long long)(p->value - p->expected));
		break;
	case VP_WEAR_ZERO:
		snprintf(buf, len, "holds page data (type %u, offset %llu) but its wear is 0",
			 type, off);
		break;
	case VP_DATA_CRC:
		snprintf(buf, len,
			 "page data checksum mismatch (stored 0x%08llx, computed 0x%08llx): type %u offset %llu is lost",
			 (unsigned long long)p->value, (unsigned long long)p->expected,
			 type, off);
		break;
	case VP_STALE_FREE:
		snprintf(buf, len, "free entry still carries fill, flags or data crc");
		break;
	case VP_DUPLICATE_KEY:
		if (p->severity == VP_ERROR)
			snprintf(buf, len,
				 "key (type %u, offset %llu) also in frame %llu with the same seq %llu: which copy is current is ambiguous",
				 type, off, (unsigned long long)p->other_frame,
				 (unsigned long long)p->seq);
		else
			snprintf(buf, len,
				 "key (type %u, offset %llu) also in frame %llu: seq %llu here, %llu there; the higher seq wins, this copy is stale",
				 type, off, (unsigned long long)p->other_frame,
				 (unsigned long long)p->seq,
				 (unsigned long long)p->other_seq);
		break;
	case VP_BAD_BLOCK:
		snprintf(buf, len, "on the namespace's badblocks list: the backend never uses it");
		break;
	case VP_LOST_PAGE:
		snprintf(buf, len,
			 "key (type %u, offset %llu), seq %llu: its newest copy is on a bad block; the page is lost and its read fails",
			 type, off, (unsigned long long)p->seq);
		break;
	case VP_BAD_WRITER:
	case VP_BAD_VOUCH_WRITER:
		snprintf(buf, len,
			 "%s id %llu is implausible (at most %u): the backend treats the entry as torn, its frame at the highest wear known",
			 p->kind == VP_BAD_WRITER ? "writer" : "vouch writer",
			 (unsigned long long)p->value, FSNVM_MAX_WRITERS);
		break;
	case VP_RETIRED:
		snprintf(buf, len,
			 "retired by the backend after a media error or a data crc mismatch: never used again");
		break;
	case VP_UNCOMMITTED:
		snprintf(buf, len,
			 "key (type %u, offset %llu), seq %llu of writer %llu: no entry vouches for its data (a crash inside the store); the page is dropped",
			 type, off, (unsigned long long)p->seq,
			 (unsigned long long)p->value);
		break;
	default:
		snprintf(buf, len, "unknown problem");
	}
}

static int vp_add(struct vp_report *r, const struct vp_problem *p)
{
	if (r->nr_problems == r->cap) {
		u64 cap = r->cap ? r->cap * 2 : 16;
		struct vp_problem *n = realloc(r->problems, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		r->problems = n;
		r->cap = cap;
	}
	r->problems[r->nr_problems++] = *p;
	if (p->severity == VP_ERROR)
		r->errors++;
	else
		r->warnings++;
	return 0;
}

static int vp_add_frame(struct vp_report *r, enum vp_kind kind,
			enum vp_severity sev, u64 frame, u64 key, u64 value,
			u64 expected)
{
	struct vp_problem p = {
		.kind = kind, .severity = sev, .frame = frame, .key = key,
		.value = value, .expected = expected,
	};

	return vp_add(r, &p);
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static int vp_super(const struct fsnvm_super *sb, struct vp_report *r)
{
	u64 compat = le64_to_cpu(sb->compat);
	u64 made = le64_to_cpu(sb->format_time), now = (u64)time(NULL);
	/* Without its feature bit the field is reserved. */
	bool stale_field = sb->stale_below &&
			   !(le64_to_cpu(sb->incompat) & FSNVM_INCOMPAT_STALE_BELOW);

	if ((!all_zero(sb->reserved, sizeof(sb->reserved)) ||
	     !all_zero(sb->reserved2, sizeof(sb->reserved2)) || sb->ro_compat ||
	     stale_field) &&
	    vp_add_frame(r, VP_SUPER_RESERVED, VP_WARNING, VP_NO_FRAME, 0, 0, 0))
		return -ENOMEM;
	if ((compat & ~FSNVM_COMPAT_KNOWN) &&
	    vp_add_frame(r, VP_SUPER_COMPAT, VP_WARNING, VP_NO_FRAME, 0,
			 compat & ~FSNVM_COMPAT_KNOWN, 0))
		return -ENOMEM;
	if (made > now && made - now > VP_FUTURE_MARGIN &&
	    vp_add_frame(r, VP_FORMAT_TIME, VP_WARNING, VP_NO_FRAME, 0, made,
			 now))
		return -ENOMEM;
	return 0;
}

/* Which superblock copy is good (fsnvm_super_pick()). */
static int vp_super_copies(const struct fsnvm_super *sb, struct vp_report *r)
{
	struct vp_problem p = {
		.severity = VP_WARNING, .frame = VP_NO_FRAME,
	};

	if (r->pick.used == FSNVM_SB_BACKUP) {
		p.kind = VP_SUPER_PRIMARY;
		p.super = r->pick.primary;
	} else if ((le64_to_cpu(sb->compat) & FSNVM_COMPAT_BACKUP_SB) &&
		   (r->pick.backup.status != FSNVM_MEDIA_OK ||
		    r->pick.backup_differs)) {
		p.kind = VP_SUPER_BACKUP;
		p.super = r->pick.backup;
	} else {
		return 0;
	}
	p.media = p.super.status;
	return vp_add(r, &p);
}

/* A valid entry, remembered to find keys named twice. */
struct vp_key {
	u64 key, seq;
	u32 frame;		/* < FSNVM_MAX_FRAMES */
	u8 filled;
	u8 bad;			/* on a bad-listed frame */
	u16 writer;		/* entry.writer */
};

struct vp_keys {
	struct vp_key *v;
	u64 n, cap;
	u64 *vouched;		/* [FSNVM_MAX_WRITERS], as recovery folds them */
};

/* By key, then the winner first: higher seq, then lower frame (as recovery). */
static int vp_key_cmp(const void *a, const void *b)
{
	const struct vp_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq > y->seq ? -1 : 1;
	return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static int vp_problem_cmp(const void *a, const void *b)
{
	const struct vp_problem *x = a, *y = b;

	/* VP_NO_FRAME is ~0: put the superblock first. */
	u64 fx = x->frame + 1, fy = y->frame + 1;

	if (fx != fy)
		return fx < fy ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/*
 * A crc-valid entry with a counter beyond its bound: one error per
 * counter.  Recovery ignores the whole entry (fsnvm_layout.h), so it
 * vouches for nothing and names no key here either.
 */
static int vp_implausible(struct vp_report *r, u64 f,
			  const struct fsnvm_entry *ent, unsigned int what)
{
	u64 key = le64_to_cpu(ent->key);

	r->implausible++;
	if ((what & FSNVM_IMPLAUSIBLE_WEAR) &&
	    vp_add_frame(r, VP_WEAR_IMPLAUSIBLE, VP_ERROR, f, key,
			 le64_to_cpu(ent->wear), 0))
		return -ENOMEM;
	if ((what & FSNVM_IMPLAUSIBLE_SEQ) &&
	    vp_add_frame(r, VP_SEQ_IMPLAUSIBLE, VP_ERROR, f, key,
			 le64_to_cpu(ent->seq), 0))
		return -ENOMEM;
	if ((what & FSNVM_IMPLAUSIBLE_VOUCH_SEQ) &&
	    vp_add_frame(r, VP_VOUCH_SEQ_IMPLAUSIBLE, VP_ERROR, f, key,
			 le64_to_cpu(ent->vouch_seq), 0))
		return -ENOMEM;
	if ((what & FSNVM_IMPLAUSIBLE_WRITER) &&
	    vp_add_frame(r, VP_BAD_WRITER, VP_ERROR, f, key,
			 le16_to_cpu(ent->writer), 0))
		return -ENOMEM;
	if ((what & FSNVM_IMPLAUSIBLE_VOUCH_WRITER) &&
	    vp_add_frame(r, VP_BAD_VOUCH_WRITER, VP_ERROR, f, key,
			 le16_to_cpu(ent->vouch_writer), 0))
		return -ENOMEM;
	return 0;
}

/* Append a valid entry's key. */
static int vp_key_add(struct vp_keys *keys, const struct fsnvm_entry *ent,
		      u64 f, bool bad)
{
	if (keys->n == keys->cap) {
		u64 cap = keys->cap ? keys->cap * 2 : 256;
		struct vp_key *v = realloc(keys->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		keys->v = v;
		keys->cap = cap;
	}
	keys->v[keys->n++] = (struct vp_key){
		.key = le64_to_cpu(ent->key), .seq = le64_to_cpu(ent->seq),
		.frame = (u32)f, .bad = bad,
		.filled = !!(le32_to_cpu(ent->flags) & FSNVM_ENT_FILLED),
		.writer = le16_to_cpu(ent->writer),
	};
	return 0;
}

/*
 * A frame on the badblocks list: reported, and its entry read as recovery
 * reads it (fsnvm_recover.c): when it can be read and is trusted, its
 * vouch counts, and a key it names takes part in that key's resolution;
 * should it win, the page is lost (vp_duplicates()).
 */
static int vp_bad_frame(const void *base, struct vp_report *r, u64 f,
			struct vp_keys *keys)
{
	struct fsnvm_entry ent;

	r->bad++;
	if (vp_add_frame(r, VP_BAD_BLOCK, VP_WARNING, f, 0, 0, 0))
		return -ENOMEM;
	if (fsnvm_pmem_read(&ent, fsnvm_entry_at((void *)base, &r->geo, f),
			    sizeof(ent)) ||
	    fsnvm_entry_untrusted(&ent))
		return 0;
	fsnvm_entry_vouch(&ent, keys->vouched);
	if (fsnvm_entry_classify(&ent) != FSNVM_ENTRY_MAPPED)
		return 0;
	if (fsnvm_entry_released(&ent, r->stale_below)) {
		r->stale++;
		return 0;
	}
	r->valid++;
	return vp_key_add(keys, &ent, f, true);
}

/* Check one entry; a valid one is appended to keys. */
static int vp_entry(const void *base, struct vp_report *r, u64 f,
		    struct vp_keys *keys)
{
	const struct fsnvm_geometry *geo = &r->geo;
	enum fsnvm_entry_class cls;
	struct fsnvm_entry ent;
	u64 key, wear;
	u32 flags;

	memcpy(&ent, fsnvm_entry_at((void *)base, geo, f), sizeof(ent));
	r->entries++;
	cls = fsnvm_entry_classify(&ent);	/* the rule recovery uses */
	if (cls == FSNVM_ENTRY_TORN) {
		r->torn++;
		return vp_add_frame(r, VP_ENTRY_CRC, VP_ERROR, f, 0,
				    le32_to_cpu(ent.crc),
				    crc32c(~0U, &ent, __builtin_offsetof(struct fsnvm_entry, crc)));
	}
	if (cls == FSNVM_ENTRY_IMPLAUSIBLE)
		return vp_implausible(r, f, &ent, fsnvm_entry_implausible(&ent));
	key = le64_to_cpu(ent.key);
	wear = le64_to_cpu(ent.wear);
	flags = le32_to_cpu(ent.flags);
	if ((flags & ~FSNVM_ENT_KNOWN) &&
	    vp_add_frame(r, VP_UNKNOWN_FLAGS, VP_ERROR, f, key, flags, 0))
		return -ENOMEM;
	fsnvm_entry_vouch(&ent, keys->vouched);
	if ((ent.reserved || !all_zero(ent.reserved2, sizeof(ent.reserved2))) &&
	    vp_add_frame(r, VP_ENTRY_RESERVED, VP_WARNING, f, key, 0, 0))
		return -ENOMEM;
	if (!key && (flags & FSNVM_ENT_RETIRED)) {
		r->retired++;
		return vp_add_frame(r, VP_RETIRED, VP_WARNING, f, 0, 0, 0);
	}
	if (key && (flags & FSNVM_ENT_RETIRED) &&
	    vp_add_frame(r, VP_UNKNOWN_FLAGS, VP_ERROR, f, key, flags, 0))
		return -ENOMEM;
	if (!key) {
		r->free++;
		if ((flags || ent.fill || ent.data_crc) &&
		    vp_add_frame(r, VP_STALE_FREE, VP_WARNING, f, 0, 0, 0))
			return -ENOMEM;
		return 0;
	}
	switch (cls) {
	case FSNVM_ENTRY_BAD_KEY:
		return vp_add_frame(r, VP_BAD_KEY, VP_ERROR, f, key, 0, 0);
	case FSNVM_ENTRY_KEY_RANGE:
		return vp_add_frame(r, VP_KEY_RANGE, VP_ERROR, f, key, 0, 0);
	case FSNVM_ENTRY_MAPPED:
		break;
	default:
		return 0;	/* unknown flags: reported above; not mapped */
	}
	if (fsnvm_entry_released(&ent, r->stale_below)) {
		r->stale++;	/* an attach released it: as a free entry */
		return 0;
	}
	r->valid++;
	if (vp_key_add(keys, &ent, f, false))
		return -ENOMEM;
	if (flags & FSNVM_ENT_FILLED)
		return 0;
	if (!wear && vp_add_frame(r, VP_WEAR_ZERO, VP_WARNING, f, key, 0, 0))
		return -ENOMEM;
	if (geo->compat & FSNVM_COMPAT_DATA_CRC) {
		u32 crc = crc32c(~0U, fsnvm_frame_at((void *)base, geo, f),
				 geo->page_size);

		if (crc != le32_to_cpu(ent.data_crc))
			return vp_add_frame(r, VP_DATA_CRC, VP_ERROR, f, key,
					    le32_to_cpu(ent.data_crc), crc);
	}
	return 0;
}

/*
 * Report every losing entry of a key named more than once, every key
 * whose winning entry no vouch covers (it maps nothing), and every key
 * whose winning entry is on a bad-listed frame (its page is lost).
 */
static int vp_duplicates(struct vp_report *r, struct vp_keys *ks)
{
	struct vp_key *keys = ks->v;
	u64 i = 0, j, n = ks->n;

	if (!n)
		return 0;
	qsort(keys, n, sizeof(*keys), vp_key_cmp);
	while (i < n) {
		const struct vp_key *k = &keys[i];

		if (k->writer && k->seq > ks->vouched[k->writer - 1]) {
			struct vp_problem p = {
				.kind = VP_UNCOMMITTED, .severity = VP_WARNING,
				.frame = k->frame, .key = k->key, .seq = k->seq,
				.value = k->writer,
			};

			r->uncommitted++;
			if (vp_add(r, &p))
				return -ENOMEM;
		} else if (k->bad) {
			struct vp_problem p = {
				.kind = VP_LOST_PAGE, .severity = VP_WARNING,
				.frame = k->frame, .key = k->key, .seq = k->seq,
			};

			r->lost++;
			if (vp_add(r, &p))
				return -ENOMEM;
		} else {
			r->used++;
			if (k->filled)
				r->filled++;
		}
		for (j = i + 1; j < n && keys[j].key == keys[i].key; j++) {
			struct vp_problem p = {
				.kind = VP_DUPLICATE_KEY,
				.severity = keys[j].seq == keys[i].seq ?
					    VP_ERROR : VP_WARNING,
				.frame = keys[j].frame, .key = keys[j].key,
				.seq = keys[j].seq, .other_frame = keys[i].frame,
				.other_seq = keys[i].seq,
			};

			r->duplicates++;
			if (vp_add(r, &p))
				return -ENOMEM;
		}
		i = j;
	}
	return 0;
}

int fsnvm_verify(const void *base, u64 bytes, const u8 *bad,
		 struct vp_report *r)
{
	struct vp_keys keys = { 0 };
	struct fsnvm_super sb;
	int ret = 0;
	u64 f;

	memset(r, 0, sizeof(*r));
	keys.vouched = calloc(FSNVM_MAX_WRITERS, sizeof(*keys.vouched));
	if (!keys.vouched)
		return -ENOMEM;
	r->super = fsnvm_super_pick(base, bytes, &sb, &r->geo, &r->pick);
	if (r->super != FSNVM_MEDIA_OK) {
		struct vp_problem p = {
			.kind = VP_SUPERBLOCK, .severity = VP_ERROR,
			.media = r->super, .frame = VP_NO_FRAME,
			.super = r->pick.primary,
		};

		free(keys.vouched);
		return vp_add(r, &p);
	}
	if (vp_super(&sb, r) || vp_super_copies(&sb, r)) {
		free(keys.vouched);
		return -ENOMEM;
	}
	r->stale_below = fsnvm_super_stale_below(&sb);
	for (f = 0; f < r->geo.nr_frames && !ret; f++) {
		if (bad && bad[f])
			ret = vp_bad_frame(base, r, f, &keys);
		else
			ret = vp_entry(base, r, f, &keys);
	}
	if (!ret)
		ret = vp_duplicates(r, &keys);
	free(keys.v);
	free(keys.vouched);
	if (!ret && r->nr_problems)
		qsort(r->problems, r->nr_problems, sizeof(*r->problems),
		      vp_problem_cmp);
	return ret;
}

void vp_report_free(struct vp_report *r)
{
	free(r->problems);
	r->problems = NULL;
	r->nr_problems = 0;
	r->cap = 0;
}
