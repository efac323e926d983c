// SPDX-License-Identifier: GPL-2.0
/*
 * Crash-consistency test of the real engine code (DESIGN.md section 6).
 *
 * Short random sequences of operations run on a fresh 1 MiB device
 * through crash_shim.c: stores on three writers (threads, stepped one at
 * a time by tests/writer_threads.h, so stores go lockless into the
 * writers' rings or take the lock, and are published later), rewrites,
 * invalidations, area drops, balancer steps, writer_gone, and clean
 * closes followed by a new attach; every sequence ends with a clean close.
 * At every fence, crash states are built from the durable image plus
 * subsets of the lines written since the previous fence (all subsets when
 * there are at most 6, else none, all, 8 random ones and 4 times all but
 * one), and on each
 * state the index is recovered (read-only) and checked:
 *  - the superblock is valid and no entry is torn;
 *  - every key not touched by the operation in flight holds exactly its
 *    last acknowledged data; the key in flight holds its acknowledged data,
 *    the in-flight data, or nothing (a migration: only the acknowledged
 *    data); never older or torn data.  One exception, by design
 *    (fsnvm_format.h): a key whose last store named its writer (a data
 *    page) may hold nothing while no entry on the state vouches for that
 *    store: a writer's last stores wait for its next store's vouch, and a
 *    vouch is lost when another writer reuses the free frame that carried
 *    it (fsnvm_engine.c), so which ones survive is read off the state;
 *    the data the key holds is still checked.  During an attach every key
 *    may hold nothing (it releases them all);
 *  - no key is named by two mapped frames;
 *  - no frame's wear is below its durable wear before the window;
 *  - with the frame of one key's page (the key in flight, or one in turn)
 *    on the badblocks list, that key's load fails: its page is lost,
 *    and no older copy stands in for it.
 * After a clean close the durable image must hold every acknowledged page,
 * none uncommitted.
 *
 * Crash during recovery: on one crash state in NEST_EVERY, an attach
 * (the recovery of the next boot) runs on that state, and is itself
 * crashed at each of its fences, with subsets as above.  Each such state
 * is inspected (superblock valid, no torn entry, no key mapped twice, and
 * every key holds what the first crash state allows or nothing), then
 * attached again to completion: no entry may then be torn or name a key,
 * and no frame's wear may be below its durable wear before the first
 * crash's window.  The same state is then bound keeping its pages (the
 * swap device's KEEP, with the frame of the key in flight bad-listed),
 * crashed at each fence: every key must hold what it held before that
 * bind, or nothing.
 *
 * usage: crash_test [SEQUENCES] [SEED]
 * Prints: crash: N sequences, M crash states (R in recovery), V violations
 */
#include <fcntl.h>
#include <unistd.h>

#include "crash_shim.h"
#include "writer_threads.h"

#define DEV_BYTES (1024 * 1024)
#define NKEYS 12		/* keys 0..5 in type 0, 6..11 in type 1 */
#define KEYS_PER_TYPE 6
#define NW 3			/* writers, ids 1..NW */
#define NEST_EVERY 64		/* crash states that get a crashed recovery */

enum op { OP_NONE, OP_STORE, OP_INVALIDATE, OP_AREA, OP_BALANCE, OP_GONE,
	  OP_CLOSE, OP_ATTACH };

struct acked {
	u64 version;		/* 0 = absent */
	u64 seq;		/* of its store, from the writer's done */
	unsigned int writer;	/* whose store; 0 for a same-filled page */
};

static struct {
	struct acked acked[NKEYS];
	enum op op;
	unsigned int key;	/* OP_STORE, OP_INVALIDATE */
	unsigned int type;	/* OP_AREA */
	u64 new_version;	/* OP_STORE */
} model;

/*
 * Ballast: in some sequences the device is first filled up to a few free
 * frames with pages of swap type 2, stored on all writers, so that stores
 * are refused, frames are reused at once and the clean close finds few or
 * no free frames; dropping a writer's last ballast page frees its done
 * frame.  Ballast is checked at the clean closes only.  The main thread
 * stores most of it, as a writer of its own (id NW + 1).
 */
