#!/usr/bin/env bash
# Build the programs a guest runs: fsnvmctl, and the static workload
# programs named (emulation/PROG.c -> build/emu/PROG); print their paths,
# space-separated, for FSNVM_GUEST_BINS.
# usage: scripts/guest-bins.sh PROG...     (e.g. memstress swapbench)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build/emu"
make -s -C "$top" "$top/build/user/fsnvmctl" >&2
bins="$top/build/user/fsnvmctl"
for prog in "$@"; do
	gcc -std=c11 -O2 -static -Wall -Wextra -Werror -o "$top/build/emu/$prog" "$top/emulation/$prog.c"
	bins+=" $top/build/emu/$prog"
done
echo "$bins"
