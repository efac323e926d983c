#!/usr/bin/env bash
# Fetch Debian's own kernel images and headers, without installing them.
#
# usage: scripts/stock-kernels.sh [6.1|6.12 ...]     (default: both)
#
# For each series it resolves the newest stock amd64 flavour apt knows
# (linux-image-6.1.0-N-amd64, linux-image-6.12.N+deb12-amd64), downloads
# the image, its headers (arch and common) and kbuild with `apt-get
# download`, and unpacks them under build/stock/KVER/root.  It then prints
# one line per series:
#     SERIES KVER DIR
# where DIR holds vmlinuz, headers/ (what `make -C headers M=...` builds a
# module against) and modules/ (the image's /lib/modules/KVER).
# The host's /boot and /lib/modules are never touched.  Already unpacked
# versions are reused; the .debs are kept in build/stock/debs.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
stock=$top/build/stock
series=("$@")
[ ${#series[@]} -gt 0 ] || series=(6.1 6.12)

die() { echo "stock-kernels: $*" >&2; exit 1; }

# The newest package name matching an anchored regex, by version order;
# the package lists are refreshed once if they know none.
updated=0
newest() {
	local name
	name=$(apt-cache search --names-only "$1" | cut -d' ' -f1 | sort -V | tail -n 1)
	if [ -z "$name" ] && [ $updated = 0 ]; then
		updated=1
		sudo=""
		[ "$(id -u)" -eq 0 ] || sudo=sudo
		$sudo apt-get update -qq >&2 || true
		name=$(apt-cache search --names-only "$1" | cut -d' ' -f1 | sort -V | tail -n 1)
	fi
	echo "$name"
}

fetch_series() {
	local s=$1 image kver common kbuild dir debs pkg
	case $s in
	6.1)
		image=$(newest '^linux-image-6\.1\.0-[0-9]+-amd64$')
		kver=${image#linux-image-}
		common=linux-headers-${kver%-amd64}-common
		kbuild=linux-kbuild-6.1 ;;
	6.12)
		image=$(newest '^linux-image-6\.12\.[0-9]+\+deb12-amd64$')
		kver=${image#linux-image-}
		common=linux-headers-${kver%-amd64}-common
		kbuild=linux-kbuild-${kver%-amd64} ;;
	*) die "unknown series $s (6.1 or 6.12)" ;;
	esac
	[ -n "$image" ] || die "apt knows no stock $s image (apt-get update?)"
	dir=$stock/$kver
	if [ ! -f "$dir/.unpacked" ]; then
		debs=$stock/debs
		mkdir -p "$debs"
		for pkg in "$image" "linux-headers-$kver" "$common" "$kbuild"; do
			ls "$debs/${pkg}_"*.deb >/dev/null 2>&1 ||
				(cd "$debs" && apt-get download -q "$pkg" >&2) ||
				die "cannot download $pkg"
		done
		rm -rf "$dir"
		mkdir -p "$dir/root"
		for pkg in "$image" "linux-headers-$kver" "$common" "$kbuild"; do
			dpkg-deb -x "$(ls "$debs/${pkg}_"*.deb | sort -V | tail -n 1)" "$dir/root"
		done
		# The headers' Makefile includes the common tree and kbuild by
		# their absolute /usr/src and /usr/lib paths: point those at
		# the unpacked copies (plain text substitutions).
		grep -rlZ --include=Makefile -e '/usr/src/' -e '/usr/lib/linux-kbuild' \
			"$dir/root/usr/src" | xargs -0 -r sed -i \
			-e "s|/usr/src/|$dir/root/usr/src/|g" \
			-e "s|/usr/lib/linux-kbuild|$dir/root/usr/lib/linux-kbuild|g"
		ln -sfn "root/boot/vmlinuz-$kver" "$dir/vmlinuz"
		ln -sfn "root/usr/src/linux-headers-$kver" "$dir/headers"
		ln -sfn "root/lib/modules/$kver" "$dir/modules"
		[ -f "$dir/vmlinuz" ] && [ -f "$dir/headers/Makefile" ] &&
			[ -d "$dir/modules/kernel" ] ||
			die "$kver: unpacked, but vmlinuz, headers or modules missing"
		touch "$dir/.unpacked"
	fi
	echo "$s $kver $dir"
}

for s in "${series[@]}"; do
	fetch_series "$s"
done