#define BALLAST_TYPE 2
#define MAX_BALLAST 256
static u64 ballast[MAX_BALLAST];	/* version, 0 = absent */
static unsigned int nr_ballast, last_ballast[NW];

static struct fsnvm_engine *e;	/* the engine under test */
static void *img;		/* its media */
static void *template_img;	/* a freshly formatted one */
static u8 *crash_img;		/* durable image + the subset under test */
static u8 *nest_img, *nest_crash_img;	/* the same for a crashed attach */
static u8 *second_img;		/* a crashed attach's state, attached again */
static const u8 *outer_durable;	/* durable before the first crash's window */
static u64 *last_window;
static unsigned int nr_last_window, max_last_window;
static u64 nr_states, nr_nested_states, nr_violations, rng;
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

static bool holds(struct fsnvm_engine *x, unsigned int k, u64 version)
{
	int ret = fsnvm_load(x, k / KEYS_PER_TYPE, k % KEYS_PER_TYPE, page);

	if (!version)
		return ret == -ENOENT;
	if (ret)
		return false;
	fill_page(want, k, version);
	return !memcmp(page, want, sizeof(page));
}

/* The oracle's own reading of the vouches on a state (fsnvm_format.h). */
static void state_vouches(struct fsnvm_engine *x, const u8 *state,
			  u64 vouched[NW + 1])
{
	memset(vouched, 0, (NW + 1) * sizeof(*vouched));
	for (u64 f = 0; f < x->geo.nr_frames; f++) {
		const struct fsnvm_entry *ent =
			fsnvm_entry_at((void *)state, &x->geo, f);
		unsigned int w = le16_to_cpu(ent->vouch_writer);

		if (fsnvm_entry_crc_ok(ent) && w && w <= NW &&
		    le64_to_cpu(ent->vouch_seq) > vouched[w])
			vouched[w] = le64_to_cpu(ent->vouch_seq);
	}
}

/*
 * Does key k hold what the model allows?  strict: after a clean close,
 * only its acknowledged page; all_may_vanish: inside an attach.
 */
static void check_key(struct fsnvm_engine *x, unsigned int k,
		      const u64 *vouched, bool strict, bool all_may_vanish)
{
	const struct acked *a = &model.acked[k];
	bool in_flight = false, may_vanish = all_may_vanish;

	if (!strict) {
		may_vanish |= vouched && a->writer &&
			      a->seq > vouched[a->writer];
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
		case OP_ATTACH:
			may_vanish = true;
			break;
		default:
			break;
		}
	}
	if (holds(x, k, a->version))
		return;
	if (in_flight && holds(x, k, model.new_version))
		return;
	if (may_vanish && holds(x, k, 0))
		return;
	VIOLATION("key %u: not its acknowledged v%llu%s%s", k,
		  (unsigned long long)a->version,
		  in_flight ? " nor the in-flight one" : "",
		  strict ? " after a clean close" : "");
}

/* No key named by two mapped frames. */
static void check_mapping(struct fsnvm_engine *x, const u8 *state)
{
	u64 seen[NKEYS + MAX_BALLAST] = { 0 };

	for (u64 f = 0; f < x->geo.nr_frames; f++) {
		const struct fsnvm_entry *now =
			fsnvm_entry_at((void *)state, &x->geo, f);

		if ((x->state[f] & FSNVM_FS_STATE_MASK) == FSNVM_FS_USED) {
			u64 key = le64_to_cpu(now->key);
			u64 off = fsnvm_key_offset(key);
			unsigned int type = fsnvm_key_type(key);
			u64 k = type == BALLAST_TYPE ? NKEYS + off :
				type * KEYS_PER_TYPE + off;

			if ((type == BALLAST_TYPE ? off >= MAX_BALLAST :
			     type > 1 || off >= KEYS_PER_TYPE) || seen[k]++)
				VIOLATION("key %llu mapped twice or unknown",
					  (unsigned long long)k);
		}
	}
}

