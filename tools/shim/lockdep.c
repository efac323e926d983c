// SPDX-License-Identifier: GPL-2.0
/*
 * What lockdep_assert_held() compares a spinlock's holder with
 * (fsnvm_platform.h): an address of this thread's own.
 */
#include "fsnvm_platform.h"

_Thread_local char fsnvm_thread_tag;
