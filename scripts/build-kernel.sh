#!/usr/bin/env bash
# Build a guest kernel: Debian's linux-source-6.1, extracted once under
# build/, grafted with frontswap-nvm, configured from tinyconfig plus
# emulation/kernel.config, built out of tree in build/kernel.  Later runs
# are incremental (seconds).  Prints where the bzImage is.
#   scripts/build-kernel.sh          the release kernel (demo, benchmarks)
#   scripts/build-kernel.sh debug    build/kernel-debug: kernel.config plus
#                                    emulation/kernel-debug.config (KASAN,
#                                    UBSAN, lockdep, full preemption, ...)
# Both share the source tree and the compiler cache; never run two at once.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
ksrc=$build/linux-source-6.1
variant=${1:-release}
case $variant in
release) kobj=$build/kernel; frags=("$top/emulation/kernel.config") ;;
debug) kobj=$build/kernel-debug
       frags=("$top/emulation/kernel.config" "$top/emulation/kernel-debug.config") ;;
*) echo "usage: $0 [release|debug]" >&2; exit 2 ;;
esac
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${JOBS:-$(nproc)}
# Compile through ccache: a fresh clone on a machine that built before (a
# CI runner) then rebuilds from the cache in minutes.  The base directory
# makes the cached paths relative to the clone, so any clone hits.
export CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
kcc=gcc
command -v ccache >/dev/null && kcc="ccache gcc"

stamp() { printf '[kernel %s %4ss] %s\n' "$variant" "$SECONDS" "$*"; }

if [ ! -f "$ksrc/Makefile" ]; then
	[ -f "$tarball" ] || { echo "kernel: $tarball missing (apt-get install linux-source-6.1)" >&2; exit 1; }
	stamp "extracting $tarball"
	mkdir -p "$build"
	tar xf "$tarball" -C "$build"
fi
"$top/scripts/graft-kernel.sh" "$ksrc"

mkdir -p "$kobj"
frag=$kobj/.fragment
cat "${frags[@]}" >"$frag.new"
# Reconfigure only when the fragments changed: olddefconfig on an unchanged
# .config is harmless, but tinyconfig would force a full rebuild.
if [ ! -f "$kobj/.config" ] || ! cmp -s "$frag.new" "$kobj/.fragment-used"; then
	stamp "configuring (tinyconfig + ${frags[*]##*/})"
	mv "$frag.new" "$frag"
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
rm -f "$frag.new"
log=$kobj-build.log
stamp "building bzImage (-j$jobs; a full build takes ~5 min, later runs seconds)"
# modules: none are configured, but modpost writes Module.symvers, which
# building the swap device module against this tree needs.
if ! make -C "$ksrc" O="$kobj" CC="$kcc" -j"$jobs" bzImage modules >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -40 >&2
	echo "kernel: build failed, full log in $log" >&2
	exit 1
fi
grep -E 'warning:' "$log" | grep -E 'frontswap_nvm' >&2 && {
	echo "kernel: warnings in frontswap-nvm code" >&2; exit 1; }
stamp "bzImage: $kobj/arch/x86/boot/bzImage"
if [ "$kcc" != gcc ]; then
	stamp "ccache: $(ccache -s | grep -iE 'hits|hit rate' | head -n 2 | tr -s ' ' | paste -sd ';')"
fi
