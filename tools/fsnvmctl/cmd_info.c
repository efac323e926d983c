// SPDX-License-Identifier: GPL-2.0
/* fsnvmctl info DEV [--json]: the superblock and the geometry. */
#include "media.h"
#include "fsnvmctl.h"
#include "options.h"
#include "output.h"

static void info_json(const struct dev *d, const struct fsnvm_super *sb,
		      const struct fsnvm_geometry *geo)
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
	if (geo->compat & FSNVM_COMPAT_DATA_CRC)
		json_object_array_add(feat, json_object_new_string("data_crc"));
	json_object_object_add(o, "features", feat);
	jadd_u64(o, "crc", le32_to_cpu(sb->crc));
	jadd_bool(o, "bound", dev_is_bound(d->path, d->rdev));
	json_emit(o);
}

static void info_text(const struct dev *d, const struct fsnvm_super *sb,
		      const struct fsnvm_geometry *geo)
{
	char b1[32], b2[32], b3[32], when[40], uuid[37];
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
	printf("features:      compat 0x%llx%s, incompat 0x%llx, ro_compat 0x%llx\n",
	       (unsigned long long)le64_to_cpu(sb->compat),
	       geo->compat & FSNVM_COMPAT_DATA_CRC ? " (data_crc)" : "",
	       (unsigned long long)le64_to_cpu(sb->incompat),
	       (unsigned long long)le64_to_cpu(sb->ro_compat));
	printf("superblock:    crc 0x%08x, ok\n", le32_to_cpu(sb->crc));
}

int cmd_info(int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON (raw numbers)"),
		OPT_END(),
	};
	const struct cmd_usage u = {
		"info", "DEV [--json]",
		"Show the superblock and the geometry of a formatted device.", opts,
	};
	struct fsnvm_geometry geo;
	enum fsnvm_media_status st;
	struct dev d;
	int i = parse_args(argc, argv, &u, 1, 1);

	if (i < 0)
		return parse_exit(i);
	if (dev_open(&d, argv[i], false))
		return fail("%s: %s", argv[i], d.err);
	st = dev_super(&d, &geo);
	if (st != FSNVM_MEDIA_OK) {
		dev_close(&d);
		return fail("%s: %s", argv[i], fsnvm_media_str(st));
	}
	if (json)
		info_json(&d, d.base, &geo);
	else
		info_text(&d, d.base, &geo);
	dev_close(&d);
	return EXIT_OK;
}