/* No frame's wear below what was durable before the first window. */
static void check_wear(struct fsnvm_engine *x, const u8 *state)
{
	for (u64 f = 0; f < x->geo.nr_frames; f++) {
		const struct fsnvm_entry *now =
			fsnvm_entry_at((void *)state, &x->geo, f);
		const struct fsnvm_entry *before =
			fsnvm_entry_at((void *)outer_durable, &x->geo, f);

		if (le64_to_cpu(now->wear) < le64_to_cpu(before->wear))
			VIOLATION("frame %llu wear went down",
				  (unsigned long long)f);
	}
}

/* Open and inspect a state; NULL (a violation) if that fails. */
static struct fsnvm_engine *inspect(u8 *state, struct fsnvm_recovery *rep)
{
	enum fsnvm_media_status st;
	struct fsnvm_engine *x = fsnvm_engine_open(state, DEV_BYTES, &st);

	if (!x) {
		VIOLATION("superblock: %s", fsnvm_media_str(st));
		return NULL;
	}
	if (fsnvm_recover(x, FSNVM_RECOVER_INSPECT, rep) || rep->torn ||
	    rep->unreadable)
		VIOLATION("recovery: %llu torn, %llu unreadable",
			  (unsigned long long)rep->torn,
			  (unsigned long long)rep->unreadable);
	return x;
}

/*
 * The frame holding key k's page goes on the badblocks list before the
 * next bind: the page is lost, and its load must fail, never serve an
 * older copy of the key that a crash left named elsewhere, nor read as
 * never written.  k: the key in flight, or one in turn.
 */
static int devnull_fd, stderr_fd;	/* for check_bad_listed() */
static u64 nr_bad_listed;

static void check_bad_listed(struct fsnvm_engine *x, u8 *state)
{
	unsigned int k = model.op == OP_STORE ? model.key :
			 (unsigned int)(nr_states % NKEYS);
	unsigned int type = k / KEYS_PER_TYPE, off = k % KEYS_PER_TYPE;
	u32 f = fsnvm_keymap_find(&x->map, type, off);
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *y;
	int ret;

	if (f == FSNVM_NO_FRAME)
		return;
	nr_bad_listed++;
	y = fsnvm_engine_open(state, DEV_BYTES, &st);
	if (!y)
		return;		/* reported by inspect() */
	fsnvm_mark_bad(y, f);
	fsnvm_recover(y, FSNVM_RECOVER_INSPECT, &rep);
	/* the engine logs the lost page: not into the test's log */
	fflush(stderr);
	dup2(devnull_fd, STDERR_FILENO);
	ret = fsnvm_load(y, type, off, page);
	fflush(stderr);
	dup2(stderr_fd, STDERR_FILENO);
	if (ret != -EIO)
		VIOLATION("key %u: its frame %u on the badblocks list, the load returned %d%s",
			  k, f, ret, ret ? "" : " (an older copy)");
	fsnvm_engine_close(y);
}

static void check_state(u8 *state, bool strict)
{
	struct fsnvm_recovery rep;
	struct fsnvm_engine *x;
	u64 vouched[NW + 1];

	nr_states++;
	x = inspect(state, &rep);
	if (!x)
		return;
	if (strict && rep.uncommitted)
		VIOLATION("%llu keys uncommitted after a clean close",
			  (unsigned long long)rep.uncommitted);
	for (unsigned int b = 0; strict && b < nr_ballast; b++) {
		int ret = fsnvm_load(x, BALLAST_TYPE, b, page);

		fill_page(want, 1000 + b, ballast[b]);
		if (ballast[b] ? ret || memcmp(page, want, sizeof(page)) :
		    ret != -ENOENT)
			VIOLATION("ballast %u: not its v%llu after a clean close",
				  b, (unsigned long long)ballast[b]);
	}
	state_vouches(x, state, vouched);
	for (unsigned int k = 0; k < NKEYS; k++)
		check_key(x, k, vouched, strict, false);
	check_mapping(x, state);
	check_wear(x, state);
	check_bad_listed(x, state);
	fsnvm_engine_close(x);
}

