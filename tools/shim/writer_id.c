// SPDX-License-Identifier: GPL-2.0
/*
 * Writer ids of the userspace build: each thread that stores gets the
 * next id the first time and keeps it; a thread beyond the engine's
 * limit stores as writer 0 (its stores fence twice instead of relying on
 * a later store's vouch).  Ids are never reused: tests start a bounded number
 * of threads.
 */
#include "fsnvm_platform.h"

static unsigned int fsnvm_next_writer;
unsigned int fsnvm_test_nr_writers;	/* 0: FSNVM_MAX_WRITERS */
static _Thread_local unsigned int fsnvm_my_writer;

unsigned int fsnvm_writer_begin(unsigned int nr)
{
	if (!fsnvm_my_writer)
		fsnvm_my_writer = __atomic_add_fetch(&fsnvm_next_writer, 1,
						     __ATOMIC_RELAXED);
	return fsnvm_my_writer <= nr ? fsnvm_my_writer : 0;
}
