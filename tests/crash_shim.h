/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A persistence simulator for the crash test, linked instead of
 * tools/shim/persist_libpmem.c.  The engine writes to a volatile view;
 * fsnvm_pmem_copy() snapshots the cache lines it touched as pending;
 * fsnvm_pmem_fence() first calls the crash hook (which may build any crash
 * state: the durable image plus any subset of the pending lines) and then
 * makes the pending lines durable.  Unflushed stores are never durable.
 *
 * Simulations nest: crash_push() starts a new one with nothing attached
 * (writes and fences then go untracked until crash_attach()), for example
 * to crash a recovery run on a crash state, from inside the hook;
 * crash_pop() returns to the one before, untouched.
 */
#ifndef FSNVM_CRASH_SHIM_H
#define FSNVM_CRASH_SHIM_H

#include "fsnvm_platform.h"

#define CRASH_LINE 64
#define CRASH_DEPTH 4

struct crash_pending {
	u64 line;		/* line index in the image */
	u8 data[CRASH_LINE];	/* its content when it was copied */
};

/* Track writes into [view, view + bytes); durable starts as a copy. */
void crash_attach(void *view, u64 bytes);
void crash_detach(void);
const u8 *crash_durable(void);
/* The pending lines of the current fence window. */
const struct crash_pending *crash_pending(unsigned int *count);
/* Called at every fence, before the window is made durable. */
void crash_set_hook(void (*hook)(void *ctx), void *ctx);
void crash_push(void);
void crash_pop(void);

#endif /* FSNVM_CRASH_SHIM_H */
