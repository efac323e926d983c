#!/usr/bin/env bash
# Build what the guest runs: memstress (static) and the initramfs with
# busybox, ndctl, fsnvmctl, memstress and emulation/guest/*.
# Output: build/emu/initramfs.cpio.gz
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build/emu"
make -s -C "$top" "$top/build/user/fsnvmctl"
gcc -std=c11 -O2 -static -Wall -Wextra -Werror -o "$top/build/emu/memstress" "$top/emulation/memstress.c"
FSNVM_GUEST_BINS="$top/build/user/fsnvmctl $top/build/emu/memstress" \
	"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs.cpio.gz"
