// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvmctl format DEV: write a fresh superblock and an empty index with
 * the shared fsnvm_format() (index first, then the backup superblock,
 * then the primary).
 *
 * Refusals, each leaving the device untouched:
 *  - the device the backend is bound to (always; unbind it first);
 *  - too small or too large for the format;
 *  - a filesystem, swap, RAID/LVM or partition-table signature (libblkid),
 *    unless --force, which also wipes those signatures;
 *  - a frontswap-nvm format with wear on it, unless --force (wear is lost)
 *    or --keep-wear (each frame keeps its wear);
 *  - a frontswap-nvm superblock that cannot be read (newer version, bad
 *    crc, other geometry), unless --force.
 * --keep-wear needs a readable format of the same geometry (either
 * superblock copy: the backup stands in for a damaged primary).  Wear of
 * a torn or implausible entry (fsnvm_entry_untrusted(), the rule recovery
 * and `fsnvmctl check` and `wear` apply) is unknown: it gets the highest
 * wear of the trusted entries, so wear never goes down (oldwear.c).
 * fsnvm_format() orders its writes so that a crash at any point leaves
 * the old format or the new one, each with every frame's wear: format
 * --keep-wear again after a crash.
 *
 * Exit status: 0 once the device is formatted, even if the report cannot
 * be written (a full stdout): the status says what happened to the device.
 */
#include <fcntl.h>
#include <stdio_ext.h>
#include <sys/random.h>
#include <time.h>

#include "fsnvm_mkfs.h"
#include "media.h"
#include "oldwear.h"
#include "fsnvmctl.h"
#include "options.h"
#include "output.h"
#include "probe.h"

static int new_uuid(u8 uuid[16])
{
	if (getrandom(uuid, 16, 0) != 16)
		return -1;
	uuid[6] = (uuid[6] & 0x0f) | 0x40;	/* RFC 4122 version 4 */
	uuid[8] = (uuid[8] & 0x3f) | 0x80;
	return 0;
}

struct format_opts {
	bool force, keep_wear, data_crc;
};

/*
 * Everything that may refuse, before anything is written.  Returns 0 to go
 * on (ow filled when an old format was read), or the exit status.
 */
static int format_precheck(struct dev *d, const struct format_opts *o,
			   struct fsnvm_geometry *geo, struct old_wear *ow)
{
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry old;
	enum fsnvm_media_status st;
	struct fsnvm_super sb;
	char what[128], why[192];
	int r;

	memset(ow, 0, sizeof(*ow));
	if (dev_is_bound(d->path, d->rdev))
		return fail("%s: in use by the frontswap-nvm backend; unbind it first",
			    d->path);
	st = fsnvm_geometry_for_size(d->bytes, geo);
	if (st != FSNVM_MEDIA_OK)
		return fail("%s: %s", d->path, fsnvm_media_str(st));
	geo->compat = o->data_crc ? FSNVM_COMPAT_DATA_CRC : 0;

	st = dev_super_pick(d, &sb, &old, &pick);
	fsnvm_super_problem_str(&pick.primary, why, sizeof(why));
	if (st == FSNVM_MEDIA_OK) {
		if (old_wear_read(d->base, &old, o->keep_wear, ow))
			return fail("%s: out of memory", d->path);
		if (ow->sum && !o->force && !o->keep_wear)
			return fail("%s: holds a frontswap-nvm format with wear on it (max %llu writes per frame); --keep-wear keeps it, --force discards it",
				    d->path, (unsigned long long)ow->max);
	} else if (st != FSNVM_MEDIA_BAD_MAGIC) {
		if (o->keep_wear)
			return fail("%s: cannot keep wear: %s", d->path, why);
		if (!o->force)
			return fail("%s: holds a frontswap-nvm superblock that cannot be used (%s); --force overwrites it",
				    d->path, why);
	} else if (o->keep_wear) {
		return fail("%s: cannot keep wear: %s", d->path, why);
	}

	if (d->kind == DEV_DAX)
		return 0;	/* no read(): nothing else can live on devdax */
	r = probe_foreign(d->fd, what, sizeof(what));
	if (r < 0)
		return fail("%s: probing for signatures: %s", d->path, strerror(errno));
	if (r > 0 && !o->force)
		return fail("%s: contains %s; --force overwrites it", d->path, what);
	return 0;
}

