#!/usr/bin/env bash
# Assemble the fsnvm_swap module's source tree: what DKMS packages and
# what `make -C HEADERS M=DIR` builds.
#
# usage: scripts/module-src.sh DIR
#
# DIR gets copies (not links: kbuild writes its objects beside the
# sources) of swap-device/, the front-end files it shares with the
# frontswap backend (kernel-backend/) and the engine (pmem-layout/, less
# the userspace formatter), flat.  Files that did not change keep their
# mtimes, so a rebuild recompiles only what changed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: module-src.sh DIR}
mkdir -p "$dir"
files=(
	"$top"/swap-device/Kbuild "$top"/swap-device/dkms.conf "$top"/swap-device/*.c
	"$top"/kernel-backend/fsnvm_kernel.h "$top"/kernel-backend/fsnvm_platform.h
	"$top"/kernel-backend/fsnvm_compat.h "$top"/kernel-backend/fsnvm_compat.mk
	"$top"/kernel-backend/fsnvm_namespace.c "$top"/kernel-backend/fsnvm_balancer.c
	"$top"/kernel-backend/fsnvm_stats.c "$top"/kernel-backend/fsnvm_sysfs.c
)
for f in "$top"/pmem-layout/*.[ch]; do
	case $(basename "$f") in fsnvm_mkfs.*) continue ;; esac
	files+=("$f")
done
for f in "${files[@]}"; do
	cmp -s "$f" "$dir/$(basename "$f")" || cp "$f" "$dir/"
done
