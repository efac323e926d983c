// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvmctl check DEV: verify the superblock and every index entry
 * (verify.c), then recover the index in inspect mode as the backend would
 * and compare the two views.  Exit 1 when an error is found; warnings
 * alone exit 0 (see verify.h for which is which).
 */
#include "fsnvm_engine.h"
#include "fsnvmctl.h"
#include "options.h"
#include "output.h"
#include "media.h"
#include "verify.h"

#define CHECK_TEXT_LIMIT 1000	/* problems printed in text; --json has all */

static const char *check_status(const struct vp_report *r)
{
	return r->errors ? "damaged" : r->warnings ? "warnings" : "clean";
}

/*
 * A stable code per problem for scripts: the kind, made precise where one
 * kind covers several cases (which superblock status; a duplicate with
 * equal seqs, an error, apart from a stale one; a backup that is stale
 * rather than damaged).
 */
static const char *problem_code(const struct vp_problem *p, char *buf,
				size_t len)
{
	switch (p->kind) {
	case VP_SUPERBLOCK:
		snprintf(buf, len, "superblock_%s", media_code(p->media));
		return buf;
	case VP_SUPER_PRIMARY:
		snprintf(buf, len, "super_primary_%s", media_code(p->media));
		return buf;
	case VP_SUPER_BACKUP:
		if (p->media == FSNVM_MEDIA_OK)
			return "super_backup_stale";
		snprintf(buf, len, "super_backup_%s", media_code(p->media));
		return buf;
	case VP_DUPLICATE_KEY:
		return p->severity == VP_ERROR ? "duplicate_key_same_seq" :
		       "duplicate_key";
	default:
		return vp_kind_name(p->kind);
	}
}

/* The state of the backup copy, in a word: "absent" before backups. */
static const char *backup_code(const struct fsnvm_super_problem *b)
{
	if (b->status == FSNVM_MEDIA_BAD_MAGIC && !b->found)
		return "absent";
	return media_code(b->status);
}

static struct json_object *problem_json(const struct vp_problem *p)
{
	struct json_object *o = json_object_new_object();
	char msg[256], code[48];

	vp_describe(p, msg, sizeof(msg));
	jadd_str(o, "code", problem_code(p, code, sizeof(code)));
	jadd_str(o, "severity", p->severity == VP_ERROR ? "error" : "warning");
	jadd_str(o, "kind", vp_kind_name(p->kind));
	if (p->frame == VP_NO_FRAME)
		jadd_str(o, "where", "superblock");
	else
		jadd_u64(o, "frame", p->frame);
	switch (p->kind) {
	case VP_ENTRY_CRC:
	case VP_DATA_CRC:
		jadd_u64(o, "stored_crc", p->value);
		jadd_u64(o, "computed_crc", p->expected);
		break;
	case VP_UNKNOWN_FLAGS:
		jadd_u64(o, "flags", p->value);
		break;
	case VP_WEAR_IMPLAUSIBLE:
		jadd_u64(o, "wear", p->value);
		break;
	case VP_SEQ_IMPLAUSIBLE:
		jadd_u64(o, "seq", p->value);
		break;
	case VP_VOUCH_SEQ_IMPLAUSIBLE:
		jadd_u64(o, "vouch_seq", p->value);
		break;
	case VP_FORMAT_TIME:
		jadd_u64(o, "format_time", p->value);
		jadd_u64(o, "now", p->expected);
		break;
	case VP_SUPER_COMPAT:
		jadd_u64(o, "compat", p->value);
		break;
	case VP_BAD_WRITER:
		jadd_u64(o, "writer", p->value);
		break;
	case VP_BAD_VOUCH_WRITER:
		jadd_u64(o, "vouch_writer", p->value);
		break;
	case VP_SUPERBLOCK:
	case VP_SUPER_PRIMARY:
	case VP_SUPER_BACKUP:
		if (p->super.field) {
			jadd_str(o, "field", p->super.field);
			jadd_u64(o, "found", p->super.found);
			jadd_u64(o, "expected", p->super.expected);
		}
		break;
	case VP_UNCOMMITTED:
		jadd_u64(o, "seq", p->seq);
		jadd_u64(o, "writer", p->value);
		break;
	case VP_DUPLICATE_KEY:
		jadd_u64(o, "seq", p->seq);
		jadd_u64(o, "other_frame", p->other_frame);
		jadd_u64(o, "other_seq", p->other_seq);
		break;
	default:
		break;
	}
	if (p->key & FSNVM_KEY_VALID) {
		jadd_u64(o, "type", fsnvm_key_type(p->key));
		jadd_u64(o, "offset", fsnvm_key_offset(p->key));
	} else if (p->key) {
		jadd_u64(o, "key", p->key);
	}
	jadd_str(o, "message", msg);
	return o;
}