int cmd_format(int argc, char **argv)
{
	struct format_opts o = { 0 };
	u64 page_size = FSNVM_PAGE_SIZE;
	const struct opt opts[] = {
		OPT_BOOLEAN('f', "force", &o.force,
			    "overwrite a foreign signature or a format with wear"),
		OPT_BOOLEAN('k', "keep-wear", &o.keep_wear,
			    "re-format carrying every frame's wear over"),
		OPT_BOOLEAN(0, "data-crc", &o.data_crc,
			    "checksum page data (verified on every load)"),
		OPT_U64(0, "page-size", &page_size, "BYTES",
			"frame size; only 4096 is supported"),
		OPT_END(),
	};
	const struct cmd_usage u = {
		"format", "DEV [--force] [--keep-wear] [--data-crc] [--page-size 4096]",
		"Write a fresh frontswap-nvm superblock and empty index on DEV.",
		opts,
	};
	struct fsnvm_geometry geo, check;
	struct old_wear ow;
	char b[32], uuid_str[37];
	u8 uuid[16];
	struct dev d;
	int i = parse_args(argc, argv, &u, 1, 1), ret, wiped = 0;

	if (i < 0)
		return parse_exit(i);
	if (page_size != FSNVM_PAGE_SIZE)
		return parse_exit(usage_error(&u, "--page-size %llu: only %d is supported",
					      (unsigned long long)page_size,
					      FSNVM_PAGE_SIZE));
	if (new_uuid(uuid))
		return fail_errno("getrandom");
	if (dev_open(&d, argv[i], true))
		return fail("%s: %s", argv[i], d.err);
	ret = format_precheck(&d, &o, &geo, &ow);
	if (ret)
		goto out;

	/*
	 * A sparse image on a full filesystem would SIGBUS in the middle of
	 * the format: allocate what is written first (contents unchanged).
	 */
	if (d.kind == DEV_FILE) {
		int e = posix_fallocate(d.fd, 0, geo.data_offset);

		if (e && e != EOPNOTSUPP && e != EINVAL) {
			ret = fail("%s: allocating the index: %s", d.path, strerror(e));
			goto out;
		}
	}

	/* From here on the device is written. */
	if (o.force && d.kind != DEV_DAX) {
		wiped = probe_wipe(d.fd);
		if (wiped < 0) {
			ret = fail("%s: wiping signatures: %s", d.path, strerror(errno));
			goto out;
		}
	}
	fsnvm_format(d.base, &geo, uuid, (u64)time(NULL),
		     o.keep_wear ? old_wear_of : NULL, &ow);
	if (dev_persist(&d)) {
		ret = fail("%s: writing back: %s", d.path, strerror(errno));
		goto out;
	}
	if (dev_super(&d, &check) != FSNVM_MEDIA_OK) {
		ret = fail("%s: the new superblock does not read back", d.path);
		goto out;
	}

	fmt_uuid(uuid, uuid_str);
	printf("%s: formatted for frontswap-nvm: %llu frames of %u bytes (%s), uuid %s%s\n",
	       d.path, (unsigned long long)geo.nr_frames, geo.page_size,
	       fmt_bytes(geo.nr_frames * geo.page_size, b, sizeof(b)), uuid_str,
	       o.data_crc ? ", data crc on" : "");
	if (wiped > 0)
		printf("%s: wiped %d foreign signature%s\n", d.path, wiped,
		       wiped == 1 ? "" : "s");
	if (o.keep_wear)
		printf("%s: wear kept: max %llu, total %llu writes%s\n", d.path,
		       (unsigned long long)ow.max, (unsigned long long)ow.sum,
		       ow.torn ? " (torn entries given the max)" : "");
	else if (ow.sum)
		printf("%s: discarded wear: max %llu, total %llu writes\n", d.path,
		       (unsigned long long)ow.max, (unsigned long long)ow.sum);
	/*
	 * The device is formatted: exit 0 whatever became of the report.  A
	 * script that saw 1 would think the device untouched, and retrying
	 * with --force would throw away the wear just kept.  The lost report
	 * is said on stderr and dropped so main() does not fail on it.
	 */
	if (fflush(stdout) || ferror(stdout)) {
		warn("%s: formatted, but the report could not be written to standard output: %s",
		     d.path, errno ? strerror(errno) : "I/O error");
		__fpurge(stdout);
		clearerr(stdout);
	}
out:
	free(ow.wear);
	dev_close(&d);
	return ret;
}
