// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's race points (fsnvm_race_point() in fsnvm_platform.h): no-ops
 * here, weak so that a test can define its own and run a racing operation
 * at exactly that place, every run.
 */
#include "fsnvm_platform.h"

__attribute__((weak)) void fsnvm_race_point(int where)
{
	(void)where;
}
