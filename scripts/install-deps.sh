#!/usr/bin/env bash
# Install the Debian 12 packages the project needs, only those missing.
# Called by `make deps` (and so by `make check` and `make demo`); safe to
# run again.  Needs root (or sudo) only when something is missing.
set -euo pipefail

pkgs=(
	build-essential clang libpmem-dev libndctl-dev libdaxctl-dev
	libjson-c-dev pkg-config
	# fsnvmctl: foreign signatures; its tests (jq, mkfs.ext2, xmllint,
	# rsvg-convert, blkid and setpriv from util-linux); libFuzzer's
	# runtime, only a Recommends of clang-14 (installs skip those)
	libblkid-dev jq e2fsprogs libxml2-utils librsvg2-bin util-linux
	libclang-rt-14-dev
	# kernel build (through ccache) and guest
	ccache linux-source-6.1 flex bison bc libelf-dev libssl-dev cpio kmod perl
	busybox-static qemu-system-x86 ndctl
	# the guest benchmark runs a program no one here wrote; its profile
	# runs perf in the guest
	stress-ng linux-perf
	# the swap device module: Debian's kernels are downloaded and unpacked
	# (xz-utils for 6.12's modules), 6.12's headers want pahole for BTF,
	# and dkms builds the packaged source
	xz-utils dwarves dkms
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