static void check_json(const char *path, const struct vp_report *r,
		       const struct fsnvm_recovery *rep)
{
	struct json_object *o = json_object_new_object(), *list, *x;
	char msg[256];
	u64 i;

	jadd_str(o, "device", path);
	jadd_str(o, "status", check_status(r));
	jadd_str(o, "superblock", media_code(r->super));
	if (r->super == FSNVM_MEDIA_OK) {
		jadd_str(o, "superblock_message", "ok");
	} else {
		fsnvm_super_problem_str(&r->pick.primary, msg, sizeof(msg));
		jadd_str(o, "superblock_message", msg);
	}
	jadd_str(o, "superblock_copy", r->pick.used == FSNVM_SB_PRIMARY ?
		 "primary" : r->pick.used == FSNVM_SB_BACKUP ? "backup" : NULL);
	jadd_str(o, "superblock_primary", media_code(r->pick.primary.status));
	jadd_str(o, "superblock_backup", backup_code(&r->pick.backup));
	if (r->super == FSNVM_MEDIA_OK) {
		jadd_u64(o, "nr_frames", r->geo.nr_frames);
		jadd_u64(o, "entries", r->entries);
		jadd_u64(o, "used", r->used);
		jadd_u64(o, "filled", r->filled);
		jadd_u64(o, "free", r->free);
		jadd_u64(o, "released", r->stale);
		jadd_u64(o, "stale_below", r->stale_below);
		jadd_u64(o, "valid", r->valid);
		jadd_u64(o, "torn", r->torn);
		jadd_u64(o, "implausible", r->implausible);
		jadd_u64(o, "duplicates", r->duplicates);
		jadd_u64(o, "uncommitted", r->uncommitted);
		jadd_u64(o, "retired", r->retired);
		jadd_u64(o, "bad", r->bad);
		jadd_u64(o, "lost", r->lost);
		x = json_object_new_object();
		jadd_u64(x, "valid", rep->valid);
		jadd_u64(x, "duplicates", rep->duplicates);
		jadd_u64(x, "torn", rep->torn);
		jadd_u64(x, "implausible", rep->implausible);
		jadd_u64(x, "uncommitted", rep->uncommitted);
		jadd_u64(x, "lost", rep->lost);
		jadd_u64(x, "released", rep->stale);
		jadd_u64(x, "max_seq", rep->max_seq);
		json_object_object_add(o, "recovery", x);
	}
	jadd_u64(o, "errors", r->errors);
	jadd_u64(o, "warnings", r->warnings);
	list = json_object_new_array();
	for (i = 0; i < r->nr_problems; i++)
		json_object_array_add(list, problem_json(&r->problems[i]));
	json_object_object_add(o, "problems", list);
	json_emit(o);
}

/* Which superblock copy is good, for the text's first line. */
static const char *copies_text(const struct vp_report *r)
{
	const char *b = backup_code(&r->pick.backup);

	if (r->pick.used == FSNVM_SB_BACKUP)
		return "primary damaged, read from the backup";
	if (!strcmp(b, "absent"))
		return "primary good, no backup";
	if (r->pick.backup_differs)
		return "primary good, backup stale";
	return strcmp(b, "ok") ? "primary good, backup damaged" :
	       "primary and backup good";
}

static void check_text(const char *path, const struct vp_report *r,
		       const struct fsnvm_recovery *rep)
{
	char msg[256];
	u64 i;

	printf("%s: superblock ok, %llu frames (%s)\n", path,
	       (unsigned long long)r->geo.nr_frames, copies_text(r));
	for (i = 0; i < r->nr_problems && i < CHECK_TEXT_LIMIT; i++) {
		const struct vp_problem *p = &r->problems[i];

		vp_describe(p, msg, sizeof(msg));
		if (p->frame == VP_NO_FRAME)
			printf("superblock: %s: %s: %s\n",
			       p->severity == VP_ERROR ? "error" : "warning",
			       vp_kind_name(p->kind), msg);
		else
			printf("frame %llu: %s: %s: %s\n", (unsigned long long)p->frame,
			       p->severity == VP_ERROR ? "error" : "warning",
			       vp_kind_name(p->kind), msg);
	}
	if (r->nr_problems > CHECK_TEXT_LIMIT)
		printf("... and %llu more (--json lists them all)\n",
		       (unsigned long long)(r->nr_problems - CHECK_TEXT_LIMIT));
	printf("%s: %llu entries: %llu pages (%llu same-filled), %llu free, %llu torn, %llu duplicate\n",
	       path, (unsigned long long)r->entries, (unsigned long long)r->used,
	       (unsigned long long)r->filled, (unsigned long long)r->free,
	       (unsigned long long)r->torn, (unsigned long long)r->duplicates);
	if (r->implausible)
		printf("%s: %llu implausible entries, treated as torn\n", path,
		       (unsigned long long)r->implausible);
	if (r->lost)
		printf("%s: %llu pages lost: their newest copy is on a bad block\n",
		       path, (unsigned long long)r->lost);
	if (r->stale)
		printf("%s: %llu entries name a page an attach released (seq below %llu): free\n",
		       path, (unsigned long long)r->stale,
		       (unsigned long long)r->stale_below);
	printf("%s: recovery would map %llu pages (max seq %llu)\n", path,
	       (unsigned long long)(rep->valid - rep->duplicates -
				    rep->uncommitted - rep->lost),
	       (unsigned long long)rep->max_seq);
	printf("%s: %s: %llu error%s, %llu warning%s\n", path, check_status(r),
	       (unsigned long long)r->errors, r->errors == 1 ? "" : "s",
	       (unsigned long long)r->warnings, r->warnings == 1 ? "" : "s");
}

