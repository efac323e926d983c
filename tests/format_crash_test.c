// SPDX-License-Identifier: GPL-2.0
/*
 * Crash test of the format (fsnvm_format(), fsnvm_format.h gives the
 * order) through crash_shim.c.  A 1 MiB device is re-formatted with
 * --keep-wear as `fsnvmctl format` does it: the superblock is picked
 * (fsnvm_super_pick(), either copy), the old wear read by old_wear_read()
 * (tools/fsnvmctl/oldwear.c, the tool's own function) and handed to
 * fsnvm_format().  At every fence crash states are built from the durable
 * image plus subsets of the lines pending (all subsets of a window of at
 * most 8 lines, else none, all, every prefix and 24 random ones) and on
 * each:
 *  - the superblock (either copy) is usable, and is the old format's or
 *    the new one's (uuid); the new one has an empty index;
 *  - the wear old_wear_read() finds for every frame is at least the wear
 *    the frame had before the format: what the next `format --keep-wear`
 *    keeps;
 * and a few states per fence are formatted again with --keep-wear to the
 * end: every frame keeps its wear.
 * Scenarios: an old format with a backup superblock; one without (written
 * before the backup existed); a first format over foreign bytes and a
 * --force format over another geometry, where there is no wear to keep
 * but the state must be the old, unusable one or the new format.
 *
 * usage: format_crash_test
 * Prints: format-crash: N crash states, M re-formats, V violations
 */
#include "crash_shim.h"
#include "oldwear.h"
#include "test_util.h"

#define DEV_BYTES (1024 * 1024)
#define SAVED_PER_FENCE 3
#define MAX_SAVED 16

enum scenario { KEEP_WEAR, KEEP_WEAR_NO_BACKUP, FOREIGN, OTHER_GEOMETRY };
static const char * const scenario_name[] = {
	"keep-wear", "keep-wear over a format without backup",
	"first format over foreign bytes", "--force over another geometry",
};

static struct {
	enum scenario sc;
	struct fsnvm_geometry geo;
	u64 before[DEV_BYTES / FSNVM_PAGE_SIZE];	/* wear before */
	u8 old_uuid[16], new_uuid[16];
	unsigned int fence;
} t;

static u8 *state;			/* durable image + a subset */
static u8 *saved[MAX_SAVED];
static unsigned int nr_saved, saved_this_fence;
static u64 nr_states, nr_reformats, nr_violations, rng;

#define VIOLATION(...)                                                      \
	do {                                                                \
		if (nr_violations++ < 20) {                                 \
			fprintf(stderr, "violation: %s, fence %u: ",        \
				scenario_name[t.sc], t.fence);              \
			fprintf(stderr, __VA_ARGS__);                       \
			fprintf(stderr, "\n");                              \
		}                                                           \
	} while (0)

/* The checks on one crash state (or on the final image). */
static void check_state(const u8 *img)
{
	enum fsnvm_media_status st;
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;
	struct fsnvm_super sb;
	struct old_wear ow;
	bool is_new;
	u64 f;

	nr_states++;
	st = fsnvm_super_pick(img, DEV_BYTES, &sb, &geo, &pick);
	if (t.sc == FOREIGN || t.sc == OTHER_GEOMETRY) {
		/* Nothing to keep: not usable (as before), or the new format. */
		if (st != FSNVM_MEDIA_OK)
			return;
		if (memcmp(sb.uuid, t.new_uuid, 16))
			VIOLATION("a usable superblock that is not the new one");
		for (f = 0; f < geo.nr_frames; f++) {
			const struct fsnvm_entry *ent =
				fsnvm_entry_at((void *)img, &geo, f);

			if (!fsnvm_entry_crc_ok(ent) || ent->key) {
				VIOLATION("new format, frame %llu not clean",
					  (unsigned long long)f);
				return;
			}
		}
		return;
	}
	if (st != FSNVM_MEDIA_OK) {
		VIOLATION("no usable superblock: %s", fsnvm_media_str(st));
		return;
	}
	is_new = !memcmp(sb.uuid, t.new_uuid, 16);
	if (!is_new && memcmp(sb.uuid, t.old_uuid, 16))
		VIOLATION("superblock of neither the old nor the new format");
	if (old_wear_read(img, &geo, true, &ow)) {
		VIOLATION("out of memory");
		return;
	}
	for (f = 0; f < geo.nr_frames; f++) {
		const struct fsnvm_entry *ent = fsnvm_entry_at((void *)img, &geo, f);

		if (ow.wear[f] < t.before[f]) {
			VIOLATION("frame %llu: wear %llu < %llu before",
				  (unsigned long long)f,
				  (unsigned long long)ow.wear[f],
				  (unsigned long long)t.before[f]);
			break;
		}
		if (is_new && (!fsnvm_entry_crc_ok(ent) || ent->key)) {
			VIOLATION("new format, frame %llu not clean",
				  (unsigned long long)f);
			break;
		}
	}
	free(ow.wear);
}

