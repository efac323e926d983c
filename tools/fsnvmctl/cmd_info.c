// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvmctl info DEV [--json] [--force]: the superblock and the geometry,
 * read with either copy (the backup when the primary is damaged).
 * --force dumps both copies field by field even when damaged, naming the
 * field at fault, like dumpe2fs -f.
 */
#include "media.h"
#include "fsnvmctl.h"
#include "options.h"
#include "output.h"

static void info_json(const struct dev *d, const struct fsnvm_super *sb,
		      const struct fsnvm_geometry *geo,
		      const struct fsnvm_super_pick *pick)
{
	struct json_object *o = json_object_new_object();
	struct json_object *feat = json_object_new_array();
	char uuid[37];

	fmt_uuid(sb->uuid, uuid);
	jadd_str(o, "device", d->path);
	jadd_str(o, "kind", dev_kind_str(d->kind));
	jadd_u64(o, "device_bytes", geo->device_bytes);
	jadd_u64(o, "version", le32_to_cpu(sb->version));
	jadd_str(o, "uuid", uuid);
	jadd_u64(o, "format_time", le64_to_cpu(sb->format_time));
	jadd_u64(o, "page_size", geo->page_size);
	jadd_u64(o, "entry_bytes", le32_to_cpu(sb->entry_bytes));
	jadd_u64(o, "nr_frames", geo->nr_frames);
	jadd_u64(o, "index_offset", geo->index_offset);
	jadd_u64(o, "index_bytes", geo->data_offset - geo->index_offset);
	jadd_u64(o, "data_offset", geo->data_offset);
	jadd_u64(o, "data_bytes", geo->nr_frames * geo->page_size);
	jadd_u64(o, "compat", le64_to_cpu(sb->compat));
	jadd_u64(o, "incompat", le64_to_cpu(sb->incompat));
	jadd_u64(o, "ro_compat", le64_to_cpu(sb->ro_compat));
	jadd_u64(o, "stale_below", fsnvm_super_stale_below(sb));
	if (geo->compat & FSNVM_COMPAT_DATA_CRC)
		json_object_array_add(feat, json_object_new_string("data_crc"));
	if (geo->compat & FSNVM_COMPAT_BACKUP_SB)
		json_object_array_add(feat, json_object_new_string("backup_sb"));
	if (le64_to_cpu(sb->incompat) & FSNVM_INCOMPAT_STALE_BELOW)
		json_object_array_add(feat, json_object_new_string("stale_below"));
	json_object_object_add(o, "features", feat);
	jadd_u64(o, "crc", le32_to_cpu(sb->crc));
	jadd_str(o, "superblock_copy",
		 pick->used == FSNVM_SB_BACKUP ? "backup" : "primary");
	jadd_bool(o, "bound", dev_is_bound(d->path, d->rdev));
	json_emit(o);
}

static void info_text(const struct dev *d, const struct fsnvm_super *sb,
		      const struct fsnvm_geometry *geo,
		      const struct fsnvm_super_pick *pick)
{
	char b1[32], b2[32], b3[32], when[40], uuid[37], why[192];
	u64 index_bytes = geo->data_offset - geo->index_offset;

	fmt_uuid(sb->uuid, uuid);
	printf("device:        %s (%s%s)\n", d->path, dev_kind_str(d->kind),
	       dev_is_bound(d->path, d->rdev) ? ", bound to the backend" : "");
	printf("size:          %llu bytes (%s)\n",
	       (unsigned long long)geo->device_bytes,
	       fmt_bytes(geo->device_bytes, b1, sizeof(b1)));
	printf("format:        frontswap-nvm version %u\n", le32_to_cpu(sb->version));
	printf("uuid:          %s\n", uuid);
	printf("formatted:     %s\n",
	       fmt_time(le64_to_cpu(sb->format_time), when, sizeof(when)));
	printf("frames:        %llu of %u bytes (%s of swap)\n",
	       (unsigned long long)geo->nr_frames, geo->page_size,
	       fmt_bytes(geo->nr_frames * geo->page_size, b2, sizeof(b2)));
	printf("index:         at %llu, %u-byte entries, %s\n",
	       (unsigned long long)geo->index_offset, le32_to_cpu(sb->entry_bytes),
	       fmt_bytes(index_bytes, b3, sizeof(b3)));
	printf("data:          at %llu\n", (unsigned long long)geo->data_offset);
	printf("features:      compat 0x%llx%s%s, incompat 0x%llx, ro_compat 0x%llx\n",
	       (unsigned long long)le64_to_cpu(sb->compat),
	       geo->compat & FSNVM_COMPAT_DATA_CRC ? " (data_crc)" : "",
	       geo->compat & FSNVM_COMPAT_BACKUP_SB ? " (backup_sb)" : "",
	       (unsigned long long)le64_to_cpu(sb->incompat),
	       (unsigned long long)le64_to_cpu(sb->ro_compat));
	if (fsnvm_super_stale_below(sb))
		printf("released:      entries below seq %llu (the last attach's)\n",
		       (unsigned long long)fsnvm_super_stale_below(sb));
	if (pick->used == FSNVM_SB_BACKUP) {
		fsnvm_super_problem_str(&pick->primary, why, sizeof(why));
		printf("superblock:    crc 0x%08x, read from the backup at %u; primary damaged: %s\n",
		       le32_to_cpu(sb->crc), FSNVM_SUPER_BACKUP, why);
	} else {
		printf("superblock:    crc 0x%08x, ok\n", le32_to_cpu(sb->crc));
		if (!(geo->compat & FSNVM_COMPAT_BACKUP_SB))
			printf("backup:        none (formatted before backups)\n");
		else if (pick->backup_differs)
			printf("backup:        at %u, stale (differs from the primary)\n",
			       FSNVM_SUPER_BACKUP);
		else if (pick->backup.status != FSNVM_MEDIA_OK) {
			fsnvm_super_problem_str(&pick->backup, why, sizeof(why));
			printf("backup:        at %u, damaged: %s\n",
			       FSNVM_SUPER_BACKUP, why);
		} else {
			printf("backup:        at %u, ok\n", FSNVM_SUPER_BACKUP);
		}
	}
}