/*
 * What the state an attach starts from holds, key by key (ballast too):
 * a crashed attach must leave all of it or none of it.  Anything in
 * between can hold an older copy of a key whose newer entry the attach
 * had already released, which a later bind that keeps pages (the swap
 * device's) would serve.
 */
#define PRE_KEYS (NKEYS + MAX_BALLAST)
static u8 (*pre_page)[FSNVM_PAGE_SIZE];
static bool pre_held[PRE_KEYS];
static u32 pre_frame_in_flight;	/* the key in flight's, or FSNVM_NO_FRAME */
static bool nest_keep;		/* the nested recovery is a KEEP bind */
static u64 nr_keep_states, nr_keep_binds;

static int load_any(struct fsnvm_engine *x, unsigned int k, u8 *to)
{
	if (k < NKEYS)
		return fsnvm_load(x, k / KEYS_PER_TYPE, k % KEYS_PER_TYPE, to);
	return fsnvm_load(x, BALLAST_TYPE, k - NKEYS, to);
}

static void note_pre_attach(u8 *state)
{
	struct fsnvm_recovery rep;
	struct fsnvm_engine *x;

	crash_push();
	x = inspect(state, &rep);
	for (unsigned int k = 0; k < PRE_KEYS; k++)
		pre_held[k] = x && !load_any(x, k, pre_page[k]);
	pre_frame_in_flight = x && model.key < NKEYS ?
		fsnvm_keymap_find(&x->map, model.key / KEYS_PER_TYPE,
				  model.key % KEYS_PER_TYPE) : FSNVM_NO_FRAME;
	fsnvm_engine_close(x);
	crash_pop();
}

/*
 * A state of a crashed KEEP bind (the swap device's): every key holds
 * what it held before the bind, or nothing (KEEP drops what the device
 * cannot address, and a page on a bad-listed frame is lost); never an
 * older copy that the bind's clears left named alone.
 */
static void check_nested_keep(u8 *state)
{
	struct fsnvm_recovery rep;
	struct fsnvm_engine *x;

	nr_keep_states++;
	x = inspect(state, &rep);
	if (!x)
		return;
	for (unsigned int k = 0; k < PRE_KEYS; k++) {
		if (load_any(x, k, page))
			continue;
		if (!pre_held[k] || memcmp(page, pre_page[k], sizeof(page)))
			VIOLATION("a crashed keep bind: key %u holds %s", k,
				  pre_held[k] ? "other data than before" :
				  "a page it did not hold before");
	}
	check_mapping(x, state);
	check_wear(x, state);
	fsnvm_engine_close(x);
}

static void check_all_or_nothing(struct fsnvm_engine *x)
{
	unsigned int k, held = 0, same = 0, pre = 0;

	for (k = 0; k < PRE_KEYS; k++) {
		bool now = !load_any(x, k, page);

		held += now;
		pre += pre_held[k];
		same += now && pre_held[k] &&
			!memcmp(page, pre_page[k], sizeof(page));
	}
	if (held && (held != pre || same != pre))
		VIOLATION("a crashed attach left %u of %u keys, %u as they were",
			  held, pre, same);
}

/*
 * A state of a crashed attach: inspect it, then attach it to the end,
 * untracked (a simulation of its own, pushed), and look at the result.
 */