static void try_subset(const struct crash_pending *p, unsigned int n,
		       const u8 *take)
{
	unsigned int i;

	memcpy(state, crash_durable(), DEV_BYTES);
	for (i = 0; i < n; i++)
		if (take[i])
			memcpy(state + p[i].line * CRASH_LINE, p[i].data, CRASH_LINE);
	check_state(state);
	if (saved_this_fence < SAVED_PER_FENCE && nr_saved < MAX_SAVED) {
		saved[nr_saved] = malloc(DEV_BYTES);
		CHECK(saved[nr_saved], "out of memory");
		memcpy(saved[nr_saved++], state, DEV_BYTES);
		saved_this_fence++;
	}
}

static void at_fence(void *ctx)
{
	unsigned int n, i, k;
	const struct crash_pending *p = crash_pending(&n);
	u8 *take = calloc(n ? n : 1, 1);

	(void)ctx;
	CHECK(take, "out of memory");
	t.fence++;
	saved_this_fence = 0;
	if (n <= 8) {
		for (u64 m = 0; m < 1ULL << n; m++) {
			for (i = 0; i < n; i++)
				take[i] = (m >> i) & 1;
			try_subset(p, n, take);
		}
	} else {
		try_subset(p, n, take);			/* none */
		for (i = 0; i < n; i++)
			take[i] = 1;
		try_subset(p, n, take);			/* all */
		for (k = 1; k < n; k += 1 + n / 32) {	/* prefixes */
			for (i = 0; i < n; i++)
				take[i] = i < k;
			try_subset(p, n, take);
		}
		for (k = 0; k < 24; k++) {		/* random */
			for (i = 0; i < n; i++)
				take[i] = splitmix64(&rng) & 1;
			try_subset(p, n, take);
		}
	}
	free(take);
}

static u64 old_wear(void *ctx, u64 f)
{
	(void)ctx;
	return f % 7 ? f * 1000 + 3 : 0;	/* some frames never written */
}

