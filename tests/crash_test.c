// SPDX-License-Identifier: GPL-2.0
/*
 * Crash-consistency test of the real engine code (DESIGN.md section 6).
 *
 * Short random sequences of stores, rewrites, invalidations, area drops and
 * balancer steps run on a fresh 1 MiB device through crash_shim.c.  At
 * every fence, crash states are built from the durable image plus subsets
 * of the lines written since the previous fence (all subsets when there
 * are at most 6, else none, all and 8 random ones), and on each state the
 * index is recovered (read-only) and checked:
 *  - the superblock is valid and no entry is torn;
 *  - every key not touched by the operation in flight holds exactly its
 *    last acknowledged data; the key in flight holds its acknowledged data,
 *    the in-flight data, or nothing (a migration: only the acknowledged
 *    data); never older or torn data.  One exception, by design
 *    (fsnvm_format.h): the key of the last store acknowledged may hold
 *    nothing until the next store's fence vouches for it in the commit
 *    record;
 *  - no key is named by two mapped frames;
 *  - no frame's wear is below its durable wear before the window.
 *
 * usage: crash_test [SEQUENCES] [SEED]
 * Prints: crash: N sequences, M crash states, V violations
 */
#include "crash_shim.h"
#include "test_util.h"

#define DEV_BYTES (1024 * 1024)
#define NKEYS 12		/* keys 0..5 in type 0, 6..11 in type 1 */
#define KEYS_PER_TYPE 6

enum op { OP_NONE, OP_STORE, OP_INVALIDATE, OP_AREA, OP_BALANCE };

static struct {
	u64 acked[NKEYS];	/* version, 0 = absent */
	enum op op;
	unsigned int key;	/* OP_STORE, OP_INVALIDATE */
	unsigned int type;	/* OP_AREA */
	u64 new_version;	/* OP_STORE */
	int unvouched;		/* key of the last store acknowledged, or -1 */
} model;

static u8 *crash_img;		/* durable image + the subset under test */
static u64 *last_window;
static unsigned int nr_last_window, max_last_window;
static u64 nr_states, nr_violations, rng;
/*
 * page: what the checks load into; src: what a store stores (the checks
 * run inside the store, at its fences, and must not change its page).
 */
static u8 page[FSNVM_PAGE_SIZE], want[FSNVM_PAGE_SIZE], src[FSNVM_PAGE_SIZE];

#define VIOLATION(...)                                                      \
	do {                                                                \
		if (nr_violations++ < 20) {                                 \
			fprintf(stderr, "violation: " __VA_ARGS__);         \
			fprintf(stderr, " (op %d key %u)\n", model.op, model.key); \
		}                                                           \
	} while (0)

static bool holds(struct fsnvm_engine *e, unsigned int k, u64 version)
{
	int ret = fsnvm_load(e, k / KEYS_PER_TYPE, k % KEYS_PER_TYPE, page);

	if (!version)
		return ret == -ENOENT;
	if (ret)
		return false;
	fill_page(want, k, version);
	return !memcmp(page, want, sizeof(page));
}

static void check_key(struct fsnvm_engine *e, unsigned int k)
{
	u64 acked = model.acked[k];
	bool in_flight = false, may_vanish = (int)k == model.unvouched;

	switch (model.op) {
	case OP_STORE:
		in_flight = k == model.key;
		may_vanish |= in_flight;
		break;
	case OP_INVALIDATE:
		may_vanish |= k == model.key;
		break;
	case OP_AREA:
		may_vanish |= k / KEYS_PER_TYPE == model.type;
		break;
	default:
		break;
	}
	if (holds(e, k, acked))
		return;
	if (in_flight && holds(e, k, model.new_version))
		return;
	if (may_vanish && holds(e, k, 0))
		return;
	VIOLATION("key %u: not its acknowledged v%llu%s", k,
		  (unsigned long long)acked, in_flight ? " nor the in-flight one" : "");
}

static void check_state(void)
{
	const u8 *dur = crash_durable();
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *e;
	u64 seen[NKEYS] = { 0 };

	nr_states++;
	e = fsnvm_engine_open(crash_img, DEV_BYTES, &st);
	if (!e) {
		VIOLATION("superblock: %s", fsnvm_media_str(st));
		return;
	}
	if (fsnvm_recover(e, FSNVM_RECOVER_INSPECT, &rep) || rep.torn ||
	    rep.unreadable)
		VIOLATION("recovery: %llu torn, %llu unreadable",
			  (unsigned long long)rep.torn,
			  (unsigned long long)rep.unreadable);
	for (unsigned int k = 0; k < NKEYS; k++)
		check_key(e, k);
	for (u64 f = 0; f < e->geo.nr_frames; f++) {
		const struct fsnvm_entry *now = fsnvm_entry_at(crash_img, &e->geo, f);
		const struct fsnvm_entry *before =
			fsnvm_entry_at((void *)dur, &e->geo, f);

		if (le64_to_cpu(now->wear) < le64_to_cpu(before->wear))
			VIOLATION("frame %llu wear went down", (unsigned long long)f);
		if ((e->state[f] & FSNVM_FS_STATE_MASK) == FSNVM_FS_USED) {
			u64 key = le64_to_cpu(now->key);
			unsigned int k = fsnvm_key_type(key) * KEYS_PER_TYPE +
					 (unsigned int)fsnvm_key_offset(key);

			if (k >= NKEYS || seen[k]++)
				VIOLATION("key %u mapped twice or unknown", k);
		}
	}
	fsnvm_engine_close(e);
}