static void check_nested_state(u8 *state)
{
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *x;

	nr_nested_states++;
	crash_push();
	if (nest_keep) {
		check_nested_keep(state);
		crash_pop();
		return;
	}
	x = inspect(state, &rep);
	if (x) {
		for (unsigned int k = 0; k < NKEYS; k++)
			check_key(x, k, NULL, false, true);
		check_all_or_nothing(x);
		check_mapping(x, state);
		check_wear(x, state);
		fsnvm_engine_close(x);
		/* On a copy: the next subsets start from this state as it is. */
		memcpy(second_img, state, DEV_BYTES);
		x = fsnvm_engine_open(second_img, DEV_BYTES, &st);
		if (!x || fsnvm_recover(x, FSNVM_RECOVER_ATTACH, &rep))
			VIOLATION("second attach failed");
		fsnvm_engine_close(x);
		x = inspect(second_img, &rep);
	}
	if (x && rep.valid)
		VIOLATION("%llu keys named after an attach",
			  (unsigned long long)rep.valid);
	if (x)
		check_wear(x, second_img);
	fsnvm_engine_close(x);
	crash_pop();
}

static void apply_line(u8 *state, const struct crash_pending *p,
		       const u8 *from)
{
	memcpy(state + p->line * CRASH_LINE, from, CRASH_LINE);
}

/*
 * Every (or a sample of every) subset of the pending lines, applied to
 * state (which holds the durable image) and checked; state is left as
 * the durable image.
 */
static void for_each_subset(u8 *state, void (*check)(u8 *state))
{
	const u8 *dur = crash_durable();
	const struct crash_pending *p;
	unsigned int n, subsets, s, i;

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
				apply_line(state, &p[i], p[i].data);
		}
		check(state);
		for (i = 0; i < n; i++)
			apply_line(state, &p[i], dur + p[i].line * CRASH_LINE);
	}
}

static void nest_hook(void *ctx)
{
	(void)ctx;
	memcpy(nest_crash_img, crash_durable(), DEV_BYTES);
	for_each_subset(nest_crash_img, check_nested_state);
}

/*
 * The superblock the next boot's attach starts from: as it is, with the
 * primary damaged (a flipped bit: the backup is used and must be the
 * copy rewritten last), or as a format without a backup copy (which the
 * attach gives one before anything else).
 */
static void vary_superblock(u8 *state)
{
	struct fsnvm_super *sb = (struct fsnvm_super *)state, used;
	struct fsnvm_super_pick pick;
	struct fsnvm_geometry geo;

	/* One fault at a time: only where both copies are good and agree. */
	if (fsnvm_super_pick(state, DEV_BYTES, &used, &geo, &pick) !=
	    FSNVM_MEDIA_OK || pick.used != FSNVM_SB_PRIMARY ||
	    pick.backup.status != FSNVM_MEDIA_OK || pick.backup_differs)
		return;
	switch (splitmix64(&rng) % 3) {
	case 1:
		sb->uuid[3] ^= 0x10;
		break;
	case 2:
		memset(state + FSNVM_SUPER_BACKUP, 0, sizeof(*sb));
		sb->compat &= ~cpu_to_le64(FSNVM_COMPAT_BACKUP_SB);
		sb->crc = cpu_to_le32(fsnvm_super_crc(sb));
		break;
	}
}

/*
 * Forge an older copy of key k, with other data, on a free frame of a
 * state: an entry one seq below the newest naming k, trusted with no vouch
 * (writer 0).  The engine leaves older copies with the same data (a
 * migration), this one tells them apart: a bind that drops the newest
 * copy (uncommitted) or loses it (bad-listed) must clear the older ones
 * durably first, or a crash inside it serves this page.
 */
