// SPDX-License-Identifier: GPL-2.0
/*
 * The core's lock assertions can fail: lockdep_assert_held() and
 * WARN_ON_ONCE() of the userspace platform (tools/shim/fsnvm_platform.h)
 * abort a test build.  A child calls a function that needs the engine's
 * lock, once with it (must live) and once without (must die with the
 * assertion's message); the same for a key map change, whose seqcount
 * names the lock, and for a WARN_ON_ONCE that fires.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

static struct fsnvm_engine *e;

enum { WITH_LOCK, WITHOUT_LOCK, MAP_WITHOUT_LOCK, WARN_FIRES };

static void child(int what)
{
	switch (what) {
	case WITH_LOCK:
		spin_lock(&e->lock);
		fsnvm_publish_pending(e);
		fsnvm_keymap_set(&e->map, 0, 1, 0);
		fsnvm_keymap_remove(&e->map, 0, 1);
		spin_unlock(&e->lock);
		break;
	case WITHOUT_LOCK:
		fsnvm_publish_pending(e);
		break;
	case MAP_WITHOUT_LOCK:
		fsnvm_keymap_clear(&e->map);
		break;
	case WARN_FIRES:
		WARN_ON_ONCE(what == WARN_FIRES);
		break;
	}
	_exit(0);
}

/* Run child(what) in a process; its stderr goes to a pipe, read back. */
static int run(int what, char *msg, size_t len)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	CHECK(!pipe(fds), "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (!pid) {
		dup2(fds[1], 2);
		child(what);
	}
	close(fds[1]);
	n = read(fds[0], msg, len - 1);
	msg[n > 0 ? n : 0] = 0;
	close(fds[0]);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	return status;
}

int main(void)
{
	const u64 bytes = 1024 * 1024;
	void *img = make_image(bytes, 0);
	char msg[512];
	int st;

	e = attach(img, bytes);
	st = run(WITH_LOCK, msg, sizeof(msg));
	CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "with the lock held: status %d, %s", st, msg);
	st = run(WITHOUT_LOCK, msg, sizeof(msg));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && strstr(msg, "not held"),
	      "publish without the lock was not caught: status %d, '%s'", st, msg);
	st = run(MAP_WITHOUT_LOCK, msg, sizeof(msg));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && strstr(msg, "not held"),
	      "a key map change without the lock was not caught: status %d, '%s'", st, msg);
	st = run(WARN_FIRES, msg, sizeof(msg));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && strstr(msg, "WARNING"),
	      "WARN_ON_ONCE did not stop the test: status %d, '%s'", st, msg);
	printf("lock asserts: held passes; publish and a key map change without the lock abort; WARN_ON_ONCE aborts\n");
	fsnvm_engine_close(e);
	free(img);
	return 0;
}
