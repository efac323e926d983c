/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Several writers, one step at a time: userspace writer ids belong to
 * threads (tools/shim/writer_id.c), so a test that interleaves writers
 * runs each writer's steps on a thread of its own, started once (ids are
 * never reused) and driven synchronously: wt_run() returns when the step
 * is over, so the steps' order is the test's, every run.  Worker i has
 * writer id wt_id(i) when the test gives no thread an id before
 * wt_start().
 */
#ifndef FSNVM_WRITER_THREADS_H
#define FSNVM_WRITER_THREADS_H

#include <pthread.h>
#include <semaphore.h>

#include "test_util.h"

#define WT_MAX 8

struct wt_worker {
	pthread_t thread;
	sem_t go, done;
	unsigned int id;
	void (*fn)(void *arg);
	void *arg;
};

static struct wt_worker wt_workers[WT_MAX];
static unsigned int wt_nr;

static void *wt_main(void *p)
{
	struct wt_worker *w = p;

	w->id = fsnvm_writer_begin(FSNVM_MAX_WRITERS);
	sem_post(&w->done);
	for (;;) {
		sem_wait(&w->go);
		if (!w->fn)
			return NULL;
		w->fn(w->arg);
		sem_post(&w->done);
	}
}

/* Start n workers, in id order. */
static inline void wt_start(unsigned int n)
{
	CHECK(n <= WT_MAX, "too many workers");
	for (unsigned int i = 0; i < n; i++) {
		struct wt_worker *w = &wt_workers[i];

		CHECK(!sem_init(&w->go, 0, 0) && !sem_init(&w->done, 0, 0) &&
		      !pthread_create(&w->thread, NULL, wt_main, w), "worker");
		sem_wait(&w->done);
	}
	wt_nr = n;
}

static inline unsigned int wt_id(unsigned int i)
{
	return wt_workers[i].id;
}

/* Run fn(arg) on worker i and wait for it. */
static inline void wt_run(unsigned int i, void (*fn)(void *), void *arg)
{
	struct wt_worker *w = &wt_workers[i];

	w->fn = fn;
	w->arg = arg;
	sem_post(&w->go);
	sem_wait(&w->done);
}

static inline void wt_stop(void)
{
	for (unsigned int i = 0; i < wt_nr; i++) {
		wt_workers[i].fn = NULL;
		sem_post(&wt_workers[i].go);
		pthread_join(wt_workers[i].thread, NULL);
	}
	wt_nr = 0;
}

#endif /* FSNVM_WRITER_THREADS_H */
