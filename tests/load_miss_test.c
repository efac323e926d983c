// SPDX-License-Identifier: GPL-2.0
/*
 * A lockless load whose lookup misses a key that is pending in a writer's
 * ring, while another CPU publishes that ring (fsnvm_writer.c): made to
 * happen every run by publishing from the load's race point, right after
 * its lookup.  The load then finds nothing pending; it must look again
 * and return the page, not -ENOENT (in the kernel, frontswap would read
 * the never-written disk slot instead).
 */
#include "test_util.h"

static struct fsnvm_engine *e;
static int armed;

/* The rest of the persistence primitives: tests/persist_memcpy.c. */

void fsnvm_race_point(int where)
{
	if (where == FSNVM_RACE_LOAD_MISSED && armed) {
		armed = 0;
		fsnvm_publish_stores(e);	/* as another CPU's lock hold */
	}
}

int main(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	static u8 page[FSNVM_PAGE_SIZE], got[FSNVM_PAGE_SIZE];
	struct fsnvm_stats s;
	int ret;

	e = attach(img, bytes);
	fill_page(page, 5, 1);
	page[0] |= 1;	/* a data page: stored lockless, left pending */
	CHECK(fsnvm_store(e, 0, 5, page) == 0, "store");
	armed = 1;
	ret = fsnvm_load(e, 0, 5, got);
	CHECK(!armed, "the race point was not reached");
	CHECK(ret == 0, "load of a stored key returned %d", ret);
	CHECK(!memcmp(got, page, sizeof(got)), "load returned the wrong page");
	fsnvm_get_stats(e, &s);
	CHECK(s.loads == 1 && !s.failed_loads, "%llu loads, %llu failed",
	      (unsigned long long)s.loads,
	      (unsigned long long)s.failed_loads);
	printf("load miss: the key was published between the load's lookup and its pending check; the load looked again and returned the page\n");
	fsnvm_engine_close(e);
	free(img);
	return 0;
}