/* One copy, field by field, the field at fault marked. */
static void dump_copy(const char *name, u64 off, const struct dev *d,
		      const struct fsnvm_super_problem *p)
{
	const struct fsnvm_super *sb = (const void *)((const u8 *)d->base + off);
	char why[192], uuid[37], when[40];
	const char *bad = p->status == FSNVM_MEDIA_OK ? NULL :
			  p->field ? p->field : "";

#define FIELD(f, fmt, v)                                                    \
	printf("  %-14s " fmt "%s%s\n", f, v,                               \
	       bad && !strcmp(bad, f) ? "   <- " : "",                      \
	       bad && !strcmp(bad, f) ? why : "")
	fsnvm_super_problem_str(p, why, sizeof(why));
	printf("%s superblock at %llu: %s\n", name, (unsigned long long)off,
	       p->status == FSNVM_MEDIA_OK ? "ok" : why);
	if (d->bytes < off + sizeof(*sb) || p->status == FSNVM_MEDIA_IO_ERROR)
		return;
	fmt_uuid(sb->uuid, uuid);
	FIELD("magic", "0x%016llx", (unsigned long long)le64_to_cpu(sb->magic));
	FIELD("version", "%u", le32_to_cpu(sb->version));
	FIELD("sb_bytes", "%u", le32_to_cpu(sb->sb_bytes));
	FIELD("compat", "0x%llx", (unsigned long long)le64_to_cpu(sb->compat));
	FIELD("incompat", "0x%llx", (unsigned long long)le64_to_cpu(sb->incompat));
	FIELD("ro_compat", "0x%llx", (unsigned long long)le64_to_cpu(sb->ro_compat));
	FIELD("uuid", "%s", uuid);
	FIELD("page_size", "%u", le32_to_cpu(sb->page_size));
	FIELD("entry_bytes", "%u", le32_to_cpu(sb->entry_bytes));
	FIELD("device_bytes", "%llu", (unsigned long long)le64_to_cpu(sb->device_bytes));
	FIELD("nr_frames", "%llu", (unsigned long long)le64_to_cpu(sb->nr_frames));
	FIELD("index_offset", "%llu", (unsigned long long)le64_to_cpu(sb->index_offset));
	FIELD("data_offset", "%llu", (unsigned long long)le64_to_cpu(sb->data_offset));
	printf("  %-14s %llu (%s)\n", "format_time",
	       (unsigned long long)le64_to_cpu(sb->format_time),
	       fmt_time(le64_to_cpu(sb->format_time), when, sizeof(when)));
	FIELD("stale_below", "%llu", (unsigned long long)le64_to_cpu(sb->stale_below));
	FIELD("crc", "0x%08x", le32_to_cpu(sb->crc));
#undef FIELD
}

static struct json_object *copy_json(u64 off, const struct dev *d,
				     const struct fsnvm_super_problem *p)
{
	const struct fsnvm_super *sb = (const void *)((const u8 *)d->base + off);
	struct json_object *o = json_object_new_object();
	char why[192], uuid[37];

	fsnvm_super_problem_str(p, why, sizeof(why));
	jadd_u64(o, "offset", off);
	jadd_str(o, "status", media_code(p->status));
	jadd_str(o, "message", p->status == FSNVM_MEDIA_OK ? "ok" : why);
	jadd_str(o, "field", p->status == FSNVM_MEDIA_OK ? NULL : p->field);
	if (d->bytes < off + sizeof(*sb) || p->status == FSNVM_MEDIA_IO_ERROR)
		return o;
	fmt_uuid(sb->uuid, uuid);
	jadd_u64(o, "magic", le64_to_cpu(sb->magic));
	jadd_u64(o, "version", le32_to_cpu(sb->version));
	jadd_u64(o, "sb_bytes", le32_to_cpu(sb->sb_bytes));
	jadd_u64(o, "compat", le64_to_cpu(sb->compat));
	jadd_u64(o, "incompat", le64_to_cpu(sb->incompat));
	jadd_u64(o, "ro_compat", le64_to_cpu(sb->ro_compat));
	jadd_str(o, "uuid", uuid);
	jadd_u64(o, "page_size", le32_to_cpu(sb->page_size));
	jadd_u64(o, "entry_bytes", le32_to_cpu(sb->entry_bytes));
	jadd_u64(o, "device_bytes", le64_to_cpu(sb->device_bytes));
	jadd_u64(o, "nr_frames", le64_to_cpu(sb->nr_frames));
	jadd_u64(o, "index_offset", le64_to_cpu(sb->index_offset));
	jadd_u64(o, "data_offset", le64_to_cpu(sb->data_offset));
	jadd_u64(o, "format_time", le64_to_cpu(sb->format_time));
	jadd_u64(o, "stale_below", le64_to_cpu(sb->stale_below));
	jadd_u64(o, "crc", le32_to_cpu(sb->crc));
	jadd_u64(o, "computed_crc", fsnvm_super_crc(sb));
	return o;
}