static void forge_older_copy(u8 *state, unsigned int k)
{
	u64 key = fsnvm_key(k / KEYS_PER_TYPE, k % KEYS_PER_TYPE);
	const struct fsnvm_entry *newest = NULL;
	struct fsnvm_geometry geo;
	struct fsnvm_entry *ent;
	u64 f, free_frame = ~0ULL;

	CHECK(fsnvm_geometry_for_size(DEV_BYTES, &geo) == FSNVM_MEDIA_OK,
	      "geometry");
	for (f = 0; f < geo.nr_frames; f++) {
		ent = fsnvm_entry_at(state, &geo, f);
		if (fsnvm_entry_classify(ent) == FSNVM_ENTRY_FREE &&
		    !(le32_to_cpu(ent->flags) & FSNVM_ENT_RETIRED) &&
		    free_frame == ~0ULL)
			free_frame = f;
		if (fsnvm_entry_classify(ent) == FSNVM_ENTRY_MAPPED &&
		    le64_to_cpu(ent->key) == key &&
		    (!newest || le64_to_cpu(ent->seq) > le64_to_cpu(newest->seq)))
			newest = ent;
	}
	if (!newest || free_frame == ~0ULL || le64_to_cpu(newest->seq) < 2)
		return;
	ent = fsnvm_entry_at(state, &geo, free_frame);
	ent->key = cpu_to_le64(key);
	ent->seq = cpu_to_le64(le64_to_cpu(newest->seq) - 1);
	ent->writer = 0;
	ent->flags = 0;
	ent->fill = 0;
	fsnvm_entry_seal(ent);
	fill_page(fsnvm_frame_at(state, &geo, free_frame), k, 1u << 30);
}

/*
 * A bind of nest_img, crashed at each of its fences (nest_hook), with
 * frame `bad` on the badblocks list unless it is FSNVM_NO_FRAME.
 */
static void crashed_bind(enum fsnvm_recover_mode mode, u32 bad)
{
	struct fsnvm_recovery rep;
	enum fsnvm_media_status st;
	struct fsnvm_engine *x;

	crash_push();
	crash_attach(nest_img, DEV_BYTES);
	crash_set_hook(nest_hook, NULL);
	x = fsnvm_engine_open(nest_img, DEV_BYTES, &st);
	if (x && bad != FSNVM_NO_FRAME)
		fsnvm_mark_bad(x, bad);
	if (x)		/* else check_state has reported it */
		fsnvm_recover(x, mode, &rep);
	fsnvm_engine_close(x);
	crash_pop();
}

/* The next boot's attach on this crash state, crashed at its fences. */
static void crash_recovery(u8 *state)
{
	memcpy(nest_img, state, DEV_BYTES);
	vary_superblock(nest_img);
	note_pre_attach(nest_img);
	crashed_bind(FSNVM_RECOVER_ATTACH, FSNVM_NO_FRAME);

	/*
	 * The swap device's bind on the same state, with an older copy of
	 * the key in flight forged, and in every other such bind the frame
	 * of its newest copy on the badblocks list.
	 */
	memcpy(nest_img, state, DEV_BYTES);
	forge_older_copy(nest_img, model.key % NKEYS);
	note_pre_attach(nest_img);
	nest_keep = true;
	crashed_bind(FSNVM_RECOVER_KEEP,
		     pre_frame_in_flight != FSNVM_NO_FRAME &&
		     nr_keep_binds++ % 2 ? pre_frame_in_flight : FSNVM_NO_FRAME);
	nest_keep = false;
}

static void check_outer_state(u8 *state)
{
	check_state(state, false);
	if (splitmix64(&rng) % NEST_EVERY == 0)
		crash_recovery(state);
}

/* At a fence of the engine under test. */
static void crash_hook(void *ctx)
{
	const u8 *dur = crash_durable();
	const struct crash_pending *p;
	unsigned int n, i;

	(void)ctx;
	for (i = 0; i < nr_last_window; i++)
		memcpy(crash_img + last_window[i] * CRASH_LINE,
		       dur + last_window[i] * CRASH_LINE, CRASH_LINE);
	outer_durable = dur;
	for_each_subset(crash_img, check_outer_state);
	p = crash_pending(&n);
	if (n > max_last_window) {
		max_last_window = n;
		last_window = realloc(last_window, n * sizeof(*last_window));
		CHECK(last_window, "oom");
	}
	for (i = 0; i < n; i++)
		last_window[i] = p[i].line;
	nr_last_window = n;
}

struct store_op {
	unsigned int k;
	int ret;
};