/* The device before the format under test, and every frame's wear. */
static void make_old(u8 *img)
{
	struct fsnvm_geometry geo;
	struct fsnvm_entry ent;
	u64 f, s = 42;

	memset(t.old_uuid, 0x11, 16);
	memset(t.before, 0, sizeof(t.before));
	if (t.sc == FOREIGN) {
		for (f = 0; f < DEV_BYTES / 8; f++)
			((u64 *)img)[f] = splitmix64(&s);
		return;
	}
	CHECK(fsnvm_geometry_for_size(t.sc == OTHER_GEOMETRY ? 2 * DEV_BYTES :
				      DEV_BYTES, &geo) == FSNVM_MEDIA_OK, "geo");
	if (t.sc == OTHER_GEOMETRY) {
		/* The first 1 MiB of a 2 MiB format: the device shrank. */
		u8 *big = aligned_alloc(4096, 2 * DEV_BYTES);

		CHECK(big, "out of memory");
		memset(big, 0, 2 * DEV_BYTES);
		fsnvm_format(big, &geo, t.old_uuid, 1, old_wear, NULL);
		memcpy(img, big, DEV_BYTES);
		free(big);
		return;
	}
	memset(img, 0, DEV_BYTES);
	fsnvm_format(img, &geo, t.old_uuid, 1, old_wear, NULL);
	if (t.sc == KEEP_WEAR_NO_BACKUP)
		memset(img + FSNVM_SUPER_BACKUP, 0, sizeof(struct fsnvm_super));
	/* Some stored pages: wear one higher, a key, trusted (writer 0). */
	for (f = 0; f < geo.nr_frames; f += 5) {
		memcpy(&ent, fsnvm_entry_at(img, &geo, f), sizeof(ent));
		ent.key = cpu_to_le64(fsnvm_key(0, f));
		ent.seq = cpu_to_le64(f + 1);
		ent.wear = cpu_to_le64(le64_to_cpu(ent.wear) + 1);
		fsnvm_entry_seal(&ent);
		memcpy(fsnvm_entry_at(img, &geo, f), &ent, sizeof(ent));
	}
	for (f = 0; f < geo.nr_frames; f++)
		t.before[f] = le64_to_cpu(fsnvm_entry_at(img, &geo, f)->wear);
}

/* `fsnvmctl format --keep-wear` (or --force when nothing is kept). */
static void format_like_the_tool(u8 *img, const u8 uuid[16])
{
	struct fsnvm_geometry geo, old;
	struct fsnvm_super sb;
	struct old_wear ow = { 0 };
	bool keep;

	CHECK(fsnvm_geometry_for_size(DEV_BYTES, &geo) == FSNVM_MEDIA_OK, "geo");
	keep = fsnvm_super_pick(img, DEV_BYTES, &sb, &old, NULL) ==
	       FSNVM_MEDIA_OK;
	if ((t.sc == KEEP_WEAR || t.sc == KEEP_WEAR_NO_BACKUP) && !keep)
		VIOLATION("--keep-wear would refuse: no usable superblock");
	if (keep)
		CHECK(!old_wear_read(img, &old, true, &ow), "out of memory");
	fsnvm_format(img, &geo, uuid, 2, keep ? old_wear_of : NULL, &ow);
	free(ow.wear);
}

static void run(enum scenario sc)
{
	u8 *img = aligned_alloc(4096, DEV_BYTES), again[16];
	unsigned int i;
	u64 v0 = nr_violations, s0 = nr_states;

	CHECK(img, "out of memory");
	t.sc = sc;
	t.fence = 0;
	make_old(img);
	memset(t.new_uuid, 0x22, 16);
	memset(again, 0x33, 16);
	nr_saved = 0;

	crash_attach(img, DEV_BYTES);
	crash_set_hook(at_fence, NULL);
	format_like_the_tool(img, t.new_uuid);
	crash_set_hook(NULL, NULL);
	crash_detach();
	check_state(img);

	/* Each saved crash state, formatted again to the end. */
	t.fence = 0;
	for (i = 0; i < nr_saved; i++) {
		memcpy(t.new_uuid, again, 16);
		format_like_the_tool(saved[i], again);
		check_state(saved[i]);
		nr_reformats++;
		free(saved[i]);
	}
	printf("%s: %llu crash states, %u re-formats, %llu violations\n",
	       scenario_name[sc], (unsigned long long)(nr_states - s0), nr_saved,
	       (unsigned long long)(nr_violations - v0));
	free(img);
}

int main(void)
{
	rng = 7;
	state = aligned_alloc(4096, DEV_BYTES);
	CHECK(state, "out of memory");
	run(KEEP_WEAR);
	run(KEEP_WEAR_NO_BACKUP);
	run(FOREIGN);
	run(OTHER_GEOMETRY);
	free(state);
	printf("format-crash: %llu crash states, %llu re-formats, %llu violations\n",
	       (unsigned long long)nr_states, (unsigned long long)nr_reformats,
	       (unsigned long long)nr_violations);
	return nr_violations ? 1 : 0;
}