/*
 * The fields in which the two copies differ: with a crc mismatch in one,
 * where the damage most likely is.
 */
static void dump_differences(const struct dev *d)
{
	static const struct { const char *name; size_t off, len; } f[] = {
#define F(x) { #x, offsetof(struct fsnvm_super, x), \
	       sizeof(((struct fsnvm_super *)0)->x) }
		F(magic), F(version), F(sb_bytes), F(compat), F(incompat),
		F(ro_compat), F(uuid), F(page_size), F(entry_bytes),
		F(device_bytes), F(nr_frames), F(index_offset), F(data_offset),
		F(format_time), F(reserved), F(stale_below), F(reserved2),
		F(crc),
#undef F
	};
	const u8 *a = d->base, *b = a + FSNVM_SUPER_BACKUP;
	unsigned int i, n = 0;

	if (d->bytes < FSNVM_SUPER_BACKUP + sizeof(struct fsnvm_super))
		return;
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		if (!memcmp(a + f[i].off, b + f[i].off, f[i].len))
			continue;
		printf("%s%s", n++ ? ", " : "copies differ: ", f[i].name);
	}
	if (n)
		printf("\n");
}

/* --force: both copies as they are; exit 1 when neither is usable. */
static int info_force(const struct dev *d, bool json,
		      const struct fsnvm_super_pick *pick,
		      enum fsnvm_media_status st)
{
	if (json) {
		struct json_object *o = json_object_new_object();

		jadd_str(o, "device", d->path);
		jadd_u64(o, "device_bytes", d->bytes);
		jadd_str(o, "superblock", media_code(st));
		jadd_str(o, "superblock_copy",
			 pick->used == FSNVM_SB_PRIMARY ? "primary" :
			 pick->used == FSNVM_SB_BACKUP ? "backup" : NULL);
		json_object_object_add(o, "primary", copy_json(0, d, &pick->primary));
		json_object_object_add(o, "backup",
				       copy_json(FSNVM_SUPER_BACKUP, d, &pick->backup));
		json_emit(o);
	} else {
		printf("device:        %s (%s), %llu bytes\n", d->path,
		       dev_kind_str(d->kind), (unsigned long long)d->bytes);
		dump_copy("primary", 0, d, &pick->primary);
		dump_copy("backup", FSNVM_SUPER_BACKUP, d, &pick->backup);
		dump_differences(d);
		printf("in use:        %s\n",
		       pick->used == FSNVM_SB_PRIMARY ? "the primary" :
		       pick->used == FSNVM_SB_BACKUP ? "the backup" :
		       "neither: the device cannot be used");
	}
	return st == FSNVM_MEDIA_OK ? EXIT_OK : EXIT_FAIL;
}

int cmd_info(int argc, char **argv)
{
	bool json = false, force = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON (raw numbers)"),
		OPT_BOOLEAN('f', "force", &force,
			    "dump both superblock copies field by field, even damaged"),
		OPT_END(),
	};
	const struct cmd_usage u = {
		"info", "DEV [--json] [--force]",
		"Show the superblock and the geometry of a formatted device.", opts,
	};
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;
	enum fsnvm_media_status st;
	struct fsnvm_super sb;
	char why[192];
	struct dev d;
	int i = parse_args(argc, argv, &u, 1, 1), ret = EXIT_OK;

	if (i < 0)
		return parse_exit(i);
	if (dev_open(&d, argv[i], false))
		return fail("%s: %s", argv[i], d.err);
	st = dev_super_pick(&d, &sb, &geo, &pick);
	if (force) {
		ret = info_force(&d, json, &pick, st);
	} else if (st != FSNVM_MEDIA_OK) {
		fsnvm_super_problem_str(&pick.primary, why, sizeof(why));
		ret = fail("%s: %s%s", argv[i], why,
			   st == FSNVM_MEDIA_BAD_MAGIC || st == FSNVM_MEDIA_TOO_SMALL ?
			   "" : " (info --force shows it field by field)");
	} else if (json) {
		info_json(&d, &sb, &geo, &pick);
	} else {
		info_text(&d, &sb, &geo, &pick);
	}
	dev_close(&d);
	return ret;
}
