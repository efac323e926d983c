#!/usr/bin/env bash
# Package the swap device module's source for DKMS as a Debian package:
# /usr/src/fsnvm-swap-VERSION (scripts/module-src.sh's tree), added,
# built and installed for every kernel with headers by its postinst, and
# removed by its prerm.
# usage: scripts/dkms-deb.sh [OUTDIR]    (default build/)
# Prints the .deb's path.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build}
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/swap-device/dkms.conf")
[ -n "$version" ] || { echo "dkms-deb: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
root=$(mktemp -d "${TMPDIR:-/tmp}/fsnvm-dkms.XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
"$top/scripts/module-src.sh" "$root/usr/src/fsnvm-swap-$version"
mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<EOC
Package: frontswap-nvm-dkms
Version: $version
Architecture: all
Maintainer: frontswap-nvm developers <frontswap-nvm@localhost>
Depends: dkms (>= 3.0)
Section: kernel
Priority: optional
Description: wear-levelled swap device on persistent memory (DKMS source)
 fsnvm_swap.ko turns an fsdax pmem namespace into a swap block device
 whose writes go out of place to the least-worn frame.  Bind it with
 echo /dev/pmem0 > /sys/kernel/fsnvm_swap/device after fsnvmctl format.
EOC
cat >"$root/DEBIAN/postinst" <<EOC
#!/bin/sh
set -e
if [ "\$1" = configure ]; then
	dkms add -m fsnvm-swap -v $version --rpm_safe_upgrade || true
	dkms autoinstall || true
fi
EOC
cat >"$root/DEBIAN/prerm" <<EOC
#!/bin/sh
set -e
dkms remove -m fsnvm-swap -v $version --all --rpm_safe_upgrade || true
EOC
chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
mkdir -p "$out"
deb=$out/frontswap-nvm-dkms_${version}_all.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