static void mark_bad(void *ctx, u64 frame)
{
	((u8 *)ctx)[frame] = 1;
}

/* The backend's view: recovery in inspect mode.  1 when it disagrees. */
static int check_recovery(const struct dev *d, const struct vp_report *r,
			  const u8 *bad, struct fsnvm_recovery *rep)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = fsnvm_engine_open(d->base, d->bytes, &st);
	u64 f;

	memset(rep, 0, sizeof(*rep));
	if (!e)
		return fail("%s: engine: %s", d->path, fsnvm_media_str(st));
	for (f = 0; bad && f < fsnvm_engine_geo(e)->nr_frames; f++)
		if (bad[f])
			fsnvm_mark_bad(e, f);
	fsnvm_recover(e, FSNVM_RECOVER_INSPECT, rep);	/* INSPECT cannot fail */
	fsnvm_engine_close(e);
	if (rep->valid != r->valid || rep->duplicates != r->duplicates ||
	    rep->torn != r->torn || rep->uncommitted != r->uncommitted ||
	    rep->implausible != r->implausible || rep->lost != r->lost)
		return fail("%s: internal error: recovery counts %llu valid, %llu duplicate, %llu torn, %llu implausible, %llu uncommitted, %llu lost; check counts %llu, %llu, %llu, %llu, %llu, %llu",
			    d->path, (unsigned long long)rep->valid,
			    (unsigned long long)rep->duplicates,
			    (unsigned long long)rep->torn,
			    (unsigned long long)rep->implausible,
			    (unsigned long long)rep->uncommitted,
			    (unsigned long long)rep->lost,
			    (unsigned long long)r->valid,
			    (unsigned long long)r->duplicates,
			    (unsigned long long)r->torn,
			    (unsigned long long)r->implausible,
			    (unsigned long long)r->uncommitted,
			    (unsigned long long)r->lost);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON: every problem, raw numbers"),
		OPT_END(),
	};
	const struct cmd_usage u = {
		"check", "DEV [--json]",
		"Verify the superblock and every index entry; exit 1 on damage.",
		opts,
	};
	struct fsnvm_recovery rep = { 0 };
	struct fsnvm_geometry geo;
	struct vp_report r;
	u8 *bad = NULL;
	struct dev d;
	int i = parse_args(argc, argv, &u, 1, 1), ret;

	if (i < 0)
		return parse_exit(i);
	if (dev_open(&d, argv[i], false))
		return fail("%s: %s", argv[i], d.err);
	if (dev_super(&d, &geo) == FSNVM_MEDIA_OK && d.kind == DEV_BLOCK) {
		bad = calloc(geo.nr_frames ? geo.nr_frames : 1, 1);
		if (bad)
			dev_bad_frames(&d, &geo, mark_bad, bad);
	}
	if (fsnvm_verify(d.base, d.bytes, bad, &r)) {
		vp_report_free(&r);
		dev_close(&d);
		free(bad);
		return fail("%s: out of memory", argv[i]);
	}
	ret = r.errors ? EXIT_FAIL : EXIT_OK;
	if (r.super != FSNVM_MEDIA_OK) {
		char msg[256];

		if (json)
			check_json(argv[i], &r, &rep);
		fsnvm_super_problem_str(&r.pick.primary, msg, sizeof(msg));
		fail("%s: %s", argv[i], msg);
	} else if (check_recovery(&d, &r, bad, &rep)) {
		ret = EXIT_FAIL;
	} else if (json) {
		check_json(argv[i], &r, &rep);
	} else {
		check_text(argv[i], &r, &rep);
	}
	vp_report_free(&r);
	dev_close(&d);
	free(bad);
	return ret;
}
