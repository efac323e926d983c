// SPDX-License-Identifier: GPL-2.0
/* Persistence simulator for the crash test; see crash_shim.h. */
#include "crash_shim.h"

static struct crash_level {
	u8 *view, *durable;
	u64 view_bytes, alloc_bytes;
	struct crash_pending *pending;
	int *pending_slot;	/* per line: index in pending, or -1 */
	unsigned int nr_pending, max_pending;
	void (*hook)(void *ctx);
	void *ctx;
} levels[CRASH_DEPTH];
static unsigned int depth;

#define L (&levels[depth])

void crash_attach(void *v, u64 bytes)
{
	u64 lines = bytes / CRASH_LINE;

	/* Buffers are kept across attaches of one size: tests attach often. */
	if (L->alloc_bytes != bytes) {
		free(L->durable);
		free(L->pending_slot);
		L->durable = malloc(bytes);
		L->pending_slot = malloc(lines * sizeof(*L->pending_slot));
		L->alloc_bytes = bytes;
		if (!L->durable || !L->pending_slot)
			abort();
	}
	L->view = v;
	L->view_bytes = bytes;
	memcpy(L->durable, v, bytes);
	for (u64 i = 0; i < lines; i++)
		L->pending_slot[i] = -1;
	L->nr_pending = 0;
}

void crash_detach(void)
{
	L->view = NULL;
	L->nr_pending = 0;
}

void crash_push(void)
{
	if (depth + 1 == CRASH_DEPTH)
		abort();
	depth++;
	L->view = NULL;
	L->nr_pending = 0;
	L->hook = NULL;
}

void crash_pop(void)
{
	if (!depth)
		abort();
	crash_detach();
	depth--;
}

const u8 *crash_durable(void)
{
	return L->durable;
}

const struct crash_pending *crash_pending(unsigned int *count)
{
	*count = L->nr_pending;
	return L->pending;
}

void crash_set_hook(void (*hook)(void *ctx), void *ctx)
{
	L->hook = hook;
	L->ctx = ctx;
}

void fsnvm_pmem_copy(void *dst, const void *src, size_t len)
{
	struct crash_level *l = L;
	u8 *d = dst;

	memcpy(dst, src, len);
	if (!l->view || d < l->view || d >= l->view + l->view_bytes)
		return;
	for (u64 line = (u64)(d - l->view) / CRASH_LINE;
	     line * CRASH_LINE < (u64)(d - l->view) + len; line++) {
		int slot = l->pending_slot[line];

		if (slot < 0) {
			if (l->nr_pending == l->max_pending) {
				l->max_pending = l->max_pending ?
						 2 * l->max_pending : 256;
				l->pending = realloc(l->pending, l->max_pending *
						     sizeof(*l->pending));
				if (!l->pending)
					abort();
			}
			slot = l->nr_pending++;
			l->pending_slot[line] = slot;
			l->pending[slot].line = line;
		}
		memcpy(l->pending[slot].data, l->view + line * CRASH_LINE,
		       CRASH_LINE);
	}
}

void fsnvm_pmem_fence(void)
{
	struct crash_level *l = L;

	if (!l->view)
		return;
	if (l->hook)
		l->hook(l->ctx);
	for (unsigned int i = 0; i < l->nr_pending; i++) {
		memcpy(l->durable + l->pending[i].line * CRASH_LINE,
		       l->pending[i].data, CRASH_LINE);
		l->pending_slot[l->pending[i].line] = -1;
	}
	l->nr_pending = 0;
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