static void do_store(void *arg)
{
	struct store_op *op = arg;

	op->ret = fsnvm_store(e, op->k / KEYS_PER_TYPE, op->k % KEYS_PER_TYPE,
			      src);
}

static void op_store(unsigned int k, unsigned int w, u64 version)
{
	struct store_op op = { k, 0 };
	const u64 *word = (const u64 *)src;
	struct acked *a = &model.acked[k];

	model.op = OP_STORE;
	model.key = k;
	model.new_version = version;
	fill_page(src, k, version);
	wt_run(w, do_store, &op);
	CHECK(op.ret == 0 || op.ret == -ENOSPC, "store: %d", op.ret);
	a->version = op.ret ? 0 : version;	/* refused: the old copy too */
	a->seq = e->writers[wt_id(w) - 1].done;
	/* a same-filled page's entry names no writer (fsnvm_format.h) */
	a->writer = word[1] == word[0] ? 0 : wt_id(w);
}

/* Clean close (crashed at its fence), then the strict check, then attach. */
static void op_close(bool reattach)
{
	enum fsnvm_media_status st;
	struct fsnvm_recovery rep;

	model.op = OP_CLOSE;
	fsnvm_engine_close(e);
	e = NULL;
	model.op = OP_NONE;
	memcpy(crash_img, img, DEV_BYTES);	/* all durable: fenced */
	outer_durable = crash_durable();
	check_state(crash_img, true);
	nr_last_window = 0;
	if (!reattach)
		return;
	model.op = OP_ATTACH;
	e = fsnvm_engine_open(img, DEV_BYTES, &st);
	CHECK(e && fsnvm_recover(e, FSNVM_RECOVER_ATTACH, &rep) == 0,
	      "attach");
	memset(model.acked, 0, sizeof(model.acked));
	memset(ballast, 0, sizeof(ballast));
	model.op = OP_NONE;
}

struct ballast_op {
	unsigned int b;
	u64 version;
	int ret;
};

static void do_ballast(void *arg)
{
	struct ballast_op *op = arg;
	static u8 bpage[FSNVM_PAGE_SIZE];

	fill_page(bpage, 1000 + op->b, op->version);
	op->ret = fsnvm_store(e, BALLAST_TYPE, op->b, bpage);
}

/* Fill up to a few free frames, untracked (before crash_attach). */
static void fill_ballast(u64 *version_counter)
{
	u64 left = splitmix64(&rng) % (2 * FSNVM_STASH + 8);
	struct fsnvm_stats st;

	for (unsigned int w = 0; w < NW; w++)
		last_ballast[w] = MAX_BALLAST;
	/*
	 * Most of it on the main thread (a writer of its own: no thread
	 * switch per page), the last pages on the workers, round robin.
	 */
	for (nr_ballast = 0; nr_ballast < MAX_BALLAST; nr_ballast++) {
		struct ballast_op op = { nr_ballast, ++*version_counter, 0 };
		unsigned int w = nr_ballast % NW;

		fsnvm_get_stats(e, &st);
		if (st.frames_free <= left)
			break;
		if (st.frames_free > left + 2 * NW) {
			do_ballast(&op);
			w = NW;
		} else {
			wt_run(w, do_ballast, &op);
		}
		if (op.ret)
			break;
		ballast[nr_ballast] = op.version;
		if (w < NW)
			last_ballast[w] = nr_ballast;
	}
	if (splitmix64(&rng) % 2)
		for (unsigned int w = 0; w < NW; w++)
			fsnvm_writer_gone(e, wt_id(w));
}

