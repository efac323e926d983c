#!/bin/bash
# emulation/mkinitramfs.sh — build the reproducible guest initramfs.
#
# Usage: emulation/mkinitramfs.sh OUT.cpio.gz
#   FSNVM_GUEST_BINS="host/path/a host/path/b"  extra binaries, copied to /bin
#                                               (plus whatever libraries ldd lists)
#   FSNVM_GUEST_MODULES="a.ko b.ko.xz ..."      kernel modules in load order, copied
#                                               (decompressed) to /modules/NN-name.ko
#                                               for a guest script to insmod in turn
#
# Contents: busybox-static and its applet symlinks in /bin (/sbin, /usr/bin and
# /usr/sbin point there), /bin/ndctl with the libraries and ELF interpreter ldd
# lists, emulation/guest/init as /init, emulation/guest/*.sh in /guest/.
# The output depends only on those inputs: sorted file list, mtimes 0, uid/gid
# 0, gzip -n. /dev/console is not in the archive (that needs mknod); /init
# mounts devtmpfs and redirects its stdio to /dev/console instead.
set -euo pipefail

if [ $# -ne 1 ] || [ "${1:0:1}" = - ]; then
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
fi
out=$1
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox    # from the busybox-static package
ndctl=/usr/bin/ndctl

umask 022
export LC_ALL=C
root=$(mktemp -d "${TMPDIR:-/tmp}/fsnvm-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

# copy_file SRC DEST-IN-ROOT: copy dereferenced, keeping the mode bits.
copy_file() {
	mkdir -p "$root$(dirname "$2")"
	cp -L "$1" "$root$2"
	chmod "$(stat -L -c %a "$1")" "$root$2"
}

# copy_libs BIN: copy every library and the interpreter ldd lists, at the
# path ldd prints (which is the path the dynamic loader will look for).
copy_libs() {
	local lib
	# A static binary makes ldd print "not a dynamic executable" and fail.
	{ ldd "$1" 2>/dev/null || true; } | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' |
	while read -r lib; do
		[ -e "$root$lib" ] || copy_file "$lib" "$lib"
	done
}

mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,var,etc,guest}
ln -s bin "$root/sbin"
mkdir -p "$root/usr"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"
ln -s ../run "$root/var/run"

! ldd "$busybox" >/dev/null 2>&1 ||
	{ echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2; exit 1; }
copy_file "$busybox" /bin/busybox
# One perl (perl-base is Essential in Debian) instead of ~270 ln processes.
(cd "$root/bin" && "$busybox" --list | perl -nle 'symlink "busybox", $_ or $_ eq "busybox" or die "$_: $!"')

for bin in "$ndctl" ${FSNVM_GUEST_BINS:-}; do
	[ -x "$bin" ] || { echo "mkinitramfs: $bin: not an executable" >&2; exit 1; }
	rm -f "$root/bin/$(basename "$bin")"   # a real binary beats an applet
	copy_file "$bin" "/bin/$(basename "$bin")"
	copy_libs "$bin"
done

n=10
for mod in ${FSNVM_GUEST_MODULES:-}; do
	[ -f "$mod" ] || { echo "mkinitramfs: $mod: no such module" >&2; exit 1; }
	name=$(basename "${mod%.xz}")
	mkdir -p "$root/modules"
	case $mod in
	*.xz) xz -dc "$mod" >"$root/modules/$n-$name" ;;
	*) cp "$mod" "$root/modules/$n-$name" ;;
	esac
	n=$((n + 1))
done

copy_file "$here/guest/init" /init
chmod 755 "$root/init"
for f in "$here"/guest/*.sh; do
	copy_file "$f" "/guest/$(basename "$f")"
done
chmod 755 "$root"/guest/*.sh

mkdir -p "$(dirname "$out")"
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -k "$out" | cut -f1) KiB)"