static void apply_line(const struct crash_pending *p, const u8 *src)
{
	memcpy(crash_img + p->line * CRASH_LINE, src, CRASH_LINE);
}

/* At a fence: every (or a sample of every) subset of the pending lines. */
static void crash_hook(void *ctx)
{
	const u8 *dur = crash_durable();
	const struct crash_pending *p;
	unsigned int n, subsets, s, i;

	(void)ctx;
	for (i = 0; i < nr_last_window; i++)
		memcpy(crash_img + last_window[i] * CRASH_LINE,
		       dur + last_window[i] * CRASH_LINE, CRASH_LINE);
	p = crash_pending(&n);
	/* Above 6 lines: none, all, 8 random subsets, 4 times all but one. */
	subsets = n <= 6 ? 1U << n : 14;
	for (s = 0; s < subsets; s++) {
		u64 pick = splitmix64(&rng);

		for (i = 0; i < n; i++) {
			bool take = n <= 6 ? (s >> i) & 1 :
				    s == 0 ? false : s == 1 ? true :
				    s < 10 ? (splitmix64(&pick) & 1) :
				    i != pick % n;

			if (take)
				apply_line(&p[i], p[i].data);
		}
		check_state();
		for (i = 0; i < n; i++)
			apply_line(&p[i], dur + p[i].line * CRASH_LINE);
	}
	if (n > max_last_window) {
		max_last_window = n;
		last_window = realloc(last_window, n * sizeof(*last_window));
		CHECK(last_window, "oom");
	}
	for (i = 0; i < n; i++)
		last_window[i] = p[i].line;
	nr_last_window = n;
}

static void run_sequence(u64 *version_counter)
{
	struct fsnvm_balance_params bp = { .threshold = 0, .budget = 2, .scan = 64 };
	void *img = make_image(DEV_BYTES, 0);
	struct fsnvm_engine *e = attach(img, DEV_BYTES);
	unsigned int ops = 6 + splitmix64(&rng) % 10;

	memset(&model, 0, sizeof(model));
	model.unvouched = -1;
	crash_attach(img, DEV_BYTES);
	memcpy(crash_img, img, DEV_BYTES);
	nr_last_window = 0;
	crash_set_hook(crash_hook, NULL);
	for (unsigned int i = 0; i < ops; i++) {
		u64 r = splitmix64(&rng);
		unsigned int k = (r >> 8) % NKEYS, pick = r % 100;

		if (pick < 55) {
			model.op = OP_STORE;
			model.key = k;
			model.new_version = ++*version_counter;
			fill_page(src, k, model.new_version);
			CHECK(fsnvm_store(e, k / KEYS_PER_TYPE, k % KEYS_PER_TYPE,
					  src) == 0, "store");
			model.acked[k] = model.new_version;
			model.unvouched = (int)k;
		} else if (pick < 80) {
			model.op = OP_INVALIDATE;
			model.key = k;
			fsnvm_invalidate_page(e, k / KEYS_PER_TYPE, k % KEYS_PER_TYPE);
			model.acked[k] = 0;
		} else if (pick < 85) {
			model.op = OP_AREA;
			model.type = k / KEYS_PER_TYPE;
			fsnvm_invalidate_area(e, model.type);
			for (unsigned int j = 0; j < KEYS_PER_TYPE; j++)
				model.acked[model.type * KEYS_PER_TYPE + j] = 0;
		} else {
			model.op = OP_BALANCE;
			fsnvm_balance_step(e, &bp);
		}
		model.op = OP_NONE;
	}
	crash_set_hook(NULL, NULL);
	crash_detach();
	fsnvm_engine_close(e);
	free(img);
}

int main(int argc, char **argv)
{
	u64 sequences = argc > 1 ? strtoull(argv[1], NULL, 0) : 10000;
	u64 version_counter = 0;

	rng = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	crash_img = aligned_alloc(4096, DEV_BYTES);
	CHECK(crash_img, "oom");
	for (u64 i = 0; i < sequences; i++)
		run_sequence(&version_counter);
	printf("crash: %llu sequences, %llu crash states, %llu violations\n",
	       (unsigned long long)sequences, (unsigned long long)nr_states,
	       (unsigned long long)nr_violations);
	free(crash_img);
	free(last_window);
	return nr_violations ? 1 : 0;
}
