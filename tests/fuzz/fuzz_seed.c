// SPDX-License-Identifier: GPL-2.0
/*
 * Seeds for the fuzz targets, made from a real image (tests/fuzz/run.sh
 * fills and damages them with fill_image):
 *
 *   fuzz_seed super IMG OUT
 *	the image's superblock as fuzz_super.c reads it, crc as found, on
 *	an image of the same size (formats of 1 MiB + up to 7 pages) or on
 *	a device of the size the superblock names
 *   fuzz_seed image IMG OUT [HEX]
 *	the image as fuzz_image.h describes it: implicit free entries of
 *	the least wear found, and a record for each entry that differs
 *	(at most MAX_REC, the first ones); HEX, the target's own bytes,
 *	follows (fuzz_recover.c's operations, fuzz_tool.c's --top)
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsnvm_internal.h"
#include "fsnvm_mkfs.h"

#define MAX_REC 30	/* what fits in run.sh's -max_len=2048 */

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void put(FILE *f, u64 v, unsigned int n)
{
	while (n--) {
		fputc((int)(v & 0xff), f);
		v >>= 8;
	}
}

static int seed_super(const u8 *img, u64 bytes, FILE *out)
{
	bool small = bytes >= FSNVM_MIN_DEVICE_BYTES &&
		     bytes < FSNVM_MIN_DEVICE_BYTES + 8 * FSNVM_PAGE_SIZE &&
		     bytes % FSNVM_PAGE_SIZE == 0;

	/* keep the crc; on the image itself, or on the size it names */
	fputc(small ? 1 | 3 << 1 : 1 | 1 << 1, out);
	put(out, small ? (bytes - FSNVM_MIN_DEVICE_BYTES) / FSNVM_PAGE_SIZE :
	    bytes, 8);
	fwrite(img, 1, sizeof(struct fsnvm_super), out);
	return 0;
}

static int seed_image(const u8 *img, u64 bytes, FILE *out, const char *hex)
{
	struct fsnvm_geometry geo;
	u64 f, base = ~0ULL, nrec = 0;
	u8 flags;

	if (fsnvm_super_check((const void *)img, bytes, &geo) != FSNVM_MEDIA_OK ||
	    bytes >= FSNVM_MIN_DEVICE_BYTES + 8 * FSNVM_PAGE_SIZE) {
		fprintf(stderr, "fuzz_seed: not a formatted image of 1 MiB + 0..7 pages\n");
		return 1;
	}
	for (f = 0; f < geo.nr_frames; f++) {
		u64 w = le64_to_cpu(fsnvm_entry_at((void *)img, &geo, f)->wear);

		if (w < base)
			base = w;
	}
	flags = (geo.compat & FSNVM_COMPAT_DATA_CRC ? 1 : 0) |
		(geo.compat & ~FSNVM_COMPAT_KNOWN ? 2 : 0);
	for (f = 0; f < geo.nr_frames; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at((void *)img, &geo, f);
		struct fsnvm_entry def = { .wear = cpu_to_le64(base) };

		fsnvm_entry_seal(&def);
		nrec += memcmp(ent, &def, sizeof(def)) != 0;
	}
	fputc(flags, out);
	fputc((int)((bytes - FSNVM_MIN_DEVICE_BYTES) / FSNVM_PAGE_SIZE), out);
	fputc((int)(nrec < MAX_REC ? nrec : MAX_REC), out);
	fputc(0, out);
	put(out, base > 0xffffffffULL ? 0 : base, 4);
	for (f = 0, nrec = 0; f < geo.nr_frames && nrec < MAX_REC; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at((void *)img, &geo, f);
		struct fsnvm_entry def = { .wear = cpu_to_le64(base) };
		u8 ctl = 0;

		fsnvm_entry_seal(&def);
		if (!memcmp(ent, &def, sizeof(def)))
			continue;
		if (!fsnvm_entry_crc_ok(ent))
			ctl |= 1;	/* torn: flip bit 0 of the crc */
		if (ent->key && le32_to_cpu(ent->data_crc) ==
		    crc32c(~0U, fsnvm_frame_at((void *)img, &geo, f),
			   FSNVM_PAGE_SIZE))
			ctl |= 2;	/* data crc right: right in the fuzz image */
		put(out, f, 2);
		fputc(ctl, out);
		fwrite(ent, 1, __builtin_offsetof(struct fsnvm_entry, crc), out);
		nrec++;
	}
	while (hex && hex[0] && hex[1]) {
		unsigned int b;

		if (sscanf(hex, "%2x", &b) != 1)
			break;
		fputc((int)b, out);
		hex += 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	FILE *out;
	u8 *img;
	int fd, ret;

	if (argc < 4) {
		fprintf(stderr, "usage: fuzz_seed super|image IMG OUT [HEX]\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die(argv[2]);
	img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img == MAP_FAILED)
		die("mmap");
	out = fopen(argv[3], "wb");
	if (!out)
		die(argv[3]);
	if (!strcmp(argv[1], "super"))
		ret = seed_super(img, (u64)st.st_size, out);
	else
		ret = seed_image(img, (u64)st.st_size, out,
				 argc > 4 ? argv[4] : NULL);
	if (fclose(out))
		die(argv[3]);
	return ret;
}
