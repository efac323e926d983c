#!/usr/bin/env bash
# The swap device module as a user installs it: DKMS builds the packaged
# source (scripts/module-src.sh's tree, swap-device/dkms.conf) against
# Debian's stock 6.1 and 6.12 headers, without touching the host's
# kernels (its own --dkmstree); the Debian package of that source
# (scripts/dkms-deb.sh) carries every file the module's Kbuild names or
# includes.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/dkms
fail() { echo "module-dkms: $*" >&2; exit 1; }
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/swap-device/dkms.conf")
rm -rf "$work"
mkdir -p "$work/tree" "$work/src"
"$top/scripts/module-src.sh" "$work/src/fsnvm-swap-$version"
dkms=(dkms --dkmstree "$work/tree" --sourcetree "$work/src")
"${dkms[@]}" add -m fsnvm-swap -v "$version" >/dev/null
while read -r series kver kdir; do
	"${dkms[@]}" build -m fsnvm-swap -v "$version" -k "$kver" \
		--kernelsourcedir "$kdir/headers" >"$work/build-$series.log" 2>&1 ||
		{ cat "$work/build-$series.log" >&2; fail "dkms build for $kver failed"; }
	ko=$(find "$work/tree/fsnvm-swap/$version/$kver" -name 'fsnvm_swap.ko*' | head -n 1)
	[ -n "$ko" ] || fail "dkms built no module for $kver"
	magic=$(modinfo -F vermagic "$ko")
	[ "${magic%% *}" = "$kver" ] || fail "$ko: vermagic '$magic', want $kver"
	echo "dkms: $kver -> $(basename "$ko") ($(stat -c %s "$ko") bytes)"
done < <("$top/scripts/stock-kernels.sh" 6.1 6.12)

deb=$("$top/scripts/dkms-deb.sh" "$work")
dpkg-deb -c "$deb" | awk '{print $NF}' >"$work/deb.list"
want=(Kbuild dkms.conf)
for o in $(sed -n 's/\\$//; /^fsnvm_swap-y/,/^$/p' "$top/swap-device/Kbuild" | tr ' \t' '\n\n' | grep '\.o$'); do
	want+=("${o%.o}.c")
done
# and the make fragments it includes (the feature probes)
for inc in $(sed -n 's|^include \$(src)/||p' "$top/swap-device/Kbuild"); do
	want+=("$inc")
done
[ ${#want[@]} -gt 10 ] || fail "read only ${#want[@]} files from the Kbuild"
for f in "${want[@]}"; do
	grep -q "/usr/src/fsnvm-swap-$version/$f\$" "$work/deb.list" || fail "$deb lacks $f"
done
dpkg-deb -f "$deb" Depends | grep -q dkms || fail "$deb does not depend on dkms"
echo "deb: $(basename "$deb"): ${#want[@]} files of the Kbuild, $(wc -l <"$work/deb.list") entries"
