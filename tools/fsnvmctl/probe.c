// SPDX-License-Identifier: GPL-2.0
/* Foreign signatures through libblkid (see probe.h). */
#include <blkid/blkid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"

static blkid_probe probe_new(int fd, int sb_flags)
{
	blkid_probe pr = blkid_new_probe();

	if (!pr)
		return NULL;
	if (blkid_probe_set_device(pr, fd, 0, 0) ||
	    blkid_probe_enable_superblocks(pr, 1) ||
	    blkid_probe_set_superblocks_flags(pr, sb_flags) ||
	    blkid_probe_enable_partitions(pr, 1) ||
	    blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC)) {
		blkid_free_probe(pr);
		errno = EIO;
		return NULL;
	}
	return pr;
}

int probe_foreign(int fd, char *what, size_t len)
{
	blkid_probe pr = probe_new(fd, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE);
	const char *type = NULL, *usage = NULL;
	int rc;

	if (!pr)
		return -1;
	rc = blkid_do_safeprobe(pr);
	if (rc == -2) {
		snprintf(what, len, "several conflicting signatures");
		rc = 1;
	} else if (rc == 0) {
		if (!blkid_probe_lookup_value(pr, "TYPE", &type, NULL)) {
			blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
			if (!strcmp(type, "swap"))
				snprintf(what, len, "a swap signature");
			else if (usage && !strcmp(usage, "filesystem"))
				snprintf(what, len, "a%s %s filesystem",
					 strchr("aeiou", type[0]) ? "n" : "", type);
			else
				snprintf(what, len, "a %s signature", type);
		} else if (!blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL)) {
			snprintf(what, len, "a %s partition table", type);
		} else {
			snprintf(what, len, "an unknown signature");
		}
		rc = 1;
	} else if (rc == 1) {
		rc = 0;
	} else {
		errno = errno ? errno : EIO;
		rc = -1;
	}
	blkid_free_probe(pr);
	return rc;
}

int probe_wipe(int fd)
{
	blkid_probe pr = probe_new(fd, BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_BADCSUM);
	int n = 0;

	if (!pr)
		return -1;
	/* blkid_do_wipe() steps back, so the next probe sees what is left. */
	while (blkid_do_probe(pr) == 0) {
		if (blkid_do_wipe(pr, 0)) {
			blkid_free_probe(pr);
			errno = errno ? errno : EIO;
			return -1;
		}
		if (++n > 64)	/* a signature that will not go away */
			break;
	}
	blkid_free_probe(pr);
	return n;
}
