#!/usr/bin/env bash
# Everything a stock Debian kernel's guest needs to run the swap device:
# the kernel (scripts/stock-kernels.sh), fsnvm_swap.ko built against its
# headers, and an initramfs with the nd modules, ours, and the usual
# guest tools and scripts.
#
# usage: scripts/stock-guest.sh 6.1|6.12
# Prints "KVER DIR": DIR/vmlinuz, DIR/initramfs.cpio.gz, DIR/fsnvm_swap.ko.
#
# busybox insmod ignores softdeps and needs plain .ko files: the modules
# the nd stack and our module need are resolved here (modinfo depends),
# dependencies first, and decompressed into the initramfs.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
series=${1:?usage: stock-guest.sh 6.1|6.12}
read -r _ kver dir < <("$top/scripts/stock-kernels.sh" "$series")
src=$top/build/module/$kver

"$top/scripts/module-src.sh" "$src"
make -s -C "$dir/headers" M="$src" modules >&2 2>&1 | grep -v 'Skipping BTF' >&2 || true
[ -f "$src/fsnvm_swap.ko" ] || { echo "stock-guest: module build failed for $kver" >&2; exit 1; }
cp "$src/fsnvm_swap.ko" "$dir/fsnvm_swap.ko"

# ko NAME: the image's file of module NAME (- and _ alike).
ko() {
	local pat=${1//[-_]/[-_]}
	find "$dir/modules/kernel" -name "$pat.ko" -o -name "$pat.ko.xz" | head -n 1
}
order=()
# add NAME: NAME's dependencies, then NAME, each once.
add() {
	local f dep
	f=$(ko "$1")
	[ -n "$f" ] || { echo "stock-guest: $kver has no module $1" >&2; exit 1; }
	for have in "${order[@]}"; do [ "$have" = "$f" ] && return 0; done
	for dep in $(modinfo -F depends "$f" | tr , ' '); do
		add "$dep"
	done
	order+=("$f")
}
# The NVDIMM stack (nfit finds QEMU's NVDIMM, nd_pmem makes /dev/pmem0,
# dax_pmem a devdax namespace's /dev/daxN.M, which the test refuses),
# a crc32c for libcrc32c (crc32c-intel needs SSE4.2, which TCG's CPU may
# lack), then our module's own dependencies.
for m in nfit nd_pmem dax_pmem crc32c_generic; do
	add "$m"
done
for dep in $(modinfo -F depends "$dir/fsnvm_swap.ko" | tr , ' '); do
	add "$dep"
done
order+=("$dir/fsnvm_swap.ko")

bins=$("$top/scripts/guest-bins.sh" memstress swapbench)
FSNVM_GUEST_BINS=$bins \
FSNVM_GUEST_MODULES="${order[*]}" \
	"$top/emulation/mkinitramfs.sh" "$dir/initramfs.cpio.gz" >&2
echo "$kver $dir"
