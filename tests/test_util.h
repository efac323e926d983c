/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the userspace tests of pmem-layout/: a PRNG, page
 * patterns that identify (key, version), a formatted in-memory image and a
 * CHECK macro that reports and fails.
 */
#ifndef FSNVM_TEST_UTIL_H
#define FSNVM_TEST_UTIL_H

#include "fsnvm_internal.h"
#include "fsnvm_mkfs.h"

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, \
				__LINE__, #cond);                            \
			fprintf(stderr, __VA_ARGS__);                        \
			fprintf(stderr, "\n");                               \
			exit(1);                                             \
		}                                                            \
	} while (0)

static inline u64 splitmix64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * The content of version `version` of key `key`: one page in eight is
 * same-filled (exercising the entry-only path), the rest are distinct.
 */
static inline void fill_page(void *page, u64 key, u64 version)
{
	u64 s = key * 0x100000001b3ULL ^ version * 0xcbf29ce484222325ULL;
	u64 *w = page;
	u64 first = splitmix64(&s);

	if ((first & 7) == 0) {
		for (int i = 0; i < FSNVM_PAGE_SIZE / 8; i++)
			w[i] = first;
		return;
	}
	w[0] = first;
	for (int i = 1; i < FSNVM_PAGE_SIZE / 8; i++)
		w[i] = splitmix64(&s);
}

/* A zeroed, page-aligned buffer formatted for `bytes`. */
static inline void *make_image(u64 bytes, u64 compat)
{
	struct fsnvm_geometry geo;
	u8 uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	void *img = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);

	CHECK(img, "out of memory");
	memset(img, 0, bytes);
	CHECK(fsnvm_geometry_for_size(bytes, &geo) == FSNVM_MEDIA_OK, "geometry");
	geo.compat = compat;
	fsnvm_format(img, &geo, uuid, 0, NULL, NULL);
	return img;
}

/* Open an engine on an image and recover it in mode; fail the test otherwise. */
static inline struct fsnvm_engine *open_recovered(void *img, u64 bytes,
						  enum fsnvm_recover_mode mode,
						  struct fsnvm_recovery *rep)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *e = fsnvm_engine_open(img, bytes, &st);

	CHECK(e, "open: %s", fsnvm_media_str(st));
	CHECK(fsnvm_recover(e, mode, rep) == 0, "recover");
	return e;
}

/* Open and attach an engine on an image; fail the test otherwise. */
static inline struct fsnvm_engine *attach(void *img, u64 bytes)
{
	struct fsnvm_recovery rep;

	return open_recovered(img, bytes, FSNVM_RECOVER_ATTACH, &rep);
}

#endif /* FSNVM_TEST_UTIL_H */