static void run_sequence(u64 *version_counter)
{
	struct fsnvm_balance_params bp = { .threshold = 0, .budget = 2, .scan = 64 };
	unsigned int ops = 6 + splitmix64(&rng) % 10;

	memset(&model, 0, sizeof(model));
	memcpy(img, template_img, DEV_BYTES);
	e = attach(img, DEV_BYTES);
	nr_ballast = 0;
	if (splitmix64(&rng) % 4 == 0)
		fill_ballast(version_counter);
	crash_attach(img, DEV_BYTES);
	memcpy(crash_img, img, DEV_BYTES);
	nr_last_window = 0;
	crash_set_hook(crash_hook, NULL);
	for (unsigned int i = 0; i < ops; i++) {
		u64 r = splitmix64(&rng);
		unsigned int k = (r >> 8) % NKEYS, pick = r % 100;
		unsigned int w = (r >> 16) % NW;

		if (pick < 52) {
			op_store(k, w, ++*version_counter);
		} else if (pick < 70) {
			model.op = OP_INVALIDATE;
			model.key = k;
			fsnvm_invalidate_page(e, k / KEYS_PER_TYPE, k % KEYS_PER_TYPE);
			model.acked[k].version = 0;
		} else if (pick < 75) {
			model.op = OP_AREA;
			model.type = k / KEYS_PER_TYPE;
			fsnvm_invalidate_area(e, model.type);
			for (unsigned int j = 0; j < KEYS_PER_TYPE; j++)
				model.acked[model.type * KEYS_PER_TYPE + j].version = 0;
		} else if (pick < 85) {
			model.op = OP_BALANCE;
			fsnvm_balance_step(e, &bp);
		} else if (pick < 90) {
			model.op = OP_GONE;
			fsnvm_writer_gone(e, wt_id(w));
		} else if (pick < 95) {
			/* a writer's last ballast page: frees its done frame */
			unsigned int b = last_ballast[w];

			if (b < nr_ballast) {
				fsnvm_invalidate_page(e, BALLAST_TYPE, b);
				ballast[b] = 0;
			}
		} else {
			op_close(true);
		}
		model.op = OP_NONE;
	}
	op_close(false);
	crash_set_hook(NULL, NULL);
	crash_detach();
}

int main(int argc, char **argv)
{
	u64 sequences = argc > 1 ? strtoull(argv[1], NULL, 0) : 10000;
	u64 version_counter = 0;

	rng = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	fsnvm_test_nr_writers = 2 * NW + 2;	/* workers and the main thread */
	wt_start(NW);
	for (unsigned int i = 0; i < NW; i++)
		CHECK(wt_id(i) == i + 1, "worker %u has writer id %u", i,
		      wt_id(i));
	devnull_fd = open("/dev/null", O_WRONLY);
	stderr_fd = dup(STDERR_FILENO);
	CHECK(devnull_fd >= 0 && stderr_fd >= 0, "/dev/null: %s",
	      strerror(errno));
	template_img = make_image(DEV_BYTES, 0);
	img = aligned_alloc(4096, DEV_BYTES);
	crash_img = aligned_alloc(4096, DEV_BYTES);
	nest_img = aligned_alloc(4096, DEV_BYTES);
	nest_crash_img = aligned_alloc(4096, DEV_BYTES);
	pre_page = calloc(PRE_KEYS, sizeof(*pre_page));
	second_img = aligned_alloc(4096, DEV_BYTES);
	CHECK(img && crash_img && nest_img && nest_crash_img && pre_page &&
	      second_img, "oom");
	for (u64 i = 0; i < sequences; i++)
		run_sequence(&version_counter);
	wt_stop();
	printf("crash: %llu states with a page's frame on the badblocks list, %llu of a crashed keep bind\n",
	       (unsigned long long)nr_bad_listed,
	       (unsigned long long)nr_keep_states);
	printf("crash: %llu sequences, %llu crash states (%llu in recovery), %llu violations\n",
	       (unsigned long long)sequences,
	       (unsigned long long)(nr_states + nr_nested_states),
	       (unsigned long long)nr_nested_states,
	       (unsigned long long)nr_violations);
	free(template_img);
	free(img);
	free(crash_img);
	free(nest_img);
	free(nest_crash_img);
	free(pre_page);
	free(second_img);
	free(last_window);
	return nr_violations ? 1 : 0;
}
