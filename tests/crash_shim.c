// SPDX-License-Identifier: GPL-2.0
/* Persistence simulator for the crash test; see crash_shim.h. */
#include "crash_shim.h"

static u8 *view, *durable;
static u64 view_bytes;
static struct crash_pending *pending;
static int *pending_slot;	/* per line: index in pending, or -1 */
static unsigned int nr_pending, max_pending;
static void (*crash_hook)(void *ctx);
static void *crash_ctx;

void crash_attach(void *v, u64 bytes)
{
	u64 lines = bytes / CRASH_LINE;

	view = v;
	view_bytes = bytes;
	durable = malloc(bytes);
	pending_slot = malloc(lines * sizeof(*pending_slot));
	if (!durable || !pending_slot)
		abort();
	memcpy(durable, v, bytes);
	for (u64 i = 0; i < lines; i++)
		pending_slot[i] = -1;
	nr_pending = 0;
}

void crash_detach(void)
{
	free(durable);
	free(pending_slot);
	durable = NULL;
	pending_slot = NULL;
	view = NULL;
	nr_pending = 0;
}

const u8 *crash_durable(void)
{
	return durable;
}

const struct crash_pending *crash_pending(unsigned int *count)
{
	*count = nr_pending;
	return pending;
}

void crash_set_hook(void (*hook)(void *ctx), void *ctx)
{
	crash_hook = hook;
	crash_ctx = ctx;
}

void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	u8 *d = dst;

	memcpy(dst, src, len);
	if (!view || d < view || d >= view + view_bytes)
		return;
	for (u64 line = (u64)(d - view) / CRASH_LINE;
	     line * CRASH_LINE < (u64)(d - view) + len; line++) {
		int slot = pending_slot[line];

		if (slot < 0) {
			if (nr_pending == max_pending) {
				max_pending = max_pending ? 2 * max_pending : 256;
				pending = realloc(pending, max_pending * sizeof(*pending));
				if (!pending)
					abort();
			}
			slot = nr_pending++;
			pending_slot[line] = slot;
			pending[slot].line = line;
		}
		memcpy(pending[slot].data, view + line * CRASH_LINE, CRASH_LINE);
	}
}

void fsnvm_pmem_fence(void)
{
	if (!view)
		return;
	if (crash_hook)
		crash_hook(crash_ctx);
	for (unsigned int i = 0; i < nr_pending; i++) {
		memcpy(durable + pending[i].line * CRASH_LINE, pending[i].data,
		       CRASH_LINE);
		pending_slot[pending[i].line] = -1;
	}
	nr_pending = 0;
}

size_t fsnvm_pmem_read(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	return 0;
}

size_t fsnvm_pmem_read_optimistic(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	return 0;
}
