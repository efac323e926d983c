#!/usr/bin/env bash
# Build the guest kernel: Debian's linux-source-6.1, extracted once under
# build/, grafted with frontswap-nvm, configured from tinyconfig plus
# emulation/kernel.config, built out of tree in build/kernel.  Later runs
# are incremental (seconds).  Prints where the bzImage is.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
ksrc=$build/linux-source-6.1
kobj=$build/kernel
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${JOBS:-$(nproc)}
# Compile through ccache: a fresh clone on a machine that built before (a
# CI runner) then rebuilds from the cache in minutes.  The base directory
# makes the cached paths relative to the clone, so any clone hits.
export CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
kcc=gcc
command -v ccache >/dev/null && kcc="ccache gcc"

stamp() { printf '[kernel %4ss] %s\n' "$SECONDS" "$*"; }

if [ ! -f "$ksrc/Makefile" ]; then
	[ -f "$tarball" ] || { echo "kernel: $tarball missing (apt-get install linux-source-6.1)" >&2; exit 1; }
	stamp "extracting $tarball"
	mkdir -p "$build"
	tar xf "$tarball" -C "$build"
fi
"$top/scripts/graft-kernel.sh" "$ksrc"

mkdir -p "$kobj"
frag=$top/emulation/kernel.config
# Reconfigure only when the fragment changed: olddefconfig on an unchanged
# .config is harmless, but tinyconfig would force a full rebuild.
if [ ! -f "$kobj/.config" ] || ! cmp -s "$frag" "$kobj/.fragment-used"; then
	stamp "configuring (tinyconfig + $(basename "$frag"))"
	make -s -C "$ksrc" O="$kobj" CC="$kcc" tinyconfig >/dev/null
	"$ksrc/scripts/kconfig/merge_config.sh" -m -O "$kobj" "$kobj/.config" "$frag" >/dev/null
	make -s -C "$ksrc" O="$kobj" CC="$kcc" olddefconfig >/dev/null
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=y' "$frag" | while IFS= read -r l; do
		grep -qx "$l" "$kobj/.config" || echo "${l%%=*}"; done)
	if [ -n "$missing" ]; then
		echo "kernel: config symbols not set after olddefconfig: $missing" >&2
		exit 1
	fi
	cp "$frag" "$kobj/.fragment-used"
fi
stamp "building bzImage (-j$jobs; a full build takes ~5 min, later runs seconds)"
if ! make -C "$ksrc" O="$kobj" CC="$kcc" -j"$jobs" bzImage >"$build/kernel-build.log" 2>&1; then
	grep -E 'error|Error' "$build/kernel-build.log" | head -40 >&2
	echo "kernel: build failed, full log in $build/kernel-build.log" >&2
	exit 1
fi
grep -E 'warning:' "$build/kernel-build.log" | grep -E 'frontswap_nvm' >&2 && {
	echo "kernel: warnings in frontswap-nvm code" >&2; exit 1; }
stamp "bzImage: $kobj/arch/x86/boot/bzImage"
if [ "$kcc" != gcc ]; then
	stamp "ccache: $(ccache -s | grep -iE 'hits|hit rate' | head -n 2 | tr -s ' ' | paste -sd ';')"
fi
