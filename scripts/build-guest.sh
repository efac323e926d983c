#!/usr/bin/env bash
# Build what the guest runs: memstress and soak (static) and the initramfs
# with busybox, ndctl, fsnvmctl, memstress, soak and emulation/guest/*.
# Output: build/emu/initramfs.cpio.gz
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build/emu"
make -s -C "$top" "$top/build/user/fsnvmctl"
for prog in memstress soak; do
	gcc -std=c11 -O2 -static -Wall -Wextra -Werror -o "$top/build/emu/$prog" "$top/emulation/$prog.c"
done
FSNVM_GUEST_BINS="$top/build/user/fsnvmctl $top/build/emu/memstress $top/build/emu/soak" \
	"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs.cpio.gz"
